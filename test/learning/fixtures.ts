/** Small learning content built in code: one scenario and three questions per fraud type, three groups. */
import { FRAUD_TYPE_IDS, type FraudTypeId, type Group, type Question, type Scenario } from '../../src/content/schema.js';
import { learningContent, type AnswerRecord, type LearningContent } from '../../src/learning/index.js';

export const T0 = Date.UTC(2025, 2, 1, 2, 0, 0); // 2025-03-01 10:00 China time
export const MIN = 60_000;
export const DAY = 86_400_000;

/** A three-decision scenario: n1 → n2 → n3 → avoided, with a loss ending reachable from n2 and n3. */
export function scenario(id: string, fraudType: FraudTypeId, opts: Partial<Pick<Scenario, 'version' | 'groups' | 'difficulty'>> = {}): Scenario {
  return {
    id,
    version: opts.version ?? 1,
    fraudType,
    groups: opts.groups ?? ['general'],
    difficulty: opts.difficulty ?? 1,
    title: `情景${id}`,
    intro: '你接到一个陌生电话。',
    start: 'n1',
    nodes: {
      n1: {
        bubbles: [
          { from: 'narrator', text: '晚上八点，手机响了。' },
          { from: 'scammer', name: '客服小王', text: '您好，我是平台客服。' },
        ],
        choices: [
          { text: '挂断，打官方电话核实', feedback: '对，自己找官方核实最稳。', safe: true, signals: ['impostor-customer-service'], next: 'safe' },
          { text: '听他继续说', feedback: '有风险：对方身份还没核实。', safe: false, signals: [], next: 'n2' },
        ],
      },
      n2: {
        bubbles: [{ from: 'scammer', text: '请下载这个会议软件，开屏幕共享。' }],
        choices: [
          { text: '照做', feedback: '屏幕共享会让对方看到验证码。', safe: false, signals: ['screen-sharing', 'meeting-app'], next: 'n3' },
          { text: '拒绝并挂断', feedback: '对，正规客服不会让你共享屏幕。', safe: true, signals: ['screen-sharing'], next: 'safe' },
          { text: '把钱转过去', feedback: '转账就中招了。', safe: false, signals: ['transfer-to-stranger'], next: 'lost' },
        ],
      },
      n3: {
        bubbles: [{ from: 'scammer', text: '把验证码念给我。' }, { from: 'family', text: '你在跟谁打电话？' }],
        choices: [
          { text: '念验证码', feedback: '验证码给了别人，钱就没了。', safe: false, signals: ['verification-code'], next: 'lost' },
          { text: '听家人的，挂断', feedback: '及时刹车。', safe: true, signals: [], next: 'safe' },
        ],
      },
    },
    endings: {
      safe: { outcome: 'avoided', title: '躲过了', text: '你没有上当。', lesson: '自己找官方渠道核实。' },
      lost: { outcome: 'lost', loss: 38000, title: '被骗了', text: '卡里的钱被转走了。', lesson: '不共享屏幕，不给验证码。' },
    },
  };
}

export function scamOrNot(id: string, fraudType: FraudTypeId, isScam: boolean, opts: { version?: number; groups?: string[]; difficulty?: 1 | 2 | 3 } = {}): Question {
  return {
    id,
    version: opts.version ?? 1,
    kind: 'scam-or-not',
    fraudType,
    groups: opts.groups ?? ['general'],
    difficulty: opts.difficulty ?? 1,
    message: isScam ? '您的快递丢失，点链接领取双倍赔偿。' : '您的快递已放在小区驿站，请凭取件码领取。',
    isScam,
    explain: isScam ? '主动理赔还要你点链接，是骗局。' : '正常的取件通知，不要钱也不要验证码。',
    signals: isScam ? ['refund-offer'] : [],
  };
}

export function choiceQ(id: string, fraudType: FraudTypeId, answer: number, opts: { version?: number; groups?: string[]; difficulty?: 1 | 2 | 3 } = {}): Question {
  return {
    id,
    version: opts.version ?? 1,
    kind: 'choice',
    fraudType,
    groups: opts.groups ?? ['general'],
    difficulty: opts.difficulty ?? 1,
    prompt: '陌生人叫你下载会议软件，怎么办？',
    options: ['照做', '拒绝并挂断', '先问问他是谁'],
    answer,
    explain: '正规机构不会让你进会议软件。',
    signals: ['meeting-app'],
  };
}

function group(id: string, name: string, high: Partial<Record<FraudTypeId, number>>): Group {
  const risk = Object.fromEntries(FRAUD_TYPE_IDS.map((t) => [t, high[t] ?? 0.3])) as Record<FraudTypeId, number>;
  return { id, name, description: '测试人群。', risk, tone: '亲切', tips: ['不转账', '不点链接'] };
}

export const GROUPS: Group[] = [
  group('general', '其他居民', {}),
  group('elderly', '老年人', { 'impersonate-officials': 0.95, 'fake-investment': 0.7 }),
  group('student', '学生', { 'order-brushing': 0.95, 'game-trading': 0.8 }),
];

/** Scenario `s-<type>` and questions `q-<type>-1..3` for every type. */
export function fullContent(): LearningContent {
  const scenarios: Scenario[] = [];
  const questions: Question[] = [];
  for (const t of FRAUD_TYPE_IDS) {
    scenarios.push(scenario(`s-${t}`, t));
    questions.push(scamOrNot(`q-${t}-1`, t, true), choiceQ(`q-${t}-2`, t, 1), scamOrNot(`q-${t}-3`, t, false, { difficulty: 2 }));
  }
  return learningContent({ scenarios, questions, groups: GROUPS });
}

export function ans(kind: 'scenario' | 'question', itemId: string, fraudType: FraudTypeId, correct: boolean, at: number, version = 1): AnswerRecord {
  return { kind, itemId, version, fraudType, correct, at };
}
