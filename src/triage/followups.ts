/**
 * Step 6 of triage: when a verdict is uncertain, pick up to three yes/no questions from
 * knowledge/followups.yaml ("对方有没有让你转账？") that would settle it; and turn the
 * answers into evidence for a new verdict. Pure: the bot only asks and passes answers back.
 */
import type { Followup, FraudTypeId } from '../content/schema.js';
import type { FollowupQuestion, Verdict } from './types.js';
import { evidenceOf } from './verdict.js';

export const MAX_FOLLOWUPS = 3;

export interface FollowupContext {
  verdict: Verdict;
  risk: number;
  /** Risk at which a message becomes suspicious. */
  low: number;
  typeScores: Readonly<Record<FraudTypeId, number>>;
  /** Signal ids already found in the message (not negated). */
  found: ReadonlySet<string>;
  /** Follow-ups already answered. */
  answered: ReadonlySet<string>;
  /** Anything to ask about at all (false for empty text). */
  hasText: boolean;
}

/** Is the verdict uncertain enough to ask? */
export function isUncertain(c: Pick<FollowupContext, 'verdict' | 'risk' | 'low' | 'hasText'>): boolean {
  if (!c.hasText) return false;
  if (c.verdict === 'suspicious') return true;
  // Low risk but not far from the line: a question or two can settle it.
  if (c.verdict === 'low-risk') return c.risk >= c.low * 0.6;
  return false;
}

export function chooseFollowups(all: readonly Followup[], c: FollowupContext): FollowupQuestion[] {
  if (!isUncertain(c)) return [];
  const scored: Array<{ f: Followup; score: number; i: number }> = [];
  all.forEach((f, i) => {
    if (c.answered.has(f.id)) return;
    // Already shown by the message itself: asking would add nothing.
    if (f.signals.every((s) => c.found.has(s))) return;
    const relevance = f.types.length === 0 ? 0.6 : 0.3 + 2 * f.types.reduce((a, t) => a + (c.typeScores[t] ?? 0), 0);
    scored.push({ f, score: f.weight * relevance, i });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, MAX_FOLLOWUPS).map(({ f }) => ({ id: f.id, ask: f.ask }));
}

export interface AnswerEvidence {
  /** Evidence to add to the signal evidence (yes answers). */
  yes: number;
  /** Evidence to subtract (no answers to questions about things the message did not show). */
  no: number;
  /** Type votes from yes answers (unnormalised). */
  votes: Partial<Record<FraudTypeId, number>>;
  confirmed: Followup[];
  denied: Followup[];
}

/** How much a "no" counts against a "yes" of the same question. */
export const NO_FACTOR = 0.35;

export function answerEvidence(
  all: readonly Followup[],
  answers: Readonly<Record<string, boolean>>,
  signalTypes: (signalId: string) => readonly FraudTypeId[],
  found: ReadonlySet<string>,
): AnswerEvidence {
  const out: AnswerEvidence = { yes: 0, no: 0, votes: {}, confirmed: [], denied: [] };
  for (const f of all) {
    const a = answers[f.id];
    if (a === undefined) continue;
    if (a) {
      out.yes += evidenceOf(f.weight);
      out.confirmed.push(f);
      const types = f.types.length ? f.types : [...new Set(f.signals.flatMap((s) => signalTypes(s)))];
      for (const t of types) out.votes[t] = (out.votes[t] ?? 0) + f.weight / types.length;
    } else {
      if (f.signals.some((s) => found.has(s))) continue; // the message says otherwise
      out.no += NO_FACTOR * evidenceOf(f.weight);
      out.denied.push(f);
    }
  }
  return out;
}
