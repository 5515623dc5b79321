/**
 * The certificate: earned at the first moment every one of the 13 fraud types was mastered
 * at once (see MASTERY_RULE). It is a snapshot of that moment, so later mistakes do not take
 * it away and replaying the same history always yields the same certificate.
 */
import { FRAUD_TYPE_IDS, type FraudTypeId } from '../content/schema.js';
import { itemKey } from './content.js';
import { TypeTally, chronological } from './mastery.js';
import type { AnswerRecord } from './types.js';

export const CERTIFICATE_TIME_ZONE = 'Asia/Shanghai';

export interface Certificate {
  /** Epoch ms of the answer that completed the set. */
  earnedAt: number;
  /** That day in China time, YYYY-MM-DD. */
  date: string;
  typesMastered: number;
  /** Counts up to and including the earning answer. */
  scenariosPlayed: number;
  scenariosAvoided: number;
  questionsAnswered: number;
  questionsCorrect: number;
  /** Different items the user worked through. */
  distinctItems: number;
  /** Right answers / all answers, 0..1. */
  accuracy: number;
  /** Days from the first answer to the certificate (at least 1). */
  days: number;
}

export function certificate(history: readonly AnswerRecord[]): Certificate | undefined {
  const tallies = new Map(FRAUD_TYPE_IDS.map((t) => [t, new TypeTally(t)]));
  const mastered = new Set<FraudTypeId>();
  const items = new Set<string>();
  let scenariosPlayed = 0;
  let scenariosAvoided = 0;
  let questionsAnswered = 0;
  let questionsCorrect = 0;
  let first: number | undefined;
  for (const r of chronological(history)) {
    const t = tallies.get(r.fraudType);
    if (!t) continue;
    first ??= r.at;
    t.add(r);
    items.add(itemKey(r.kind, r.itemId));
    if (r.kind === 'scenario') {
      scenariosPlayed++;
      if (r.correct) scenariosAvoided++;
    } else {
      questionsAnswered++;
      if (r.correct) questionsCorrect++;
    }
    if (t.progress().mastered) mastered.add(r.fraudType);
    else mastered.delete(r.fraudType);
    if (mastered.size === FRAUD_TYPE_IDS.length) {
      const total = scenariosPlayed + questionsAnswered;
      return {
        earnedAt: r.at,
        date: chinaDate(r.at),
        typesMastered: mastered.size,
        scenariosPlayed,
        scenariosAvoided,
        questionsAnswered,
        questionsCorrect,
        distinctItems: items.size,
        accuracy: Math.round(((scenariosAvoided + questionsCorrect) / total) * 1000) / 1000,
        days: Math.max(1, Math.ceil((r.at - first) / 86_400_000)),
      };
    }
  }
  return undefined;
}

/** YYYY-MM-DD of an instant in China time. */
export function chinaDate(at: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: CERTIFICATE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
  return parts;
}
