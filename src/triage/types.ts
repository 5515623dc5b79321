/**
 * The triage contract: what the rest of the system may rely on. Pure data, no I/O.
 * Implemented in src/triage/ by buildTriage(content).
 */
import type { ExampleLabel, FraudTypeId } from '../content/schema.js';

export type Verdict = 'high-risk' | 'suspicious' | 'low-risk';

export interface SignalHit {
  /** Signal id from knowledge/signals.yaml. */
  id: string;
  /** Short Chinese name of the signal. */
  name: string;
  /** The exact span of the (redacted, normalised) text that matched. */
  evidence: string;
  /** Offsets of the evidence in `TriageResult.text`. */
  start: number;
  end: number;
  weight: number;
}

export interface FollowupQuestion {
  id: string;
  ask: string;
}

export interface TriageResult {
  verdict: Verdict;
  /** null only when the verdict is low-risk. */
  fraudType: FraudTypeId | null;
  /** 0..1 confidence in the verdict and type. */
  confidence: number;
  signals: SignalHit[];
  /** Classifier probability per label (fraud types and "benign"). */
  scores: Partial<Record<ExampleLabel, number>>;
  /** The normalised, redacted text: the only form that may be stored or logged. */
  text: string;
  /** True when the input was longer than the cap and was cut. */
  truncated: boolean;
  /** Mostly non-Chinese input: analysed with less confidence. */
  nonChinese: boolean;
  /** Short Chinese explanation quoting the evidence. */
  explanation: string;
  /** What to do now, most important first (Chinese). */
  actions: string[];
  /** Yes/no questions to ask when the verdict is uncertain (at most 3). */
  followups: FollowupQuestion[];
  /** Closest scenario to practise, when one exists. */
  scenarioId: string | null;
  /** A short warning text the user can forward to family (Chinese). */
  shareText: string;
  /**
   * Optional (added by the triage engine): how strongly the evidence points at `fraudType`,
   * 0..1. Red flags shared by many kinds of scam ("叫我转钱", "要验证码") in a short text give
   * a weak type: people are then told the kind is not clear yet, not a guess as a fact.
   */
  typeScore?: number;
  /** Optional (added by the triage engine): the combined risk score 0..1 behind the verdict. */
  risk?: number;
  /** Optional: follow-up answers already applied by refine(), by followup id. */
  answers?: Record<string, boolean>;
  /** Optional: the figures refine() re-judges from; plain data, safe to store with the result. */
  basis?: TriageBasis;
}

/** What a verdict was computed from (no message text), so refine() needs no re-analysis. */
export interface TriageBasis {
  /** Signal evidence: sum of -ln(1 - weight) over red flags not in a warning/denial. */
  signal: number;
  /** Calming evidence: sum of -ln(1 - weight) over calming markers. */
  calming: number;
  /** Classifier probability that the message is a scam (1 - P(benign)). */
  scamP: number;
  /** Classifier P(type | scam) over the 13 types. */
  typeDist: Partial<Record<FraudTypeId, number>>;
  /** Unnormalised votes of the found signals for fraud types. */
  votes: Partial<Record<FraudTypeId, number>>;
  nonChinese: boolean;
  hasText: boolean;
}

export interface Triage {
  analyse(input: string): TriageResult;
  /** Re-judge with the user's yes/no answers to follow-up questions (by followup id). */
  refine(result: TriageResult, answers: Readonly<Record<string, boolean>>): TriageResult;
}
