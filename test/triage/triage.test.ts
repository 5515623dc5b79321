import { describe, expect, it } from 'vitest';
import { FRAUD_TYPE_IDS } from '../../src/content/schema.js';
import { buildTriage, type TriageResult } from '../../src/triage/index.js';
import { realContent, realTriage } from './helpers.js';

const triage = realTriage();

/** Every reported evidence string sits exactly at its offsets in the redacted text. */
function expectEvidenceAtOffsets(r: TriageResult) {
  for (const s of r.signals) expect(r.text.slice(s.start, s.end), s.id).toBe(s.evidence);
}

/** A verdict must never tell a resident that a message is safe. */
function expectNeverCallsItSafe(r: TriageResult) {
  const words = [r.explanation, ...r.actions, r.shareText].join('\n');
  expect(words).not.toMatch(/是安全的|很安全|放心吧|没有问题|不是诈骗/);
}

describe('when a resident pastes a scam message', () => {
  it('when a student pastes a brushing ad, then it is high-risk order-brushing with quoted red flags', () => {
    const r = triage.analyse('【兼职】招大学生在家做点赞任务，日结200-500，先垫付一单，完成后连本带佣金返还，加QQ领取任务！');
    expect(r.verdict).toBe('high-risk');
    expect(r.fraudType).toBe('order-brushing');
    expect(r.signals.length).toBeGreaterThan(1);
    expectEvidenceAtOffsets(r);
    expect(r.explanation).toContain('刷单');
    expect(r.scenarioId).toMatch(/^order-brushing-/);
    expect(r.actions.length).toBeGreaterThan(1);
    expect(r.shareText).toContain('96110');
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('when a fake police call is described, then it is high-risk impersonate-officials citing the safe account', () => {
    const r = triage.analyse('刚才有人打电话说是公安局的，说我涉嫌洗钱，要我把存款转到安全账户接受调查，还叫我不要告诉家里人。');
    expect(r.verdict).toBe('high-risk');
    expect(r.fraudType).toBe('impersonate-officials');
    expect(r.signals.map((s) => s.id)).toContain('safe-account');
    expectEvidenceAtOffsets(r);
  });

  it('when a customer-service refund scam quotes personal data, then the verdict quotes only redacted evidence', () => {
    const r = triage.analyse('您好我是淘宝客服，您的快递丢失了，给您双倍赔偿，请提供银行卡号4111 1111 1111 1111和收到的验证码，回电13800000000');
    expect(r.verdict).toBe('high-risk');
    expect(r.text).not.toMatch(/4111|13800000000/);
    for (const s of r.signals) expect(s.evidence).not.toMatch(/4111 1111|00000000/);
    expectEvidenceAtOffsets(r);
  });

  it('then the classifier gives a probability for every fraud type and for benign', () => {
    const r = triage.analyse('恭喜您被抽中为幸运用户，领奖前需先交手续费');
    for (const t of FRAUD_TYPE_IDS) expect(typeof r.scores[t]).toBe('number');
    const sum = Object.values(r.scores).reduce((a, b) => a + (b ?? 0), 0);
    expect(sum).toBeGreaterThan(0.98);
    expect(sum).toBeLessThan(1.02);
  });
});

describe('when a resident types only a few words about what happened', () => {
  it('then a red flag shared by many scams gives the verdict, but the kind is called unclear instead of guessed', () => {
    const r = triage.analyse('对方要我的验证码');
    expect(r.verdict).toBe('high-risk');
    expect(r.fraudType).not.toBeNull(); // the JSON contract: a type whenever the verdict is not low-risk
    expect(r.typeScore).toBeLessThan(0.5);
    expect(r.explanation).toContain('还说不准');
    expect(r.explanation).toContain('原话多贴一些');
    const name = realContent().fraudTypeById.get(r.fraudType!)!.name.zh;
    expect([r.explanation, r.shareText].join('\n')).not.toContain(name);
  });

  it('then "someone is asking me to transfer money" is at least suspicious, with questions to ask', () => {
    for (const t of ['有人让我转账', '对方一直催我转账', '老板让我转账给供应商']) {
      const r = triage.analyse(t);
      expect(r.verdict, t).not.toBe('low-risk');
      expect(r.signals.map((x) => x.id), t).toContain('transfer-to-stranger');
    }
  });

  it('then a whole scam message still names its kind as a fact', () => {
    const r = triage.analyse('兼职刷单，动动手指日赚三百，先垫付后返佣，加V详聊。');
    expect(r.fraudType).toBe('order-brushing');
    expect(r.typeScore).toBeGreaterThanOrEqual(0.5);
    expect(r.explanation).not.toContain('还说不准');
  });
});

describe('when a resident pastes an ordinary or genuine message', () => {
  it('then a family chat is low-risk with no type and says how to check, never that it is safe', () => {
    const r = triage.analyse('妈，我周末回来吃饭，帮我留点腊肉');
    expect(r.verdict).toBe('low-risk');
    expect(r.fraudType).toBeNull();
    expect(r.explanation).toContain('96110');
    expectNeverCallsItSafe(r);
  });

  it('then a genuine bank one-time-code SMS is not high-risk', () => {
    const r = triage.analyse('【某银行】您的验证码为382910，5分钟内有效，请勿泄露给他人。如非本人操作请忽略本短信。');
    expect(r.verdict).not.toBe('high-risk');
  });

  it('then a message that is itself an anti-fraud warning is not high-risk', () => {
    const r = triage.analyse('反诈提醒：凡是自称公检法要求你把钱转到“安全账户”的，都是诈骗！公安机关不会通过电话办案，遇到可疑情况请拨打96110。');
    expect(r.verdict).not.toBe('high-risk');
    expectNeverCallsItSafe(r);
  });
});

describe('when the input is odd', () => {
  it('then empty text is low-risk, asks for the message, and has no follow-ups', () => {
    const r = triage.analyse('');
    expect(r).toMatchObject({ verdict: 'low-risk', fraudType: null, confidence: 0, signals: [], text: '', truncated: false, followups: [] });
    expect(r.explanation).toContain('没有收到');
  });

  it('then whitespace-only text is treated as empty', () => {
    const r = triage.analyse(' \n\t\u3000 ');
    expect(r.verdict).toBe('low-risk');
    expect(r.text).toBe('');
    expect(r.explanation).toContain('没有收到');
  });

  it('then emoji-only text is low-risk with a note that there is nothing to analyse', () => {
    const r = triage.analyse('😀😂👍🏻🙏');
    expect(r.verdict).toBe('low-risk');
    expect(r.nonChinese).toBe(false);
    expect(r.explanation).toContain('没有可以分析的文字');
  });

  it('then 100 KB of text is cut to the cap, marked truncated, and still judged', () => {
    const big = '您的快递丢失，我们给您双倍赔偿，请加客服QQ办理退款。'.repeat(4000);
    expect(big.length).toBeGreaterThan(100_000);
    const r = triage.analyse(big);
    expect(r.truncated).toBe(true);
    expect(Array.from(r.text).length).toBeLessThanOrEqual(5000);
    expect(r.explanation).toContain('只分析了前');
    expect(r.verdict).not.toBe('low-risk');
  });

  it('then 100 KB of digits finishes in under 50 ms and leaks none of them', () => {
    const digits = '6'.repeat(100 * 1024);
    triage.analyse('1'.repeat(100 * 1024)); // warm the code path once
    const t0 = performance.now();
    const r = triage.analyse(digits);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(50);
    expect(r.text).not.toMatch(/\d{12}/);
    expect(r.verdict).toBe('low-risk');
  });

  it('then NUL bytes and control characters are stripped before analysis', () => {
    const r = triage.analyse('请把钱转到\u0000安\u0001全\u0002账\u0003户');
    expect(r.text).toBe('请把钱转到安全账户');
    expect(r.signals.map((s) => s.id)).toContain('safe-account');
  });

  it('then right-to-left override marks cannot hide a red flag', () => {
    const r = triage.analyse('\u202e请打开屏幕\u202d共享\u202c，我帮您操作退款');
    expect(r.text).not.toMatch(/[\u202a-\u202e]/);
    expect(r.signals.map((s) => s.id)).toContain('screen-sharing');
  });

  it('then English-only text gets a clear note and the English red flags it shows', () => {
    const r = triage.analyse('URGENT: your bank account has been frozen. Transfer the money to a safe account and send me the verification code now.');
    expect(r.nonChinese).toBe(true);
    expect(r.explanation).toContain('主要能分析中文');
    const ids = r.signals.map((s) => s.id);
    expect(ids).toContain('safe-account');
    expect(ids).toContain('verification-code');
    expect(r.verdict).not.toBe('low-risk');
    expectEvidenceAtOffsets(r);
  });

  it('then an ordinary English message is low-risk with the same note', () => {
    const r = triage.analyse('See you at the library at 7, bring the notes please.');
    expect(r.nonChinese).toBe(true);
    expect(r.verdict).toBe('low-risk');
    expect(r.explanation).toContain('主要能分析中文');
  });
});

describe('when a link or number is itself the red flag', () => {
  it('then a look-alike official domain is reported with the redacted URL as evidence', () => {
    const r = triage.analyse('【12306】您的车票改签失败，请登录 http://12306-gaiqian.top/refund?id=88 领取退款');
    const hit = r.signals.find((s) => s.id === 'fake-official-domain');
    expect(hit?.evidence).toBe('http://12306-gaiqian.top/…');
    expect(r.verdict).not.toBe('low-risk');
  });

  it('then an odd 96110 caller is reported', () => {
    const r = triage.analyse('来电显示0096110，对方说是反诈中心，说我的银行卡涉案');
    expect(r.signals.map((s) => s.id)).toContain('odd-caller-number');
  });
});

describe('when the verdict is uncertain', () => {
  const vague = '你的账户有点问题，需要你配合处理一下';

  it('then up to three yes/no follow-up questions from the knowledge base are offered', () => {
    const r = triage.analyse(vague);
    expect(r.verdict).not.toBe('high-risk');
    expect(r.followups.length).toBeGreaterThan(0);
    expect(r.followups.length).toBeLessThanOrEqual(3);
    const known = new Set(realContent().followups.map((f) => f.id));
    for (const f of r.followups) expect(known.has(f.id)).toBe(true);
  });

  it('then "yes" answers raise the risk and are named in the explanation', () => {
    const r = triage.analyse(vague);
    const yes = Object.fromEntries(r.followups.map((f) => [f.id, true]));
    const refined = triage.refine(r, yes);
    expect(refined.risk!).toBeGreaterThan(r.risk!);
    expect(refined.verdict).toBe('high-risk');
    expect(refined.fraudType).not.toBeNull();
    expect(refined.explanation).toContain('你回答“是”的');
    expect(refined.answers).toEqual(yes);
    expect(refined.followups.some((f) => f.id in yes)).toBe(false);
  });

  it('then "no" answers lower the risk and answers accumulate over rounds', () => {
    const r = triage.analyse(vague);
    const [first, ...rest] = r.followups;
    const once = triage.refine(r, { [first.id]: false });
    expect(once.risk!).toBeLessThan(r.risk!);
    const twice = triage.refine(once, Object.fromEntries(rest.map((f) => [f.id, false])));
    expect(twice.risk!).toBeLessThanOrEqual(once.risk!);
    expect(Object.keys(twice.answers ?? {})).toHaveLength(r.followups.length);
  });

  it('then refine works on a stored result without its basis (re-reading the redacted text)', () => {
    const r = triage.analyse(vague);
    const { basis: _b, ...stored } = JSON.parse(JSON.stringify(r)) as TriageResult;
    const refined = triage.refine(stored, { [r.followups[0].id]: true });
    expect(refined.risk!).toBeGreaterThan(r.risk! - 0.05);
  });

  it('then a clear high-risk verdict asks nothing', () => {
    const r = triage.analyse('我是公安局的，你涉嫌洗钱，马上把钱转到安全账户，不要告诉任何人');
    expect(r.verdict).toBe('high-risk');
    expect(r.followups).toEqual([]);
  });
});

describe('when triage is built from content', () => {
  it('then it is pure: the same input gives the same result', () => {
    const text = '点赞关注截图就能领佣金，日结，先交99元会员费';
    expect(triage.analyse(text)).toEqual(triage.analyse(text));
  });

  it('then buildTriage gives the same verdicts as the engine the CLI uses', () => {
    const t = buildTriage(realContent());
    const text = '兼职刷单，垫付后返还本金和佣金';
    const a = t.analyse(text);
    const b = triage.analyse(text);
    expect([a.verdict, a.fraudType]).toEqual([b.verdict, b.fraudType]);
  });
});
