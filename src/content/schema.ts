/**
 * Strict zod schemas for everything under knowledge/ and scenarios/.
 * Unknown keys are rejected everywhere (z.strictObject), so a typo in a field name
 * is an error with a line number instead of silently ignored content.
 */
import { z } from 'zod';

/** The 13 fraud type ids from shared/docs/fraud-facts.md. Permanent: never rename. */
export const FRAUD_TYPE_IDS = [
  'order-brushing',
  'loan-credit',
  'fake-investment',
  'fake-customer-service',
  'impersonate-officials',
  'fake-shopping',
  'sextortion',
  'impersonate-acquaintance',
  'game-trading',
  'flight-refund',
  'romance',
  'military-police-purchase',
  'other',
] as const;
export type FraudTypeId = (typeof FRAUD_TYPE_IDS)[number];
export const fraudTypeId = z.enum(FRAUD_TYPE_IDS);

/** Label of a training/evaluation example: a fraud type or an ordinary message. */
export const BENIGN = 'benign' as const;
export const exampleLabel = z.union([fraudTypeId, z.literal(BENIGN)]);
export type ExampleLabel = z.infer<typeof exampleLabel>;

/** kebab-case ids, permanent once published. */
export const id = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, '只能用小写字母、数字和连字符（如 safe-account）');

const text = (max = 2000) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 个字符`);
const textList = (min = 1, max = 40, len = 600) => z.array(text(len)).min(min).max(max);

// ---------------------------------------------------------------- fraud types
export const fraudTypeSchema = z.strictObject({
  id: fraudTypeId,
  name: z.strictObject({ zh: text(40), en: text(80) }),
  /** Share of local cases prosecuted 2022–2025 (0..1), from fraud-facts.md. */
  share: z.number().min(0).max(1),
  summary: text(600),
  stages: z
    .array(z.strictObject({ title: text(40), text: text(500) }))
    .min(2)
    .max(10),
  /** Lines scammers typically say. */
  scripts: textList(3, 20, 200),
  /** Red-flag signal ids from signals.yaml that mark this type. */
  signals: z.array(id).min(2).max(30),
  advice: z.strictObject({
    before: textList(1, 10, 300),
    during: textList(1, 10, 300),
    after: textList(1, 10, 300),
  }),
  legal: textList(1, 10, 400).optional(),
  /** Audience group ids from groups.yaml most at risk. */
  groups: z.array(id).min(1).max(6),
});
export type FraudType = z.infer<typeof fraudTypeSchema>;

// ---------------------------------------------------------------- signals
export const signalSchema = z.strictObject({
  id,
  name: text(30),
  /** What it is and why it is a red flag, for a resident. */
  explain: text(300),
  /** 0..1: how strongly this alone indicates fraud. */
  weight: z.number().min(0).max(1),
  /** Plain substrings; case-insensitive after normalisation. */
  keywords: z.array(text(40)).max(60).default([]),
  /** JavaScript regular expressions (no flags, compiled with 'iu'); must be safe. */
  patterns: z.array(text(300)).max(30).default([]),
  /** Fraud types this signal usually points to (a hint for triage). */
  types: z.array(fraudTypeId).max(13).default([]),
});
export type Signal = z.infer<typeof signalSchema>;

/**
 * Calming markers: wording typical of genuine notices and anti-fraud warnings
 * ("客服不会向您索要验证码", "凡是……都是诈骗"). They lower the risk of a message
 * that quotes red-flag words only to warn about them.
 */
export const calmingSchema = z.strictObject({
  id,
  name: text(30),
  /** 0..1: how much this lowers the risk. */
  weight: z.number().min(0).max(1),
  keywords: z.array(text(40)).max(60).default([]),
  patterns: z.array(text(300)).max(30).default([]),
});
export type Calming = z.infer<typeof calmingSchema>;

export const signalsFileSchema = z.strictObject({
  signals: z.array(signalSchema).min(1).max(500),
  calming: z.array(calmingSchema).max(100).default([]),
});

// ---------------------------------------------------------------- follow-up questions
export const followupSchema = z.strictObject({
  id,
  /** A yes/no question the bot asks when a verdict is uncertain. */
  ask: text(80),
  /** Signal ids that a "yes" confirms. */
  signals: z.array(id).min(1).max(10),
  /** How much a "yes" raises the risk (0..1). */
  weight: z.number().min(0).max(1),
  /** Fraud types this question is most useful for (empty: any). */
  types: z.array(fraudTypeId).max(13).default([]),
});
export type Followup = z.infer<typeof followupSchema>;
export const followupsFileSchema = z.strictObject({
  followups: z.array(followupSchema).min(1).max(50),
});

// ---------------------------------------------------------------- groups
export const groupSchema = z.strictObject({
  id,
  name: text(20),
  /** Who they are, in one or two sentences. */
  description: text(300),
  /** Risk weight per fraud type, 0..1, all 13 required. */
  risk: z.record(fraudTypeId, z.number().min(0).max(1)),
  /** How the bot should speak to this group. */
  tone: text(200),
  tips: textList(2, 15, 200),
});
export type Group = z.infer<typeof groupSchema>;
export const groupsFileSchema = z.strictObject({
  groups: z.array(groupSchema).min(1).max(20),
});

// ---------------------------------------------------------------- advice
export const adviceSchema = z.strictObject({
  hotlines: z
    .array(
      z.strictObject({
        id,
        number: z.string().regex(/^[0-9+\-（）() ]{3,20}$/),
        name: text(30),
        when: text(200),
      }),
    )
    .min(2),
  /** How a real 96110 call or 12381 SMS looks, and how fakes differ. */
  real96110: textList(2, 10, 300),
  app: z.strictObject({ name: text(30), why: textList(1, 8, 200) }),
  rules: z
    .array(z.strictObject({ id, title: text(30), items: textList(3, 12, 200) }))
    .min(3),
  /** Steps after a loss, in order. */
  afterLoss: textList(3, 12, 300),
  /** What to do right now, for a high-risk verdict. */
  immediate: textList(2, 8, 200),
});
export type Advice = z.infer<typeof adviceSchema>;

// ---------------------------------------------------------------- examples
export const EXAMPLE_FORMS = ['sms', 'chat', 'call', 'post', 'email', 'notice'] as const;
export const exampleSchema = z.strictObject({
  id,
  form: z.enum(EXAMPLE_FORMS),
  text: text(3000),
});
export const examplesFileSchema = z.strictObject({
  label: exampleLabel,
  examples: z.array(exampleSchema).min(1).max(1000),
});
export type Example = z.infer<typeof exampleSchema> & { label: ExampleLabel; file: string };

// ---------------------------------------------------------------- scenarios
export const SPEAKERS = ['scammer', 'friend', 'family', 'bank', 'police', 'official', 'narrator', 'system', 'me'] as const;
const bubble = z.strictObject({
  from: z.enum(SPEAKERS),
  /** Display name, e.g. "客服小王"; defaults per speaker. */
  name: text(20).optional(),
  text: text(500),
});
const choice = z.strictObject({
  text: text(60),
  /** Why this choice is wise or risky. Required: every choice teaches something. */
  feedback: text(400),
  /** true when the choice is the safe/wise one. */
  safe: z.boolean(),
  signals: z.array(id).max(6).default([]),
  /** Id of a node or an ending. */
  next: id,
});
const node = z.strictObject({
  bubbles: z.array(bubble).min(1).max(8),
  choices: z.array(choice).min(2).max(4),
});
const ending = z.strictObject({
  outcome: z.enum(['lost', 'avoided']),
  /** Money lost in yuan (for outcome "lost"). */
  loss: z.number().int().min(0).max(100_000_000).optional(),
  title: text(40),
  text: text(600),
  lesson: text(400),
});
export const DIFFICULTY = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const scenarioSchema = z.strictObject({
  id,
  version: z.number().int().min(1),
  fraudType: fraudTypeId,
  groups: z.array(id).min(1).max(6),
  difficulty: DIFFICULTY,
  title: text(40),
  intro: text(400),
  start: id,
  nodes: z.record(id, node),
  endings: z.record(id, ending),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioNode = z.infer<typeof node>;
export type ScenarioEnding = z.infer<typeof ending>;

// ---------------------------------------------------------------- quiz questions
const questionBase = {
  id,
  version: z.number().int().min(1).default(1),
  fraudType: fraudTypeId,
  groups: z.array(id).min(1).max(6),
  difficulty: DIFFICULTY,
  explain: text(400),
  signals: z.array(id).max(6).default([]),
};
export const scamOrNotSchema = z.strictObject({
  ...questionBase,
  kind: z.literal('scam-or-not'),
  /** The message shown to the user. */
  message: text(400),
  isScam: z.boolean(),
});
export const choiceQuestionSchema = z.strictObject({
  ...questionBase,
  kind: z.literal('choice'),
  prompt: text(200),
  options: z.array(text(80)).min(2).max(4),
  /** Index of the right option in `options`. */
  answer: z.number().int().min(0).max(3),
});
export const questionSchema = z.discriminatedUnion('kind', [scamOrNotSchema, choiceQuestionSchema]);
export type Question = z.infer<typeof questionSchema>;
export const quizFileSchema = z.strictObject({
  questions: z.array(questionSchema).min(1).max(500),
});
