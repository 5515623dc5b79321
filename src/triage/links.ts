/**
 * Links and e-mail addresses in a message: where they are, how to redact them (keep the
 * domain, which is evidence; drop path and query, which may carry personal tokens), and
 * whether the link itself is a red flag: a look-alike of an official domain, a short link,
 * a raw IP address, or an Android package (.apk) download.
 *
 * Scanning is linear: one character-class regex finds ASCII "words", which are then parsed
 * by hand (no nested quantifiers anywhere).
 */

export type LinkFlagReason = 'lookalike' | 'short-link' | 'raw-ip' | 'apk' | 'userinfo' | 'punycode';

export interface LinkSpan {
  kind: 'url' | 'email';
  start: number;
  end: number;
  /** Lower-case host (for e-mail: the domain after "@"). */
  host: string;
  scheme: string | null;
  port: string | null;
  /** Path + query + fragment as written (never stored; used only for judging). */
  rest: string;
  isIp: boolean;
  isApk: boolean;
  /** Replacement for the redacted text. */
  mask: string;
  /** Brand this host imitates, when it is a look-alike. */
  imitates: string | null;
  flags: LinkFlagReason[];
}

/** ASCII words that may hold a URL or an e-mail address. Linear: one class, one star. */
const WORD_RE = /[A-Za-z0-9][A-Za-z0-9\-._~:/?#@!$&'*+,;=%]*/g;
const TRAILING_PUNCT = /[.,;:!?'*)\]]+$/;

/**
 * Top-level domains accepted for bare links without "http://". A list (not "any letters")
 * so that "Node.js" or "e.g" are not mistaken for links.
 */
const BARE_TLDS = new Set(
  (
    'com cn net org top xyz cc vip info site online club shop app io me co tk ml ga cf gq ws pw biz mobi link live work fun ' +
    'icu ltd store tech wang ren kim asia hk tw mo jp kr us uk ru in vn th ph my sg la kh mm id tv la win bid loan men ' +
    'click download review party trade date racing science cyou buzz rest bar best cam fit lol mom today world zone ' +
    'space website press host name pro plus red gold run'
  ).split(' '),
);

/** Link shorteners: the real destination is hidden. */
const SHORTENERS = new Set([
  't.cn', 'dwz.cn', 'url.cn', 'w.url.cn', 'suo.im', 'suo.nz', 'bit.ly', 'tinyurl.com', 'goo.gl', 't.co', 'is.gd', 'ow.ly',
  'rebrand.ly', 'cutt.ly', 'v.gd', 'tb.cn', 'u.jd.com', '3.cn', 'dwz.mk', 'mrw.so', 'rrd.me', 'sohu.gg', 'c7.gg', '0x3.me',
  'kks.me', 'ddz.im', 'lrl.kr', 'shorturl.at', 'rb.gy', 'tiny.cc', 'qr.net', 'x.co', 'j.mp', 'buff.ly', 'surl.amap.com',
]);

/** Multi-label public suffixes, so that "icbc.com.cn" has registrable domain "icbc.com.cn". */
const SECOND_LEVEL = new Set(['com.cn', 'net.cn', 'org.cn', 'gov.cn', 'edu.cn', 'ac.cn', 'com.hk', 'com.tw', 'co.uk', 'com.au', 'co.jp', 'com.my', 'com.sg']);

interface Brand {
  name: string;
  /** Tokens that point to the brand inside a host. Tokens of 3 characters or fewer must be a whole label part. */
  tokens: string[];
  /** Domains that really belong to it (a host equal to one, or below one, is genuine). */
  official: string[];
}

/** Organisations scammers imitate most, with the domains that are really theirs. */
export const BRANDS: Brand[] = [
  { name: '工商银行', tokens: ['icbc', '95588'], official: ['icbc.com.cn', 'icbc.com', '95588.com'] },
  { name: '建设银行', tokens: ['ccb', '95533'], official: ['ccb.com', 'ccb.cn'] },
  { name: '农业银行', tokens: ['abchina', '95599'], official: ['abchina.com', 'abchina.com.cn'] },
  { name: '中国银行', tokens: ['boc', 'bankofchina', '95566'], official: ['boc.cn', 'bankofchina.com'] },
  { name: '交通银行', tokens: ['bankcomm', '95559'], official: ['bankcomm.com', 'bankcomm.cn'] },
  { name: '招商银行', tokens: ['cmbchina', 'cmb', '95555'], official: ['cmbchina.com', 'cmbchina.cn'] },
  { name: '邮储银行', tokens: ['psbc', '95580'], official: ['psbc.com'] },
  { name: '银联', tokens: ['unionpay', '95516'], official: ['unionpay.com', '95516.com', 'unionpayintl.com'] },
  { name: '支付宝', tokens: ['alipay', 'zhifubao'], official: ['alipay.com', 'alipay.cn', 'alipayobjects.com'] },
  { name: '淘宝/天猫', tokens: ['taobao', 'tmall'], official: ['taobao.com', 'tmall.com', 'tb.cn', 'alicdn.com'] },
  { name: '京东', tokens: ['jd', 'jingdong', '360buy'], official: ['jd.com', 'jd.hk', '3.cn', '360buy.com', 'jdpay.com'] },
  { name: '拼多多', tokens: ['pinduoduo', 'pdd', 'yangkeduo'], official: ['pinduoduo.com', 'yangkeduo.com', 'pddpic.com'] },
  { name: '微信/QQ', tokens: ['weixin', 'wechat', 'qq', 'tencent', 'tenpay'], official: ['qq.com', 'weixin.com', 'wechat.com', 'tencent.com', 'tenpay.com', 'weixin.qq.com'] },
  { name: '抖音', tokens: ['douyin', 'tiktok'], official: ['douyin.com', 'tiktok.com', 'iesdouyin.com'] },
  { name: '快手', tokens: ['kuaishou'], official: ['kuaishou.com'] },
  { name: '美团', tokens: ['meituan'], official: ['meituan.com', 'dianping.com'] },
  { name: '12306', tokens: ['12306'], official: ['12306.cn'] },
  { name: '政府网站', tokens: ['gov', 'zhengfu'], official: ['gov.cn'] },
  { name: '公安/检察院/法院', tokens: ['police', 'gongan', 'mps', 'spp', 'court', 'jiancha', 'fayuan'], official: ['gov.cn', 'court.gov.cn', 'spp.gov.cn', 'mps.gov.cn'] },
  { name: '税务', tokens: ['chinatax', 'tuishui', 'shuiwu'], official: ['chinatax.gov.cn', 'gov.cn'] },
  { name: '社保/医保', tokens: ['shebao', 'yibao', 'chinahrss', 'nhsa', 'si12333', '12333'], official: ['gov.cn', 'nhsa.gov.cn'] },
  { name: 'ETC', tokens: ['etc'], official: [] },
  { name: '学信网', tokens: ['chsi'], official: ['chsi.com.cn', 'chsi.cn'] },
  { name: '东方航空', tokens: ['ceair'], official: ['ceair.com'] },
  { name: '南方航空', tokens: ['csair'], official: ['csair.com'] },
  { name: '中国国航', tokens: ['airchina'], official: ['airchina.com.cn', 'airchina.com'] },
  { name: '携程', tokens: ['ctrip'], official: ['ctrip.com', 'trip.com'] },
  { name: '飞猪', tokens: ['fliggy', 'feizhu'], official: ['fliggy.com'] },
  { name: '顺丰', tokens: ['sf', 'sfexpress', 'shunfeng'], official: ['sf-express.com', 'sf-express.cn', 'sf.global'] },
  { name: '中国邮政/EMS', tokens: ['ems', 'chinapost'], official: ['ems.com.cn', 'chinapost.com.cn', '11183.com.cn'] },
  { name: '菜鸟', tokens: ['cainiao'], official: ['cainiao.com'] },
  { name: '苹果', tokens: ['apple', 'icloud'], official: ['apple.com', 'apple.com.cn', 'icloud.com', 'icloud.com.cn'] },
  { name: '中国移动', tokens: ['10086', 'chinamobile'], official: ['10086.cn', 'chinamobile.com'] },
  { name: '中国联通', tokens: ['10010', 'chinaunicom'], official: ['10010.com', 'chinaunicom.com'] },
  { name: '中国电信', tokens: ['10000', 'chinatelecom', '189'], official: ['189.cn', 'chinatelecom.com.cn'] },
];

/** Digits and look-alike letters scammers swap in (a1ipay, taob4o, icbc → 1cbc). */
function deLeet(s: string): string {
  let out = '';
  for (const ch of s) {
    out += ch === '0' ? 'o' : ch === '1' ? 'l' : ch === '3' ? 'e' : ch === '4' ? 'a' : ch === '5' ? 's' : ch === '7' ? 't' : ch;
  }
  return out;
}

export function registrableDomain(host: string): string {
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const last2 = labels.slice(-2).join('.');
  return SECOND_LEVEL.has(last2) ? labels.slice(-3).join('.') : last2;
}

function isOfficial(host: string, official: readonly string[]): boolean {
  return official.some((d) => host === d || host.endsWith('.' + d));
}

/** Name of the brand a host imitates, or null (also null when the host is genuinely theirs). */
export function imitatedBrand(host: string): string | null {
  if (!host || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return null;
  const labels = host.split('.');
  const body = labels.slice(0, -1).filter((l) => l !== 'www' && l !== 'm' && l !== 'wap');
  const parts = body.flatMap((l) => l.split('-')).filter(Boolean);
  const partSet = new Set(parts);
  const letterish = body.map((l) => l.replace(/-/g, ''));
  for (const b of BRANDS) {
    if (isOfficial(host, b.official)) return null;
  }
  for (const b of BRANDS) {
    const hit = b.tokens.some((t) => {
      if (partSet.has(t)) return true;
      if (t.length <= 3) return false;
      return letterish.some((l) => l.includes(t) || (/[a-z]/.test(t) && deLeet(l).includes(t)));
    });
    if (hit) return b.name;
  }
  return null;
}

function parseHost(hostPort: string): { host: string; port: string | null; isIp: boolean } | null {
  let host = hostPort;
  let port: string | null = null;
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
    if (!/^\d{1,5}$/.test(port)) return null;
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) {
    if (host.split('.').every((n) => Number(n) <= 255)) return { host, port, isIp: true };
    return null;
  }
  if (host.length > 253) return null;
  const labels = host.split('.');
  if (labels.length < 2) return null;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63 || !/^[a-z0-9-]+$/.test(l) || l.startsWith('-') || l.endsWith('-')) return null;
  }
  const tld = labels[labels.length - 1];
  if (!/^[a-z]{2,24}$/.test(tld) && !/^xn--[a-z0-9]{2,20}$/.test(tld)) return null;
  return { host, port, isIp: false };
}

const EMAIL_LOCAL = /^[A-Za-z0-9._%+-]{1,64}$/;

/** Find URLs (with or without scheme) and e-mail addresses. */
export function findLinks(text: string): LinkSpan[] {
  const out: LinkSpan[] = [];
  WORD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD_RE.exec(text))) {
    let word = m[0];
    const start = m.index;
    const trail = TRAILING_PUNCT.exec(word);
    if (trail) word = word.slice(0, trail.index);
    if (word.length < 4 || !word.includes('.')) continue;
    const link = parseWord(word.length > 4096 ? word.slice(0, 4096) : word, start, word.length);
    if (link) out.push(link);
  }
  return out;
}

function parseWord(word: string, start: number, fullLength: number): LinkSpan | null {
  const lower = word.toLowerCase();
  // E-mail: local@domain with no scheme and no slash before the @.
  const atPos = word.indexOf('@');
  const schemeMatch = /^(https?|ftp):\/\//.exec(lower);
  if (atPos > 0 && !schemeMatch && !word.slice(0, atPos).includes('/')) {
    const local = word.slice(0, atPos);
    const domain = word.slice(atPos + 1);
    const h = parseHost(domain);
    if (h && !h.isIp && EMAIL_LOCAL.test(local)) {
      return {
        kind: 'email',
        start,
        end: start + fullLength,
        host: h.host,
        scheme: null,
        port: null,
        rest: '',
        isIp: false,
        isApk: false,
        mask: `***@${h.host}`,
        imitates: imitatedBrand(h.host),
        flags: [],
      };
    }
  }
  let rest = schemeMatch ? word.slice(schemeMatch[0].length) : word;
  const scheme = schemeMatch ? schemeMatch[1] : null;
  let cut = rest.length;
  for (const sep of ['/', '?', '#']) {
    const i = rest.indexOf(sep);
    if (i >= 0 && i < cut) cut = i;
  }
  let hostPort = rest.slice(0, cut);
  const path = rest.slice(cut);
  // "http://icbc.com.cn@evil.top/": everything before "@" is user info; the host is after it.
  let userinfo = false;
  const at = hostPort.lastIndexOf('@');
  if (at >= 0) {
    userinfo = true;
    hostPort = hostPort.slice(at + 1);
  }
  const h = parseHost(hostPort);
  if (!h) return null;
  if (!scheme) {
    if (h.isIp) {
      if (!path) return null; // a bare dotted number is probably not a link
    } else {
      const tld = h.host.slice(h.host.lastIndexOf('.') + 1);
      if (!BARE_TLDS.has(tld) && !tld.startsWith('xn--')) return null;
      // "3.5万" or "v1.2" never reach here; a bare "abc.com" is accepted.
    }
  }
  rest = path;
  const pathOnly = rest.split(/[?#]/, 1)[0] ?? '';
  const isApk = /\.apk$/i.test(pathOnly) || /\.apk(?:[?#]|$)/i.test(rest);
  const flags: LinkFlagReason[] = [];
  const imitates = h.isIp ? null : imitatedBrand(h.host);
  if (imitates) flags.push('lookalike');
  if (!h.isIp && isShortLink(h.host, pathOnly)) flags.push('short-link');
  if (h.isIp) flags.push('raw-ip');
  if (isApk) flags.push('apk');
  if (userinfo) flags.push('userinfo');
  if (/(^|\.)xn--/.test(h.host)) flags.push('punycode');
  let mask = (scheme ? `${scheme}://` : '') + h.host + (h.port ? `:${h.port}` : '');
  if (isApk) mask += '/….apk';
  else if (rest.length > 1 || (rest.length === 1 && rest !== '/')) mask += '/…';
  return { kind: 'url', start, end: start + fullLength, host: h.host, scheme, port: h.port, rest, isIp: h.isIp, isApk, mask, imitates, flags };
}

/** Known shorteners, or a tiny domain with a short random-looking path (x.cn/Ab3d). */
export function isShortLink(host: string, path: string): boolean {
  const bare = host.startsWith('www.') ? host.slice(4) : host;
  if (SHORTENERS.has(bare)) return true;
  const reg = registrableDomain(bare);
  if (SHORTENERS.has(reg) && reg !== 'jd.com') return true;
  if (BRANDS.some((b) => isOfficial(bare, b.official))) return false;
  const code = path.replace(/^\//, '');
  return reg.length <= 5 && /^[A-Za-z0-9_-]{3,10}$/.test(code) && /[A-Za-z]/.test(code) && !/^(?:index|home|login|about)$/i.test(code);
}
