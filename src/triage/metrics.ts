/**
 * Evaluation maths for `fanzha eval`: stratified folds, per-type precision/recall/F1,
 * macro-F1 over the 13 fraud types, scam recall (scams not judged low-risk) and benign false
 * alarms (benign judged high-risk). Pure functions over labels and verdicts.
 */
import { BENIGN, FRAUD_TYPE_IDS, type ExampleLabel, type FraudTypeId } from '../content/schema.js';
import type { Verdict } from './types.js';

export interface Scored {
  id: string;
  label: ExampleLabel;
  verdict: Verdict;
  fraudType: FraudTypeId | null;
}

export interface TypeMetrics {
  label: ExampleLabel;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  n: number;
  scams: number;
  benign: number;
  perType: TypeMetrics[];
  macroF1: number;
  /** Share of scams whose verdict is not low-risk. */
  scamRecall: number;
  /** Share of benign messages judged high-risk. */
  benignHigh: number;
  /** Share of benign messages judged suspicious. */
  benignSuspicious: number;
  /** Among scams not judged low-risk, share with the right type. */
  typeAccuracy: number;
  /** confusion[true][predicted]; predicted "benign" means a low-risk verdict. */
  confusion: Record<string, Record<string, number>>;
  verdicts: Record<string, Record<Verdict, number>>;
}

export const TARGETS = { scamRecall: 0.95, benignHigh: 0.03, macroF1: 0.85 } as const;

/** The label a verdict amounts to: low-risk is "benign", otherwise the fraud type. */
export function predictedLabel(s: Pick<Scored, 'verdict' | 'fraudType'>): ExampleLabel {
  return s.verdict === 'low-risk' || !s.fraudType ? BENIGN : s.fraudType;
}

export function evaluate(items: readonly Scored[]): EvalReport {
  const labels: ExampleLabel[] = [...FRAUD_TYPE_IDS, BENIGN];
  const confusion: Record<string, Record<string, number>> = {};
  const verdicts: Record<string, Record<Verdict, number>> = {};
  for (const l of labels) {
    confusion[l] = Object.fromEntries(labels.map((p) => [p, 0]));
    verdicts[l] = { 'high-risk': 0, suspicious: 0, 'low-risk': 0 };
  }
  let scams = 0;
  let scamsFlagged = 0;
  let typedRight = 0;
  let benign = 0;
  let benignHigh = 0;
  let benignSusp = 0;
  for (const s of items) {
    const p = predictedLabel(s);
    confusion[s.label][p]++;
    verdicts[s.label][s.verdict]++;
    if (s.label === BENIGN) {
      benign++;
      if (s.verdict === 'high-risk') benignHigh++;
      if (s.verdict === 'suspicious') benignSusp++;
    } else {
      scams++;
      if (s.verdict !== 'low-risk') {
        scamsFlagged++;
        if (s.fraudType === s.label) typedRight++;
      }
    }
  }
  const perType: TypeMetrics[] = labels.map((l) => {
    const tp = confusion[l][l];
    const support = labels.reduce((a, p) => a + confusion[l][p], 0);
    const predicted = labels.reduce((a, t) => a + confusion[t][l], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label: l, precision, recall, f1, support };
  });
  const typeRows = perType.filter((m) => m.label !== BENIGN && m.support > 0);
  const macroF1 = typeRows.length ? typeRows.reduce((a, m) => a + m.f1, 0) / typeRows.length : 0;
  return {
    n: items.length,
    scams,
    benign,
    perType,
    macroF1,
    scamRecall: scams ? scamsFlagged / scams : 0,
    benignHigh: benign ? benignHigh / benign : 0,
    benignSuspicious: benign ? benignSusp / benign : 0,
    typeAccuracy: scamsFlagged ? typedRight / scamsFlagged : 0,
    confusion,
    verdicts,
  };
}

/** Small seeded PRNG (mulberry32) so folds are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Assign each item a fold 0..k-1 so that every label is spread evenly over the folds. */
export function stratifiedFolds<T extends { label: string }>(items: readonly T[], k: number, seed = 1): number[] {
  const rnd = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  items.forEach((it, i) => {
    const list = byLabel.get(it.label) ?? [];
    list.push(i);
    byLabel.set(it.label, list);
  });
  const folds = new Array<number>(items.length).fill(0);
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const idx = byLabel.get(label)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    // Continue the round-robin across labels so small labels do not all land in fold 0.
    idx.forEach((itemIndex, n) => (folds[itemIndex] = (n + offset) % k));
    offset = (offset + idx.length) % k;
  }
  return folds;
}
