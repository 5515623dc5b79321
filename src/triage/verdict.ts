/**
 * Step 5 of triage: combine the red-flag signals, the calming markers and the classifier into
 * a verdict, a fraud type and a confidence.
 *
 * Risk is a logistic combination on the log-odds scale:
 *
 *   z = b0 + bP · logit(P(scam)) + bS · E_signals − bC · E_calming
 *   risk = σ(z)
 *
 * where E = Σ −ln(1 − w) over matched items (the noisy-OR of their weights as additive
 * evidence: one 0.95 signal ≈ 3.0, one 0.5 signal ≈ 0.7). Signals carry most of the weight
 * because they generalise to messages written by anyone; the classifier adds what signals
 * miss (the overall "shape" of a scam script) and is damped for non-Chinese text, where it
 * was never trained.
 *
 * "high-risk" additionally needs real signal evidence (E_signals ≥ minSignalForHigh), so the
 * classifier alone can at most make a message "suspicious", and a genuine notice that only
 * sounds like a scam is never called high-risk on wording alone.
 */
import { FRAUD_TYPE_IDS, type FraudTypeId } from '../content/schema.js';
import type { Verdict } from './types.js';

export interface VerdictParams {
  b0: number;
  bP: number;
  bS: number;
  bC: number;
  /** risk at or above: high-risk (when signal evidence allows). */
  high: number;
  /** risk at or above: suspicious. */
  low: number;
  /** Signal evidence needed for high-risk. */
  minSignalForHigh: number;
  /** Share of signal votes (vs classifier) in the fraud-type choice. */
  typeMix: number;
  /** Weight multiplier for a red flag found inside a warning or denial. */
  negatedFactor: number;
  /** P(scam) assumed for text the classifier cannot read (non-Chinese). */
  neutralP: number;
}

export const DEFAULT_PARAMS: VerdictParams = {
  b0: -1.2,
  bP: 0.9,
  bS: 1.4,
  bC: 1.2,
  high: 0.88,
  low: 0.4,
  minSignalForHigh: 1.2,
  typeMix: 0.35,
  negatedFactor: 0.25,
  neutralP: 0.3,
};

export interface Evidence {
  /** Σ −ln(1−w) over non-negated signal hits (w already scaled by finding factors). */
  signal: number;
  /** Σ −ln(1−w) over calming markers. */
  calming: number;
  /** Evidence against: follow-up questions answered "no" (scaled down, see followups.ts). */
  denied?: number;
  /** Classifier P(scam) = 1 − P(benign). */
  scamP: number;
  /** Classifier P(type | scam), normalised over the 13 types. */
  typeDist: Partial<Record<FraudTypeId, number>>;
  /** Signal votes per type, normalised to sum 1 (empty when no signal points anywhere). */
  votes: Partial<Record<FraudTypeId, number>>;
  /** Classifier is not reliable for this text. */
  nonChinese: boolean;
}

export interface Judgement {
  verdict: Verdict;
  risk: number;
  fraudType: FraudTypeId | null;
  /** The best type even when the verdict is low-risk (for follow-up choice). */
  topType: FraudTypeId;
  /** How strongly the evidence points at topType (its mixed score, 0..1). */
  typeScore: number;
  typeScores: Record<FraudTypeId, number>;
  confidence: number;
}

/**
 * Below this typeScore the kind of scam is shown as "not clear yet". On both held-out sets
 * the type was right for ~50% of scam messages scoring under 0.5 and for 97-100% above.
 */
export const TYPE_SURE = 0.5;

/** Is the fraud type of a result clear enough to name as a fact? (Results without a typeScore: yes.) */
export function typeIsClear(r: { typeScore?: number }): boolean {
  return r.typeScore === undefined || r.typeScore >= TYPE_SURE;
}

export const evidenceOf = (w: number) => -Math.log(1 - Math.min(0.99, Math.max(0, w)));

const logit = (p: number) => {
  const q = Math.min(0.995, Math.max(0.005, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function riskOf(e: Evidence, p: VerdictParams = DEFAULT_PARAMS): number {
  const scamP = e.nonChinese ? Math.min(e.scamP, p.neutralP) : e.scamP;
  return sigmoid(p.b0 + p.bP * logit(scamP) + p.bS * (e.signal - (e.denied ?? 0)) - p.bC * e.calming);
}

export function typeScores(e: Evidence, p: VerdictParams = DEFAULT_PARAMS): Record<FraudTypeId, number> {
  const hasVotes = Object.values(e.votes).some((v) => (v ?? 0) > 0);
  const mix = e.nonChinese ? (hasVotes ? 0.85 : 0) : hasVotes ? p.typeMix : 0;
  const out = {} as Record<FraudTypeId, number>;
  for (const t of FRAUD_TYPE_IDS) out[t] = (1 - mix) * (e.typeDist[t] ?? 0) + mix * (e.votes[t] ?? 0);
  return out;
}

export function judge(e: Evidence, p: VerdictParams = DEFAULT_PARAMS): Judgement {
  const risk = riskOf(e, p);
  const scores = typeScores(e, p);
  let topType: FraudTypeId = 'other';
  let best = -1;
  for (const t of FRAUD_TYPE_IDS) {
    if (scores[t] > best) {
      best = scores[t];
      topType = t;
    }
  }
  let verdict: Verdict;
  if (risk >= p.high && e.signal >= p.minSignalForHigh) verdict = 'high-risk';
  else if (risk >= p.low) verdict = 'suspicious';
  else verdict = 'low-risk';
  const fraudType = verdict === 'low-risk' ? null : topType;
  const confidence =
    verdict === 'low-risk' ? 1 - risk : verdict === 'high-risk' ? risk * (0.6 + 0.4 * best) : (0.5 + 0.5 * best) * Math.min(1, risk + 0.2);
  // Never 100% sure: a low-risk verdict only means no known signs were found.
  const cap = verdict === 'low-risk' ? 0.95 : 0.99;
  return { verdict, risk, fraudType, topType, typeScore: best, typeScores: scores, confidence: Math.round(Math.min(cap, Math.max(0, confidence)) * 100) / 100 };
}
