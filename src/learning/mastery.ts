/**
 * Mastery per fraud type, derived from the answer history alone.
 *
 * The rule (MASTERY_RULE): a type is mastered when
 *   - the user got at least 3 different items of that type right, or at least 2 different
 *     items when one of them is a scenario in which they avoided the scam; and
 *   - of their last 5 answers of that type (repeats included), at least 80% were right.
 * Different items, so answering one question five times proves nothing; recent accuracy, so a
 * run of fresh mistakes takes mastery away until the user gets them right again.
 *
 * score (0..1) = recent accuracy × evidence, where evidence is how far the user is towards the
 * item count above (1 when reached). It ranks "weakest types" and shows as 掌握度.
 */
import { FRAUD_TYPE_IDS, type FraudTypeId } from '../content/schema.js';
import { itemKey } from './content.js';
import type { AnswerRecord, TypeMastery } from './types.js';

export const MASTERY_RULE = {
  /** Different correct items needed, when none is an avoided scenario. */
  minCorrectItems: 3,
  /** Different correct items needed, when at least one is an avoided scenario. */
  minCorrectItemsWithScenario: 2,
  /** How many of the latest answers of the type count as "recent". */
  recentWindow: 5,
  minRecentAccuracy: 0.8,
} as const;

/** TypeMastery plus the numbers behind it (for "还差几道" hints). */
export interface TypeProgress extends TypeMastery {
  /** Different items answered right at least once. */
  correctItems: number;
  /** Different scenarios of this type ended with the scam avoided. */
  scenariosAvoided: number;
  /** Accuracy of the last `recentWindow` answers (0 when none). */
  recentAccuracy: number;
  /** Time of the latest answer of this type. */
  lastAt?: number;
}

/** Running mastery state of one type, fed answers in time order. */
export class TypeTally {
  attempts = 0;
  correct = 0;
  lastAt: number | undefined;
  private readonly correctItems = new Set<string>();
  private readonly avoided = new Set<string>();
  private readonly recent: boolean[] = [];

  constructor(readonly fraudType: FraudTypeId) {}

  add(r: AnswerRecord): void {
    this.attempts++;
    this.lastAt = r.at;
    if (r.correct) {
      this.correct++;
      this.correctItems.add(itemKey(r.kind, r.itemId));
      if (r.kind === 'scenario') this.avoided.add(r.itemId);
    }
    this.recent.push(r.correct);
    if (this.recent.length > MASTERY_RULE.recentWindow) this.recent.shift();
  }

  progress(): TypeProgress {
    const items = this.correctItems.size;
    const scenarios = this.avoided.size;
    const recentAccuracy = this.recent.length ? this.recent.filter(Boolean).length / this.recent.length : 0;
    const evidence = Math.min(
      1,
      Math.max(items / MASTERY_RULE.minCorrectItems, scenarios > 0 ? items / MASTERY_RULE.minCorrectItemsWithScenario : 0),
    );
    const mastered = evidence >= 1 && recentAccuracy >= MASTERY_RULE.minRecentAccuracy;
    const p: TypeProgress = {
      fraudType: this.fraudType,
      attempts: this.attempts,
      correct: this.correct,
      score: round(recentAccuracy * evidence),
      mastered,
      correctItems: items,
      scenariosAvoided: scenarios,
      recentAccuracy: round(recentAccuracy),
    };
    if (this.lastAt !== undefined) p.lastAt = this.lastAt;
    return p;
  }
}

/** Answers in time order (stable for equal times). */
export function chronological(history: readonly AnswerRecord[]): AnswerRecord[] {
  return history
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.at - b.r.at || a.i - b.i)
    .map((x) => x.r);
}

/** Mastery of all 13 types, in FRAUD_TYPE_IDS order. */
export function masteryByType(history: readonly AnswerRecord[]): TypeProgress[] {
  const tallies = new Map(FRAUD_TYPE_IDS.map((t) => [t, new TypeTally(t)]));
  for (const r of chronological(history)) tallies.get(r.fraudType)?.add(r);
  return FRAUD_TYPE_IDS.map((t) => tallies.get(t)!.progress());
}

export function masteryOf(history: readonly AnswerRecord[], fraudType: FraudTypeId): TypeProgress {
  const t = new TypeTally(fraudType);
  for (const r of chronological(history)) if (r.fraudType === fraudType) t.add(r);
  return t.progress();
}

/** What is still missing for mastery, in Chinese, or undefined when mastered. */
export function masteryHint(p: TypeProgress): string | undefined {
  if (p.mastered) return undefined;
  if (p.attempts === 0) return '还没开始';
  if (p.scenariosAvoided > 0) {
    const need = MASTERY_RULE.minCorrectItemsWithScenario - p.correctItems;
    if (need > 0) return `再答对 ${need} 道不同的题就掌握了`;
  } else {
    const need = MASTERY_RULE.minCorrectItems - p.correctItems;
    if (need > 0) {
      return p.correctItems >= MASTERY_RULE.minCorrectItemsWithScenario - 1
        ? `再答对 ${need} 道不同的题，或者在一个情景里躲过骗局`
        : `再答对 ${need} 道不同的题`;
    }
  }
  return `最近 ${MASTERY_RULE.recentWindow} 次要答对八成以上，再练几道`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
