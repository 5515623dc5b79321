/**
 * Step 4 of triage: classifiers over binary features (character 1–3-grams and signal tokens)
 * giving a probability for each of the 13 fraud types and for "benign".
 *
 * Why not natural's BayesClassifier: its Classifier.textToFeatures() turns every message into
 * a 0/1 vector over the WHOLE vocabulary by calling `observation.indexOf(feature)` for each
 * known feature, so training costs O(documents × vocabulary × message length) and every
 * prediction O(vocabulary × message length). Measured on our examples with these features
 * (`npx tsx bench/triage.ts --natural`, 2-core laptop-class VM under load):
 *    50 docs /  2,500 features: train    46 ms, classify 0.97 ms/message
 *   100 docs /  5,000 features: train   222 ms, classify 1.9 ms/message
 *   200 docs / 10,000 features: train   781 ms, classify 4.8 ms/message
 * Training grows with docs × features, so the full ~1,400 training texts (~45,000 features)
 * would take tens of seconds and ~20 ms per message, against our budget of 1.5 s start-up and
 * 0.5 ms per message. So we use natural's pieces (its Chinese n-gram helper, see features.ts)
 * with a lean naive Bayes and a logistic regression of our own: the vocabulary is a Map from
 * feature to row, each model one Float32Array, and a prediction touches only the features
 * present in the message. Both train in ~0.2 s together and predict in ~0.03 ms.
 *
 * Two models, averaged: naive Bayes is robust on little data and rare types; logistic
 * regression weighs overlapping n-grams properly. Averaged, 5-fold cross-validated macro-F1
 * over the 13 types rose from 0.84 (NB alone) / 0.83 (LR alone) to 0.87.
 *
 * Probabilities: naive Bayes treats hundreds of overlapping n-grams as independent evidence,
 * which makes raw posteriors almost always 0 or 1. Its scores are divided by a temperature that
 * grows with the number of known features (softmax(score / T), T = max(1, n / tau)), which
 * keeps the ranking and gives probabilities that can be combined with signal weights.
 */
import { FRAUD_TYPE_IDS, BENIGN, type ExampleLabel } from '../content/schema.js';

export const LABELS: readonly ExampleLabel[] = [...FRAUD_TYPE_IDS, BENIGN];

export interface TrainDoc {
  features: readonly string[];
  label: ExampleLabel;
}

export interface NbOptions {
  /** Additive smoothing. */
  alpha: number;
  /** Features seen in fewer documents than this are dropped (noise, one-off names). */
  minDf: number;
  /** Temperature divisor: T = max(1, knownFeatures / tau). */
  tau: number;
  /** Prior probability of each label (normalised; missing labels get the mean). */
  priors?: Partial<Record<ExampleLabel, number>>;
}

export const DEFAULT_NB: NbOptions = { alpha: 0.3, minDf: 3, tau: 12 };

export interface NbModel {
  labels: readonly ExampleLabel[];
  /** Feature → row in `logp`. */
  index: Map<string, number>;
  /** log P(feature | label), row-major: logp[row * labels + label]. */
  logp: Float32Array;
  logPrior: Float64Array;
  tau: number;
  docs: number;
}

/** Feature → column, keeping features seen in at least `minDf` documents (signal features, '§…', always). */
function vocabulary(docs: readonly TrainDoc[], minDf: number): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.features) df.set(f, (df.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of df) if (n >= minDf || f.startsWith('§')) index.set(f, index.size);
  return index;
}

export function trainNb(docs: readonly TrainDoc[], opts: NbOptions = DEFAULT_NB): NbModel {
  const L = LABELS.length;
  const labelIndex = new Map(LABELS.map((l, i) => [l, i] as const));
  // Document frequency per feature (over all labels), then counts per label.
  const index = vocabulary(docs, opts.minDf);
  const V = index.size;
  const counts = new Float64Array(V * L);
  const totals = new Float64Array(L);
  const docsPer = new Float64Array(L);
  for (const d of docs) {
    const li = labelIndex.get(d.label);
    if (li === undefined) continue;
    docsPer[li]++;
    for (const f of d.features) {
      const row = index.get(f);
      if (row === undefined) continue;
      counts[row * L + li]++;
      totals[li]++;
    }
  }
  const logp = new Float32Array(V * L);
  for (let li = 0; li < L; li++) {
    const denom = Math.log(totals[li] + opts.alpha * V);
    for (let row = 0; row < V; row++) logp[row * L + li] = Math.log(counts[row * L + li] + opts.alpha) - denom;
  }
  const logPrior = new Float64Array(L);
  const given = opts.priors ?? {};
  const vals = LABELS.map((l) => given[l]);
  const known = vals.filter((v): v is number => typeof v === 'number' && v > 0);
  const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const raw = vals.map((v, li) => (docsPer[li] === 0 ? 1e-6 : typeof v === 'number' && v > 0 ? v : fallback));
  const sum = raw.reduce((a, b) => a + b, 0);
  raw.forEach((v, li) => (logPrior[li] = Math.log(v / sum)));
  return { labels: LABELS, index, logp, logPrior, tau: opts.tau, docs: docs.length };
}

/** Probability per label (same order as `model.labels`). */
export function predictNb(model: NbModel, features: readonly string[]): Float64Array {
  const L = model.labels.length;
  const score = new Float64Array(L);
  let known = 0;
  for (const f of features) {
    const row = model.index.get(f);
    if (row === undefined) continue;
    known++;
    const base = row * L;
    for (let li = 0; li < L; li++) score[li] += model.logp[base + li];
  }
  const T = Math.max(1, known / model.tau);
  let max = -Infinity;
  for (let li = 0; li < L; li++) {
    score[li] = model.logPrior[li] + score[li] / T;
    if (score[li] > max) max = score[li];
  }
  let sum = 0;
  for (let li = 0; li < L; li++) {
    score[li] = Math.exp(score[li] - max);
    sum += score[li];
  }
  for (let li = 0; li < L; li++) score[li] /= sum;
  return score;
}

// ------------------------------------------------------------------ cache (no I/O here)

/** What triage classifies with: naive Bayes and logistic regression, averaged. */
export interface TriageModel {
  /** Identifies the content, options and code it was trained from. */
  key: string;
  nb: NbModel;
  lr: LrModel | null;
  docs: number;
}

/** Probability per label: the mean of the two models (each is better on different types). */
export function predict(model: TriageModel, features: readonly string[]): Float64Array {
  const p = predictNb(model.nb, features);
  if (!model.lr) return p;
  const q = predictLr(model.lr, features);
  for (let i = 0; i < p.length; i++) p[i] = (p[i] + q[i]) / 2;
  return p;
}

/** Bytes the models occupy in memory (feature keys as UTF-16 plus the float tables). */
export function modelBytes(model: TriageModel): number {
  const keys = (m: Map<string, number>) => {
    let b = 0;
    for (const k of m.keys()) b += k.length * 2 + 16;
    return b;
  };
  let total = keys(model.nb.index) + model.nb.logp.byteLength + model.nb.logPrior.byteLength;
  if (model.lr) total += (model.lr.index === model.nb.index ? 0 : keys(model.lr.index)) + model.lr.w.byteLength + model.lr.bias.byteLength;
  return total;
}

export interface SerialisedModel {
  format: 'fanzha-triage-2';
  key: string;
  labels: string[];
  docs: number;
  nb: { features: string[]; logp: string; logPrior: number[]; tau: number };
  lr: { features: string[] | null; w: string; bias: number[] } | null;
}

const f32ToBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function base64ToF32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}
const sameKeys = (a: Map<string, number>, b: Map<string, number>) => {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
};

/** Plain JSON-able data; the CLI writes it to a cache file. */
export function serialiseModel(model: TriageModel): SerialisedModel {
  const lr = model.lr;
  return {
    format: 'fanzha-triage-2',
    key: model.key,
    labels: [...LABELS],
    docs: model.docs,
    nb: { features: [...model.nb.index.keys()], logp: f32ToBase64(model.nb.logp), logPrior: [...model.nb.logPrior], tau: model.nb.tau },
    lr: lr ? { features: sameKeys(lr.index, model.nb.index) ? null : [...lr.index.keys()], w: f32ToBase64(lr.w), bias: [...lr.bias] } : null,
  };
}

/** Returns null when the data is not a model of this format and key (then retrain). */
export function deserialiseModel(data: unknown, key: string): TriageModel | null {
  try {
    const d = data as SerialisedModel | null;
    if (!d || d.format !== 'fanzha-triage-2' || d.key !== key || d.labels.join() !== LABELS.join()) return null;
    const L = LABELS.length;
    const nbIndex = new Map(d.nb.features.map((f, i) => [f, i] as const));
    const logp = base64ToF32(d.nb.logp);
    if (logp.length !== nbIndex.size * L || d.nb.logPrior.length !== L) return null;
    const nb: NbModel = { labels: LABELS, index: nbIndex, logp, logPrior: Float64Array.from(d.nb.logPrior), tau: d.nb.tau, docs: d.docs };
    let lr: LrModel | null = null;
    if (d.lr) {
      const index = d.lr.features ? new Map(d.lr.features.map((f, i) => [f, i] as const)) : nbIndex;
      const w = base64ToF32(d.lr.w);
      if (w.length !== index.size * L || d.lr.bias.length !== L) return null;
      lr = { labels: LABELS, index, w, bias: Float64Array.from(d.lr.bias), docs: d.docs };
    }
    return { key, nb, lr, docs: d.docs };
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ logistic regression

export interface LrOptions {
  epochs: number;
  /** Adagrad base learning rate. */
  rate: number;
  /** L2 penalty applied to the weights a document touches. */
  l2: number;
  minDf: number;
  seed: number;
}

export const DEFAULT_LR: LrOptions = { epochs: 12, rate: 0.5, l2: 1e-4, minDf: 3, seed: 7 };

export interface LrModel {
  labels: readonly ExampleLabel[];
  index: Map<string, number>;
  /** Weights, row-major: w[row * labels + label]. */
  w: Float32Array;
  bias: Float64Array;
  docs: number;
}

/** Multinomial logistic regression on binary features scaled by 1/sqrt(n), trained with Adagrad. */
export function trainLr(docs: readonly TrainDoc[], opts: LrOptions = DEFAULT_LR, priors?: Partial<Record<ExampleLabel, number>>): LrModel {
  const L = LABELS.length;
  const labelIndex = new Map(LABELS.map((l, i) => [l, i] as const));
  const index = vocabulary(docs, opts.minDf);
  const V = index.size;
  const rows: Int32Array[] = [];
  const ys: number[] = [];
  for (const d of docs) {
    const li = labelIndex.get(d.label);
    if (li === undefined) continue;
    const r: number[] = [];
    for (const f of d.features) {
      const row = index.get(f);
      if (row !== undefined) r.push(row);
    }
    rows.push(Int32Array.from(r));
    ys.push(li);
  }
  const w = new Float32Array(V * L);
  const g2 = new Float32Array(V * L).fill(1e-8);
  const bias = new Float64Array(L);
  const bg2 = new Float64Array(L).fill(1e-8);
  // Class weights: each label contributes as if equally frequent, then scaled by its prior.
  const counts = new Float64Array(L);
  for (const y of ys) counts[y]++;
  const cw = new Float64Array(L);
  for (let li = 0; li < L; li++) {
    const prior = priors?.[LABELS[li]];
    cw[li] = counts[li] ? (ys.length / (L * counts[li])) * (prior ? prior * L : 1) : 0;
  }
  const order = rows.map((_, i) => i);
  const rnd = lcg(opts.seed);
  const p = new Float64Array(L);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const di of order) {
      const r = rows[di];
      const y = ys[di];
      const x = r.length ? 1 / Math.sqrt(r.length) : 0;
      let max = -Infinity;
      for (let li = 0; li < L; li++) {
        let s = bias[li];
        for (let k = 0; k < r.length; k++) s += w[r[k] * L + li] * x;
        p[li] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let li = 0; li < L; li++) sum += p[li] = Math.exp(p[li] - max);
      const c = cw[y];
      for (let li = 0; li < L; li++) {
        const g = c * (p[li] / sum - (li === y ? 1 : 0));
        bg2[li] += g * g;
        bias[li] -= (opts.rate * g) / Math.sqrt(bg2[li]);
        for (let k = 0; k < r.length; k++) {
          const idx = r[k] * L + li;
          const gw = g * x + opts.l2 * w[idx];
          g2[idx] += gw * gw;
          w[idx] -= (opts.rate * gw) / Math.sqrt(g2[idx]);
        }
      }
    }
  }
  return { labels: LABELS, index, w, bias, docs: ys.length };
}

export function predictLr(model: LrModel, features: readonly string[]): Float64Array {
  const L = model.labels.length;
  const rowsFound: number[] = [];
  for (const f of features) {
    const row = model.index.get(f);
    if (row !== undefined) rowsFound.push(row);
  }
  const x = rowsFound.length ? 1 / Math.sqrt(rowsFound.length) : 0;
  const s = new Float64Array(L);
  let max = -Infinity;
  for (let li = 0; li < L; li++) {
    let v = model.bias[li];
    for (const row of rowsFound) v += model.w[row * L + li] * x;
    s[li] = v;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let li = 0; li < L; li++) sum += s[li] = Math.exp(s[li] - max);
  for (let li = 0; li < L; li++) s[li] /= sum;
  return s;
}

function lcg(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}
