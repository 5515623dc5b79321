/**
 * "Is this a scam?" triage, built from the knowledge base:
 *
 *   normalise → redact → signals (+ links, numbers) → classifier → verdict → follow-ups → scenario
 *
 * `buildTriage(content)` compiles the signal matchers, trains the classifier on
 * knowledge/examples/ (plus the scammer lines of fraud types, scenarios and quiz items), and
 * returns an object whose `analyse(text)` and `refine(result, answers)` are pure functions of
 * their arguments. Nothing in src/triage/ reads files, opens sockets or imports botbuilder,
 * restify or sqlite3.
 */
import { createHash } from 'node:crypto';
import type { Content } from '../content/load.js';
import { BENIGN, FRAUD_TYPE_IDS, type Example, type ExampleLabel, type FraudTypeId } from '../content/schema.js';
import { DEFAULT_LR, DEFAULT_NB, LABELS, predict, trainLr, trainNb, type LrOptions, type NbOptions, type TrainDoc, type TriageModel } from './classifier.js';
import { ENGLISH_CUES } from './english.js';
import { actions, explanation, MONEY_LOST, shareText } from './explain.js';
import { FEATURE, charGrams } from './features.js';
import { answerEvidence, chooseFollowups } from './followups.js';
import type { LinkFlagReason } from './links.js';
import { Matcher } from './matcher.js';
import { MAX_TEXT_LENGTH, asciiLower, normalise, scriptStats } from './normalise.js';
import { numberFlags } from './numbers.js';
import { redact, type Redaction } from './redact.js';
import { scenarioIndex } from './related.js';
import { FINDING_DETAIL } from './strings.zh.js';
import type { SignalHit, Triage, TriageBasis, TriageResult } from './types.js';
import { DEFAULT_PARAMS, evidenceOf, judge, TYPE_SURE, type Evidence, type VerdictParams } from './verdict.js';

export type { SignalHit, Triage, TriageBasis, TriageResult, Verdict, FollowupQuestion } from './types.js';
export { normalise, MAX_TEXT_LENGTH, scriptStats, asciiLower } from './normalise.js';
export { redact, redactText, type Redaction } from './redact.js';
export { findLinks, imitatedBrand, isShortLink, registrableDomain, type LinkSpan } from './links.js';
export { findNumbers, classifyDigits, isValidIdNumber, luhnValid, numberFlags, VIRTUAL_PREFIXES, type NumberRun } from './numbers.js';
export { Matcher, isNegated, toHalfWidthPattern } from './matcher.js';
export { charGrams, classifierText } from './features.js';
export { trainNb, predictNb, trainLr, predictLr, predict, serialiseModel, deserialiseModel, modelBytes, LABELS, DEFAULT_NB, DEFAULT_LR } from './classifier.js';
export type { NbModel, NbOptions, LrModel, LrOptions, SerialisedModel, TriageModel } from './classifier.js';
export { judge, riskOf, DEFAULT_PARAMS, type VerdictParams, type Evidence } from './verdict.js';
export { chooseFollowups, answerEvidence, MAX_FOLLOWUPS } from './followups.js';

/** Bump when features change, so cached models are rebuilt. */
export const FEATURE_VERSION = 1;

export interface TriageOptions {
  /** Cap on analysed text, in characters (default 5,000). */
  maxLength?: number;
  /** Train on these examples instead of all of content.examples (for cross-validation). */
  examples?: readonly Example[];
  /** Also learn from fraud-type scripts, scammer lines in scenarios and quiz messages (default true). */
  extraTraining?: boolean;
  nb?: Partial<NbOptions>;
  params?: Partial<VerdictParams>;
  /** A model restored from a cache; used only when its key matches. */
  model?: TriageModel | null;
  /** Naive Bayes alone, or averaged with logistic regression (default: both). */
  classifier?: 'nb' | 'mix';
  /** Longest character n-gram (default 3). */
  ngram?: number;
  lr?: Partial<LrOptions>;
}

export interface TriageEngine extends Triage {
  readonly model: TriageModel;
  /** Identifies the content, options and code the model was trained from (for caches). */
  readonly modelKey: string;
  readonly trained: boolean;
  readonly trainingDocs: number;
  readonly params: VerdictParams;
}

/** A hit before it is turned into the public SignalHit (offsets still in normalised text). */
interface RawHit {
  id: string;
  start: number;
  end: number;
  weight: number;
  negated: boolean;
  detail?: string;
}

interface Analysis {
  text: string;
  truncated: boolean;
  redaction: Redaction;
  hits: RawHit[];
  calming: Array<{ id: string; start: number; end: number; weight: number }>;
  nonChinese: boolean;
  hasText: boolean;
  empty: boolean;
  features: string[];
}

const LINK_SIGNAL: Record<LinkFlagReason, string> = {
  lookalike: 'fake-official-domain',
  punycode: 'fake-official-domain',
  'short-link': 'short-link',
  'raw-ip': 'phishing-link',
  userinfo: 'phishing-link',
  apk: 'download-app',
};

/** Weight multipliers for findings that are only a weak sign on their own. */
const NUMBER_FACTOR = { foreign: 1, 'odd-96110': 1, virtual: 0.5 } as const;

/** Everything trained from: examples plus (optionally) scammer lines elsewhere in the content. */
export function trainingTexts(content: Content, opts: Pick<TriageOptions, 'examples' | 'extraTraining'> = {}): Array<{ text: string; label: ExampleLabel }> {
  const out: Array<{ text: string; label: ExampleLabel }> = (opts.examples ?? content.examples).map((e) => ({ text: e.text, label: e.label }));
  if (opts.extraTraining === false) return out;
  for (const t of content.fraudTypes) for (const s of t.scripts) out.push({ text: s, label: t.id });
  for (const s of content.scenarios) {
    for (const node of Object.values(s.nodes)) {
      const lines = node.bubbles.filter((b) => b.from === 'scammer').map((b) => b.text);
      if (lines.length) out.push({ text: lines.join('\n'), label: s.fraudType });
    }
  }
  for (const q of content.questions) {
    if (q.kind === 'scam-or-not') out.push({ text: q.message, label: q.isScam ? q.fraudType : BENIGN });
  }
  return out;
}

export function modelKeyOf(content: Content, opts: TriageOptions = {}): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        v: FEATURE_VERSION,
        content: content.fingerprint,
        nb: { ...DEFAULT_NB, ...opts.nb },
        lr: opts.classifier === 'nb' ? null : { ...DEFAULT_LR, ...opts.lr },
        ngram: opts.ngram ?? null,
        extra: opts.extraTraining !== false,
        ex: opts.examples?.map((e) => e.id) ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 32);
}

/** The triage the bot uses (see buildTriageEngine for the model details tools need). */
export function buildTriage(content: Content, opts: TriageOptions = {}): Triage {
  return buildTriageEngine(content, opts);
}

/** buildTriage plus the model and its key, for the CLI, eval and bench. */
export function buildTriageEngine(content: Content, opts: TriageOptions = {}): TriageEngine {
  const maxLength = opts.maxLength ?? MAX_TEXT_LENGTH;
  const params: VerdictParams = { ...DEFAULT_PARAMS, ...opts.params };
  const signals = content.signals;
  const signalMatcher = new Matcher(signals, { negation: true });
  const calmingMatcher = new Matcher(content.calming, { negation: false });
  const englishMatcher = new Matcher(
    ENGLISH_CUES.filter((c) => content.signalById.has(c.id)),
    { negation: false },
  );
  const englishSpecs = ENGLISH_CUES.filter((c) => content.signalById.has(c.id));

  // Which fraud types a signal points to: its own `types`, else the types that list it.
  const typesOfSignal = new Map<string, FraudTypeId[]>();
  for (const s of signals) {
    const own = s.types.length ? s.types : content.fraudTypes.filter((t) => t.signals.includes(s.id)).map((t) => t.id);
    typesOfSignal.set(s.id, own);
  }
  const signalTypes = (id: string) => typesOfSignal.get(id) ?? [];
  const related = scenarioIndex(content.scenarios);

  function analyseText(input: unknown): Analysis {
    const norm = normalise(input, maxLength);
    const text = norm.text;
    const redaction = redact(text);
    const empty = text.length === 0;
    const { han, letters } = scriptStats(text);
    const hasText = letters > 0;
    const nonChinese = letters >= 3 && han / letters < 0.3;
    const lower = asciiLower(text);

    const byId = new Map<string, RawHit>();
    const add = (h: RawHit) => {
      const prev = byId.get(h.id);
      if (!prev || (prev.negated && !h.negated) || (prev.negated === h.negated && h.weight > prev.weight)) byId.set(h.id, h);
    };
    for (const m of signalMatcher.match(text, lower)) {
      const s = signals[m.spec];
      add({ id: s.id, start: m.start, end: m.end, weight: m.negated ? s.weight * params.negatedFactor : s.weight, negated: m.negated });
    }
    if (nonChinese) {
      for (const m of englishMatcher.match(text, lower)) {
        const s = content.signalById.get(englishSpecs[m.spec].id)!;
        add({ id: s.id, start: m.start, end: m.end, weight: s.weight, negated: false });
      }
    }
    for (const link of redaction.links) {
      for (const reason of link.flags) {
        const s = content.signalById.get(LINK_SIGNAL[reason]);
        if (!s) continue;
        const detail = reason === 'lookalike' ? FINDING_DETAIL.lookalike(link.imitates ?? '') : FINDING_DETAIL[reason];
        add({ id: s.id, start: link.start, end: link.end, weight: s.weight, negated: false, detail });
      }
    }
    for (const f of numberFlags(redaction.numbers)) {
      const s = content.signalById.get('odd-caller-number');
      if (!s) break;
      add({ id: s.id, start: f.run.start, end: f.run.end, weight: s.weight * NUMBER_FACTOR[f.reason], negated: false, detail: FINDING_DETAIL[f.reason] });
    }
    const hits = [...byId.values()];
    const calming = calmingMatcher.match(text, lower).map((m) => ({ id: content.calming[m.spec].id, start: m.start, end: m.end, weight: content.calming[m.spec].weight }));

    const features = hasText ? charGrams(redaction.text, opts.ngram) : [];
    for (const h of hits) features.push(h.negated ? FEATURE.negatedSignal(h.id) : FEATURE.signal(h.id));
    for (const c of calming) features.push(FEATURE.calming(c.id));
    if (redaction.links.some((l) => l.kind === 'url')) features.push(FEATURE.finding('url'));
    return { text, truncated: norm.truncated, redaction, hits, calming, nonChinese, hasText, empty, features };
  }

  // ---- train (or reuse a cached model with the same key)
  const modelKey = modelKeyOf(content, opts);
  let model: TriageModel;
  let trained = false;
  if (opts.model && opts.model.key === modelKey) {
    model = opts.model;
  } else {
    const texts = trainingTexts(content, opts);
    const docs: TrainDoc[] = texts.map((t) => ({ features: analyseText(t.text).features, label: t.label }));
    const priors = priorsOf(content);
    model = {
      key: modelKey,
      nb: trainNb(docs, { ...DEFAULT_NB, ...opts.nb, priors }),
      lr: opts.classifier === 'nb' ? null : trainLr(docs, { ...DEFAULT_LR, ...opts.lr }, priors),
      docs: docs.length,
    };
    trained = true;
  }
  const trainingDocs = model.docs;

  const benignIndex = LABELS.indexOf(BENIGN);

  function decide(a: Analysis, basis: TriageBasis, answers: Readonly<Record<string, boolean>>): TriageResult {
    const found = new Set(a.hits.filter((h) => !h.negated).map((h) => h.id));
    const ans = answerEvidence(content.followups, answers, signalTypes, found);
    const votes: Partial<Record<FraudTypeId, number>> = { ...basis.votes };
    for (const [t, v] of Object.entries(ans.votes) as Array<[FraudTypeId, number]>) votes[t] = (votes[t] ?? 0) + v;
    const evidence: Evidence = {
      signal: basis.signal + ans.yes,
      calming: basis.calming,
      denied: ans.no,
      scamP: basis.scamP,
      typeDist: basis.typeDist,
      votes: normaliseVotes(votes),
      nonChinese: basis.nonChinese,
    };
    const j = basis.hasText || a.hits.length || ans.confirmed.length ? judge(evidence, params) : null;
    const verdict = j?.verdict ?? 'low-risk';
    const fraudType = j?.fraudType ?? null;
    const typeClear = !j || !fraudType || j.typeScore >= TYPE_SURE;

    const toHit = (h: RawHit): SignalHit & { detail?: string } => {
      const r = a.redaction.toRedacted(h.start, h.end);
      const s = content.signalById.get(h.id)!;
      return { id: h.id, name: s.name, evidence: a.redaction.text.slice(r.start, r.end), start: r.start, end: r.end, weight: round(h.weight), ...(h.detail ? { detail: h.detail } : {}) };
    };
    const strong = a.hits.filter((h) => !h.negated).sort((x, y) => y.weight - x.weight || x.start - y.start).map(toHit);
    const negated = a.hits.filter((h) => h.negated).sort((x, y) => x.start - y.start).map(toHit);
    const topCalming = a.calming.sort((x, y) => y.weight - x.weight)[0];
    const calmingEvidence = topCalming ? sliceRedacted(a.redaction, topCalming.start, topCalming.end) : null;

    const followups = j
      ? chooseFollowups(content.followups, {
          verdict,
          risk: j.risk,
          low: params.low,
          typeScores: j.typeScores,
          found,
          answered: new Set(Object.keys(answers)),
          hasText: basis.hasText,
        })
      : [];
    const scores: Partial<Record<ExampleLabel, number>> = {};
    if (basis.hasText && !basis.nonChinese) {
      scores[BENIGN] = round(1 - basis.scamP);
      for (const t of FRAUD_TYPE_IDS) scores[t] = round((basis.typeDist[t] ?? 0) * basis.scamP);
    }
    const publicHits = strong.map(({ detail: _d, ...h }) => h);
    return {
      verdict,
      fraudType,
      ...(j && fraudType ? { typeScore: round(j.typeScore) } : {}),
      confidence: j ? j.confidence : 0,
      signals: publicHits,
      scores,
      text: a.redaction.text,
      truncated: a.truncated,
      nonChinese: a.nonChinese,
      explanation: explanation(content, {
        verdict,
        fraudType,
        typeClear,
        hits: strong,
        negated,
        calmingEvidence,
        nonChinese: a.nonChinese,
        truncated: a.truncated,
        maxLength,
        hasText: a.hasText,
        empty: a.empty,
        confirmed: ans.confirmed,
        denied: ans.denied,
      }),
      // With the kind unclear, advice and practice follow the red flags, not a guessed type.
      actions: actions(content, verdict, typeClear ? fraudType : null, strong.some((h) => h.id === MONEY_LOST)),
      followups,
      scenarioId: verdict === 'low-risk' ? null : related.closest(typeClear ? fraudType : null, publicHits.map((h) => h.id)),
      shareText: shareText(content, verdict, fraudType, publicHits, typeClear),
      risk: j ? round(j.risk) : 0,
      ...(Object.keys(answers).length ? { answers: { ...answers } } : {}),
      basis,
    };
  }

  function basisOf(a: Analysis): TriageBasis {
    let signal = 0;
    const votes: Partial<Record<FraudTypeId, number>> = {};
    for (const h of a.hits) {
      if (h.negated) continue;
      signal += evidenceOf(h.weight);
      const types = signalTypes(h.id);
      for (const t of types) votes[t] = (votes[t] ?? 0) + h.weight / types.length;
    }
    const calming = a.calming.reduce((s, c) => s + evidenceOf(c.weight), 0);
    let scamP = 0.1;
    const typeDist: Partial<Record<FraudTypeId, number>> = {};
    if (a.hasText) {
      const p = predict(model, a.features);
      scamP = 1 - p[benignIndex];
      const scam = Math.max(1e-9, scamP);
      FRAUD_TYPE_IDS.forEach((t) => (typeDist[t] = Math.round((p[LABELS.indexOf(t)] / scam) * 1e5) / 1e5));
    }
    return { signal, calming, scamP, typeDist, votes, nonChinese: a.nonChinese, hasText: a.hasText };
  }

  return {
    model,
    modelKey,
    trained,
    trainingDocs,
    params,
    analyse(input: string): TriageResult {
      const a = analyseText(input);
      return decide(a, basisOf(a), {});
    },
    refine(result: TriageResult, answers: Readonly<Record<string, boolean>>): TriageResult {
      const merged: Record<string, boolean> = { ...(result.answers ?? {}) };
      for (const [k, v] of Object.entries(answers ?? {})) if (typeof v === 'boolean') merged[k] = v;
      // The stored text is already normalised and redacted; re-reading it recovers the hits
      // for display, while the verdict starts from the stored figures when they are there.
      const a = analyseText(result.text);
      return decide(a, result.basis ?? basisOf(a), merged);
    },
  };
}

/**
 * Prior per label: benign as likely as a scam (people paste what worries them), and among
 * scams the local case shares from fraud-facts.md, flattened by a square root so that rare
 * types are not drowned out by the common ones.
 */
function priorsOf(content: Content): Partial<Record<ExampleLabel, number>> {
  const out: Partial<Record<ExampleLabel, number>> = {};
  const flat = content.fraudTypes.map((t) => Math.sqrt(Math.max(0.005, t.share)));
  const total = flat.reduce((a, b) => a + b, 0);
  content.fraudTypes.forEach((t, i) => (out[t.id] = (0.5 * flat[i]) / total));
  out[BENIGN] = 0.5;
  return out;
}

function normaliseVotes(v: Partial<Record<FraudTypeId, number>>): Partial<Record<FraudTypeId, number>> {
  const total = Object.values(v).reduce((a: number, b) => a + (b ?? 0), 0);
  if (total <= 0) return {};
  const out: Partial<Record<FraudTypeId, number>> = {};
  for (const [t, x] of Object.entries(v) as Array<[FraudTypeId, number]>) out[t] = x / total;
  return out;
}

function sliceRedacted(r: Redaction, start: number, end: number): string {
  const m = r.toRedacted(start, end);
  return r.text.slice(m.start, m.end);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
