/**
 * Every Chinese phrase triage writes, in one place, so that wording can be reviewed and
 * changed without touching the logic. Plain, warm and concrete; never "safe" (安全) for a
 * message: low risk only means no known signs were found.
 */
import type { Verdict } from './types.js';

/** Placeholders that replace personal data in redacted text. */
export const MASK = {
  idCard: '[身份证号]',
  bankCard: '[银行卡号]',
  longDigits: '[长数字]',
} as const;

export const VERDICT_NAME: Record<Verdict, string> = {
  'high-risk': '高风险',
  suspicious: '可疑',
  'low-risk': '低风险',
};

export const VERDICT_HEADLINE: Record<Verdict, string> = {
  'high-risk': '高风险：很像诈骗，先停下来，别转账！',
  suspicious: '可疑：有诈骗的影子，先核实再说',
  'low-risk': '低风险：没发现已知的诈骗特征',
};

/** Extra detail shown after a signal name for findings made by the link and number checks. */
export const FINDING_DETAIL = {
  lookalike: (brand: string) => `冒充「${brand}」的网址`,
  'short-link': '短链接，看不出真实去向',
  'raw-ip': '网址是一串数字（IP 地址），正规机构不会这样发',
  apk: '直接下载安装包（.apk），绕开了正规应用商店',
  userinfo: '网址里藏了“@”，真实去向在“@”后面',
  punycode: '网址用了形似的外文字母',
  foreign: '境外号码',
  'odd-96110': '“96110”前后多了奇怪的数字，真的反诈专线是“本地区号+96110”',
  virtual: '虚拟运营商号段（170/171/162/165/167 开头）',
} as const;

const quote = (s: string) => `“${s.length > 40 ? s.slice(0, 40) + '…' : s}”`;

export const zh = {
  quote,
  empty: '没有收到要分析的文字。请把可疑的短信、聊天记录，或者对方在电话里说的话粘贴过来。',
  noText: '这段内容里没有可以分析的文字（只有表情、符号或数字）。请把对方说的话原样粘贴过来。',
  nonChinese: '目前主要能分析中文消息，外文内容只能找出少数明显的危险说法，结果仅供参考。',
  truncated: (max: number) => `消息太长，只分析了前 ${max} 个字。`,
  highLead: (type: string) => `这条消息很可能是「${type}」诈骗。`,
  suspiciousLead: (type: string) => `这条消息有可疑的地方，说法像「${type}」诈骗的套路。`,
  suspiciousNoSignal: (type: string) => `这条消息没有明显的危险说法，但整体很像「${type}」诈骗的常见说法，要多留个心眼。`,
  highLeadNoType: '这条消息里有骗子常用的说法，很危险；具体是哪一类骗局，光凭这几句还说不准。',
  suspiciousLeadNoType: '这条消息有可疑的地方，但具体像哪一类骗局，光凭这几句还说不准。',
  suspiciousNoSignalNoType: '这条消息没有明显的危险说法，但整体读起来有点像骗子的话术，要多留个心眼。',
  moreTextHelps: '方便的话，把对方的原话多贴一些，我能看得更准。',
  lowLead: '没有发现已知的诈骗特征。但这不等于一定没问题，骗子的说法天天在变。',
  lowWithHints: '没有发现明显的诈骗套路，只有个别要留意的说法。但这不等于一定没问题，骗子的说法天天在变。',
  signalsIntro: (n: number) => (n === 1 ? '发现 1 个危险信号：' : `发现 ${n} 个危险信号：`),
  signalItem: (name: string, evidence: string, detail?: string) => `「${name}」${detail ? `（${detail}）` : ''}——原文${quote(evidence)}`,
  weakIntro: '要留意的说法：',
  negatedIntro: '在提醒或否定的语气里提到了：',
  negatedNote: '（只作参考）',
  calming: (ev: string) => `消息里有正规通知或反诈提醒常见的说法（${quote(ev)}），所以风险调低了一些。`,
  topExplain: (explain: string) => `为什么危险：${explain}`,
  confirmedIntro: '你回答“是”的：',
  deniedIntro: '你回答“不是”的：',
  lostLead: '你说钱已经转出去了：现在最要紧的是马上止付、报警，越早打电话，越有可能把钱拦下来。下面几步请马上做。',
  lowHowToCheck: '如果这件事涉及钱、验证码或个人信息，请挂断或退出后，自己拨打官方客服电话核实（不要用消息里给的号码和链接）；拿不准就打 96110 问问。',
  followupIntro: '回答下面几个问题，判断会更准：',
};

/** What to do now, by verdict. The fraud type's own advice is added in front of these. */
export const ACTIONS = {
  high: [
    '先别转账、别付款，也别再和对方联系。',
    '不要点对方发来的链接，不要告诉对方验证码，立刻关掉屏幕共享。',
    '如果已经转了钱，马上打 110 或 96110 报警，并告诉你的开户银行，保留聊天记录和转账凭证。',
  ],
  suspicious: [
    '先别转账，也别把验证码、银行卡号、密码告诉对方。',
    '挂断或退出聊天，自己查官方电话核实（不要用对方给的号码和链接）。',
    '拿不准就打 96110 反诈专线问问，或者问问家人朋友。',
  ],
  low: [
    '涉及钱的事，自己拨打官方客服电话核实，不用消息里给的号码和链接。',
    '任何人要验证码、要你共享屏幕、要你转到陌生账户，都先停下来。',
    '拿不准就打 96110 问问；手机上可以装「国家反诈中心」App。',
  ],
  afterLoss: '已经被骗了钱？马上打 110 或 96110，越早报警越有可能拦住钱。',
};

export const SHARE = {
  risky: (type: string, flags: string[]) =>
    `【反诈提醒】我刚收到一条像「${type}」诈骗的消息${flags.length ? `，特点是：${flags.join('、')}` : ''}。` +
    '大家遇到类似的千万别转账、别给验证码，拿不准就打 96110 问一问。',
  riskyNoType: (flags: string[]) =>
    `【反诈提醒】我刚收到一条可疑的消息${flags.length ? `，特点是：${flags.join('、')}` : ''}。` +
    '大家遇到类似的千万别转账、别给验证码，拿不准就打 96110 问一问。',
  low: '【反诈提醒】收到陌生人谈钱、要验证码或让点链接的消息，先停一停：自己打官方电话核实，拿不准就打 96110 问一问。',
};

/** Lines of the human-readable CLI output. */
export const CLI = {
  verdict: '判断',
  type: '最像的诈骗类型',
  typeUnclear: (closest: string, pct: number) => `还说不准，最接近「${closest}」（判断的把握 ${pct}%）`,
  confidence: '把握',
  signals: '危险信号',
  explanation: '说明',
  actions: '现在该怎么做',
  followups: '再确认几件事（回答“是/否”可以判断得更准）',
  scenario: '想练练眼力，可以玩这个情景',
  share: '可以转给家人的提醒',
  text: '分析的文字（已隐去个人信息）',
  noSignals: '没有找到已知的危险说法',
  usage: '用法：fanzha triage "可疑的消息"   或   fanzha triage --jsonl < 输入.jsonl',
  needText: '请把要分析的消息放在引号里，例如：fanzha triage "您的快递丢失，我们给您双倍赔偿"',
};

export const JSONL_ERRORS = {
  notJson: '这一行不是合法的 JSON',
  notObject: '这一行应该是一个 JSON 对象：{"id": "...", "text": "..."}',
  badId: '"id" 必须是字符串',
  noText: '缺少 "text"，或者 "text" 不是字符串',
  tooLong: (max: number) => `这一行太长（超过 ${max} 个字节），没有处理`,
  failed: '分析这一行时出错了',
};
