/**
 * A small but complete, valid content tree written into a temp folder, so loader tests
 * can break one thing at a time without depending on the real knowledge base.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FRAUD_TYPE_IDS } from '../../src/content/schema.js';

const GROUPS = ['student', 'middle-aged-woman', 'public-servant', 'elderly', 'young-job-seeker', 'general'];

function fraudType(id: string) {
  return `id: ${id}
name: { zh: 测试类型, en: Test type }
share: 0.05
summary: 这是一个测试用的诈骗类型。
stages:
  - { title: 引流, text: 骗子先来搭话。 }
  - { title: 收钱, text: 骗子要你转账。 }
scripts:
  - 先交一点保证金就行
  - 这是内部渠道
  - 不要告诉别人
signals: [safe-account, pay-first-fee]
advice:
  before: [不点陌生链接]
  during: [马上挂电话]
  after: [打 110]
groups: [general]
`;
}

export const MINI_FILES: Record<string, string> = {
  'knowledge/signals.yaml': `signals:
  - id: safe-account
    name: 安全账户
    explain: 公安机关没有安全账户。
    weight: 0.9
    keywords: [安全账户]
    patterns: ['(?:转|汇)到.{0,6}安全(?:账|帐)户']
    types: [impersonate-officials]
  - id: pay-first-fee
    name: 先交钱
    explain: 正规贷款不会先收费。
    weight: 0.7
    keywords: [保证金, 手续费]
calming:
  - id: warning
    name: 反诈提醒
    weight: 0.5
    keywords: [谨防诈骗]
`,
  'knowledge/followups.yaml': `followups:
  - id: asked-transfer
    ask: 对方有没有让你转账？
    signals: [safe-account]
    weight: 0.5
`,
  'knowledge/groups.yaml':
    'groups:\n' +
    GROUPS.map(
      (g) => `  - id: ${g}
    name: 人群${g.length}
    description: 测试人群。
    risk: { ${FRAUD_TYPE_IDS.map((t) => `${t}: 0.5`).join(', ')} }
    tone: 亲切
    tips: [不转账, 不点链接]
`,
    ).join(''),
  'knowledge/advice.yaml': `hotlines:
  - { id: police, number: "110", name: 报警电话, when: 紧急情况 }
  - { id: anti-fraud, number: "96110", name: 反诈专线, when: 拿不准的时候 }
real96110: [真的 96110 是本地区号加 96110, 带 00 的是假的]
app: { name: 国家反诈中心, why: [能预警] }
rules:
  - { id: r1, title: 规则一, items: [甲, 乙, 丙] }
  - { id: r2, title: 规则二, items: [甲, 乙, 丙] }
  - { id: r3, title: 规则三, items: [甲, 乙, 丙] }
afterLoss: [马上止付, 打 110, 保留证据]
immediate: [先别转账, 挂断电话]
`,
  'scenarios/test-scenario.yaml': `id: test-scenario
version: 1
fraudType: impersonate-officials
groups: [elderly]
difficulty: 1
title: 测试情景
intro: 你接到一个电话。
start: n1
nodes:
  n1:
    bubbles:
      - { from: scammer, text: 我是公安局的，你涉嫌洗钱。 }
    choices:
      - { text: 挂断, feedback: 对，挂断最安全。, safe: true, signals: [safe-account], next: safe }
      - { text: 听他说, feedback: 危险。, safe: false, next: n2 }
  n2:
    bubbles:
      - { from: scammer, text: 把钱转到安全账户。 }
    choices:
      - { text: 转账, feedback: 公安没有安全账户。, safe: false, next: lost }
      - { text: 打 110 核实, feedback: 对。, safe: true, next: safe }
endings:
  safe: { outcome: avoided, title: 躲过了, text: 你没有上当。, lesson: 公安不会打电话要钱。 }
  lost: { outcome: lost, loss: 50000, title: 被骗了, text: 钱被转走了。, lesson: 没有安全账户。 }
`,
  'scenarios/quiz/test.yaml': `questions:
  - id: q-test-001
    kind: scam-or-not
    fraudType: impersonate-officials
    groups: [general]
    difficulty: 1
    message: 你涉嫌洗钱，请把钱转到安全账户。
    isScam: true
    explain: 安全账户都是骗局。
    signals: [safe-account]
  - id: q-test-002
    kind: choice
    fraudType: order-brushing
    groups: [student]
    difficulty: 1
    prompt: 有人叫你刷单，怎么办？
    options: [拒绝, 试试]
    answer: 0
    explain: 刷单就是诈骗。
`,
};
for (const t of FRAUD_TYPE_IDS) MINI_FILES[`knowledge/fraud-types/${t}.yaml`] = fraudType(t);
for (const label of [...FRAUD_TYPE_IDS, 'benign']) {
  MINI_FILES[`knowledge/examples/${label}.yaml`] = `label: ${label}\nexamples:\n  - { id: ex-${label}, form: sms, text: 这是一条${label}的例子。 }\n`;
}

/** Write the mini content into a fresh temp dir, with `overrides` replacing whole files (null deletes). */
export function writeMiniContent(overrides: Record<string, string | null> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fanzha-content-'));
  const files = { ...MINI_FILES, ...overrides };
  for (const [rel, body] of Object.entries(files)) {
    if (body === null) continue;
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, body);
  }
  return root;
}
