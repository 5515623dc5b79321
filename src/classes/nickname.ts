/**
 * Nicknames for class sessions. Students are asked for a nickname only, never their name;
 * this check turns away what would put a child's personal data or abuse on the class report:
 * numbers that look like phones, ID or QQ numbers, links, insults, and plain real names.
 */

export const NICKNAME_MAX = 12;

export type NicknameCheck =
  | { ok: true; nickname: string }
  | { ok: false; reason: 'empty' | 'too-long' | 'digits' | 'link' | 'abuse' | 'real-name' | 'symbols' };

/**
 * A short list of insults and crude words (written for this project, not a copied list).
 * Matched after removing spaces and punctuation, case-insensitive.
 */
const ABUSE = [
  '傻逼', '傻b', '煞笔', '沙比', 'sb', 'sha比', '二逼', '脑残', '智障', '白痴', '弱智', '废物', '垃圾人',
  '操你', '草你', '艹你', '草泥马', '尼玛', '你妈', '他妈', '妈的', '日你', '滚蛋', '去死', '死全家',
  '贱人', '贱货', '婊', '屌', '鸡巴', '几把', '屁眼', '色情', '裸聊', '约炮', '做爱', '黄片',
  'fuck', 'shit', 'bitch', 'dick', 'porn', 'nmsl', 'cnm', 'wcnm', 'tmd', 'nmd',
];

/** Common surnames (the hundred or so most frequent, single and a few double). */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const DOUBLE_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '慕容', '令狐', '皇甫', '尉迟', '公孙'];

/** Endings that make a name-shaped nickname clearly a nickname ("王同学", "李哥", "刘宝宝", "王者"). */
const NICKNAME_ENDING = /(同学|老师|师傅|哥|姐|弟|妹|君|酱|仔|侠|神|者|宝|喵|猫|狗|熊|兔|猪|鸭|鹅)$/u;

const HAN = /^\p{Script=Han}+$/u;

export function validateNickname(input: string): NicknameCheck {
  const nickname = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!nickname) return { ok: false, reason: 'empty' };
  // Control and format characters, or angle brackets: nothing that can hide text or markup.
  if (/[\p{Cc}\p{Cf}<>\\]/u.test(nickname)) return { ok: false, reason: 'symbols' };
  // Five or more digits in total (spaces, dashes or other characters between them included):
  // phone, ID, QQ and student numbers all have more than that. Checked before the length, so
  // a pasted phone number gets the reason that matters.
  if ((nickname.match(/\d/g) ?? []).length >= 5) return { ok: false, reason: 'digits' };
  if (/(https?:|www\.|\.(com|cn|net|top|cc|xyz|org)\b|@)/i.test(nickname)) return { ok: false, reason: 'link' };
  if ([...nickname].length > NICKNAME_MAX) return { ok: false, reason: 'too-long' };
  const squashed = nickname.toLowerCase().replace(/[\s\p{P}\p{S}_]/gu, '');
  if (ABUSE.some((w) => squashed.includes(w))) return { ok: false, reason: 'abuse' };
  if (looksLikeRealName(nickname)) return { ok: false, reason: 'real-name' };
  return { ok: true, nickname };
}

/** Two to four Han characters starting with a common surname, with nothing nickname-like in it. */
export function looksLikeRealName(s: string): boolean {
  if (!HAN.test(s)) return false;
  const chars = [...s];
  if (chars.length < 2 || chars.length > 4) return false;
  const double = DOUBLE_SURNAMES.some((d) => s.startsWith(d));
  if (!double && !SURNAMES.includes(chars[0])) return false;
  if (!double && chars.length === 4) return false;
  const given = chars.slice(double ? 2 : 1).join('');
  if (!given) return false;
  // "王王", "李李": a doubled character is a pet name, not a given name after a surname.
  if (chars.length === 2 && chars[0] === chars[1]) return false;
  return !NICKNAME_ENDING.test(given);
}

/** Key for "is this nickname taken in the class": case and width folded, spaces removed. */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}
