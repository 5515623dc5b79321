/**
 * Choosing a class quiz from the question bank: questions written for students, at the
 * difficulty that suits the class, spread evenly over the fraud types the teacher picked
 * (or the types most common locally), plus an optional short pre/post test.
 */
import type { FraudTypeId, Question } from '../content/schema.js';
import { correctIndex, questionView } from '../learning/quiz.js';
import type { Audience, ClassItem, QuizSet, QuizSpec } from './types.js';

export const QUESTION_COUNTS = [5, 8, 10, 15] as const;
export const MAX_QUESTIONS = 20;
/** Items in the pre-test (asked again as the post-test). */
export const TEST_ITEMS = 3;

/** Difficulty per school level: preferred first, then allowed as a fallback. */
export const DIFFICULTY: Record<Audience, { prefer: number[]; allow: number[] }> = {
  primary: { prefer: [1], allow: [1, 2] },
  middle: { prefer: [1, 2], allow: [1, 2, 3] },
  university: { prefer: [2, 3], allow: [1, 2, 3] },
};

/** Fraud types left out for young children (adult topics). */
export const NOT_FOR_AUDIENCE: Record<Audience, readonly FraudTypeId[]> = {
  primary: ['sextortion', 'romance'],
  middle: [],
  university: [],
};

/** Groups whose questions also fit a class when there are too few student questions. */
const FALLBACK_GROUPS: Record<Audience, readonly string[]> = {
  primary: ['general'],
  middle: ['general'],
  university: ['general', 'young-job-seeker'],
};

export interface BankContent {
  questions: readonly Question[];
  fraudTypes: readonly { id: FraudTypeId; share: number }[];
}

export function toClassItem(q: Question): ClassItem {
  const v = questionView(q);
  return {
    id: q.id,
    version: q.version,
    fraudType: q.fraudType,
    difficulty: q.difficulty,
    kind: q.kind,
    prompt: v.prompt,
    ...(v.ask ? { ask: v.ask } : {}),
    options: v.options,
    correct: correctIndex(q),
    explain: q.explain,
  };
}

/** 0 is best. Undefined: the question does not suit this class at all. */
function tier(q: Question, audience: Audience): number | undefined {
  const d = DIFFICULTY[audience];
  if (!d.allow.includes(q.difficulty)) return undefined;
  const student = q.groups.includes('student');
  if (!student && !q.groups.some((g) => FALLBACK_GROUPS[audience].includes(g))) return undefined;
  return (student ? 0 : 2) + (d.prefer.includes(q.difficulty) ? 0 : 1);
}

/** Fraud types that suit the audience, most common first, that have at least one suitable question. */
export function availableTypes(content: BankContent, audience: Audience): FraudTypeId[] {
  const withQuestions = new Set(content.questions.filter((q) => tier(q, audience) !== undefined).map((q) => q.fraudType));
  return [...content.fraudTypes]
    .filter((t) => withQuestions.has(t.id) && !NOT_FOR_AUDIENCE[audience].includes(t.id))
    .sort((a, b) => b.share - a.share)
    .map((t) => t.id);
}

/** How many of the most common types a "本地最常见" quiz of `count` questions covers. */
export function topTypeCount(count: number): number {
  return Math.min(5, Math.max(2, Math.ceil(count / 3)));
}

function shuffled<T>(list: T[], rng: () => number): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Pick the quiz. Questions are taken round-robin over the types (so the types alternate),
 * best-suited first. Pre/post items come from the same types but, when the bank allows,
 * are not in the main quiz, so the post-test measures what was learnt rather than recall.
 */
export function selectQuizSet(content: BankContent, spec: QuizSpec, rng: () => number = Math.random): QuizSet {
  const count = Math.max(1, Math.min(MAX_QUESTIONS, Math.floor(spec.count)));
  const available = availableTypes(content, spec.audience);
  let types: FraudTypeId[];
  if (spec.types === 'top') types = available.slice(0, topTypeCount(count));
  else types = spec.types.filter((t) => available.includes(t));

  const pools = new Map<FraudTypeId, Question[]>();
  const build = (t: FraudTypeId) => {
    const ranked = shuffled(
      content.questions.filter((q) => q.fraudType === t && tier(q, spec.audience) !== undefined),
      rng,
    ).sort((a, b) => tier(a, spec.audience)! - tier(b, spec.audience)!);
    pools.set(t, ranked);
  };
  types.forEach(build);

  const testWanted = spec.prePost ? TEST_ITEMS : 0;
  const total = () => [...pools.values()].reduce((n, p) => n + p.length, 0);
  // "Most common here": when the top types cannot fill the quiz, bring in the next ones.
  if (spec.types === 'top') {
    for (const t of available) {
      if (total() >= count + testWanted) break;
      if (!pools.has(t)) {
        types.push(t);
        build(t);
      }
    }
  }

  const items: Question[] = [];
  const take = (n: number, into: Question[]) => {
    let progress = true;
    while (into.length < n && progress) {
      progress = false;
      for (const t of types) {
        if (into.length >= n) break;
        const q = pools.get(t)!.shift();
        if (q) {
          into.push(q);
          progress = true;
        }
      }
    }
  };
  take(count, items);
  const tests: Question[] = [];
  if (testWanted) {
    take(testWanted, tests);
    // A small bank: reuse main items rather than leave the test short.
    for (const q of items) {
      if (tests.length >= testWanted) break;
      if (!tests.includes(q)) tests.push(q);
    }
  }
  const seen: FraudTypeId[] = [];
  for (const q of items) if (!seen.includes(q.fraudType)) seen.push(q.fraudType);
  return { items: items.map(toClassItem), testItems: tests.map(toClassItem), types: seen, short: items.length < count };
}
