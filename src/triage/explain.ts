/**
 * The words of a verdict: explanation quoting the evidence, what to do now, and a short text
 * to forward to family. All phrases come from strings.zh.ts.
 */
import type { Content } from '../content/load.js';
import type { Followup, FraudTypeId } from '../content/schema.js';
import { ACTIONS, SHARE, zh } from './strings.zh.js';
import type { SignalHit, Verdict } from './types.js';

export interface ExplainInput {
  verdict: Verdict;
  fraudType: FraudTypeId | null;
  /** False when the evidence does not say which kind of scam (see TYPE_SURE). */
  typeClear: boolean;
  /** Non-negated hits, most important first. */
  hits: ReadonlyArray<SignalHit & { detail?: string }>;
  /** Red-flag words found only inside a warning or denial. */
  negated: ReadonlyArray<SignalHit>;
  /** Evidence of the strongest calming marker, if any. */
  calmingEvidence: string | null;
  nonChinese: boolean;
  truncated: boolean;
  maxLength: number;
  hasText: boolean;
  empty: boolean;
  confirmed: readonly Followup[];
  denied: readonly Followup[];
}

const MAX_LISTED = 5;

export function typeName(content: Content, t: FraudTypeId | null): string {
  if (!t) return '';
  return content.fraudTypeById.get(t)?.name.zh ?? t;
}

export function explanation(content: Content, x: ExplainInput): string {
  const lines: string[] = [];
  if (x.empty) return zh.empty;
  if (!x.hasText && x.hits.length === 0) {
    lines.push(zh.noText);
    if (x.truncated) lines.push(zh.truncated(x.maxLength));
    return lines.join('\n');
  }
  if (x.nonChinese) lines.push(zh.nonChinese);
  const name = typeName(content, x.fraudType);
  const lost = x.hits.some((h) => h.id === MONEY_LOST);
  // After a loss the steps matter, not a guess at the type (unless other red flags name it).
  const guessOnly = lost && x.hits.every((h) => h.id === MONEY_LOST);
  if (lost) lines.push(zh.lostLead);
  if (!guessOnly) {
    const clear = x.typeClear && !!name;
    if (x.verdict === 'high-risk') lines.push(clear ? zh.highLead(name) : zh.highLeadNoType);
    else if (x.verdict === 'suspicious') {
      if (x.hits.length) lines.push(clear ? zh.suspiciousLead(name) : zh.suspiciousLeadNoType);
      else lines.push(clear ? zh.suspiciousNoSignal(name) : zh.suspiciousNoSignalNoType);
    } else lines.push(x.hits.length ? zh.lowWithHints : zh.lowLead);
    if (x.verdict !== 'low-risk' && !clear) lines.push(zh.moreTextHelps);
  }

  if (x.hits.length) {
    const listed = x.hits.slice(0, MAX_LISTED);
    const intro = x.verdict === 'low-risk' ? zh.weakIntro : zh.signalsIntro(x.hits.length);
    lines.push(intro, ...listed.map((h) => `• ${zh.signalItem(h.name, h.evidence, h.detail)}`));
    const top = content.signalById.get(listed[0].id);
    if (top && x.verdict !== 'low-risk') lines.push(zh.topExplain(top.explain));
  }
  if (x.confirmed.length) lines.push(zh.confirmedIntro + x.confirmed.map((f) => f.ask.replace(/[？?]$/, '')).join('；'));
  if (x.denied.length) lines.push(zh.deniedIntro + x.denied.map((f) => f.ask.replace(/[？?]$/, '')).join('；'));
  if (x.negated.length && x.verdict !== 'high-risk') {
    lines.push(zh.negatedIntro + x.negated.slice(0, 3).map((h) => zh.signalItem(h.name, h.evidence)).join('；') + zh.negatedNote);
  }
  if (x.calmingEvidence) lines.push(zh.calming(x.calmingEvidence));
  if (x.verdict === 'low-risk') lines.push(zh.lowHowToCheck);
  if (x.truncated) lines.push(zh.truncated(x.maxLength));
  return lines.join('\n');
}

/** Signal id for "the money is already gone": then the after-loss steps come first. */
export const MONEY_LOST = 'money-already-lost';

/** Mentions 110 itself (not only 96110, which contains "110"). */
const CALLS_110 = /(?:^|[^0-9])110(?![0-9])/;

export function actions(content: Content, verdict: Verdict, fraudType: FraudTypeId | null, lost = false): string[] {
  const out: string[] = [];
  const during = fraudType ? content.fraudTypeById.get(fraudType)?.advice.during ?? [] : [];
  if (lost) {
    // Minutes matter for an emergency freeze: stop paying, call 110/96110, tell the bank, keep evidence.
    out.push(...(content.advice.afterLoss.length ? content.advice.afterLoss : [ACTIONS.afterLoss]));
    return [...new Set(out)].slice(0, 7);
  }
  if (verdict === 'high-risk') {
    if (during[0]) out.push(during[0]);
    out.push(...(content.advice.immediate.length ? content.advice.immediate : ACTIONS.high));
  } else if (verdict === 'suspicious') {
    out.push(...ACTIONS.suspicious);
    if (during[0]) out.push(during[0]);
  } else {
    out.push(...ACTIONS.low);
  }
  if (verdict !== 'low-risk' && !out.some((a) => CALLS_110.test(a))) out.push(ACTIONS.afterLoss);
  return [...new Set(out)].slice(0, 6);
}

export function shareText(content: Content, verdict: Verdict, fraudType: FraudTypeId | null, hits: readonly SignalHit[], typeClear = true): string {
  if (verdict === 'low-risk' || !fraudType || hits.every((h) => h.id === MONEY_LOST)) return SHARE.low;
  if (!typeClear || fraudType === 'other') return SHARE.riskyNoType(hits.slice(0, 3).map((h) => h.name));
  return SHARE.risky(typeName(content, fraudType), hits.slice(0, 3).map((h) => h.name));
}

