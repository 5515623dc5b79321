/**
 * What to learn next. Every scenario and question in the content gets a score from:
 *   - the user's group risk for its fraud type (groups.yaml; "general" when the group is unknown),
 *   - how weak the user is on that type (1 − mastery score; mastered types count far less),
 *   - whether it is due for review (missed items most of all),
 *   - whether the user has not seen it yet,
 *   - small nudges: written for the user's group, difficulty that fits their level, and a
 *     scenario for a type where they have not yet avoided one (the quickest path to mastery).
 * Items seen and not due, and anything answered in the last RECENT_COOLDOWN_MS, are pushed
 * down so the user is not handed the same thing twice in a row. Ties break by id, so the
 * ranking is deterministic.
 */
import type { FraudTypeId, Group, Question, Scenario } from '../content/schema.js';
import { itemKey, type LearningContent } from './content.js';
import { masteryByType, type TypeProgress } from './mastery.js';
import { REVIEW_INTERVAL_DAYS, itemHistories, type ItemHistory } from './review.js';
import type { AnswerRecord, ItemKind, Recommendation } from './types.js';
import { DAY_MS } from './content.js';

export const RECENT_COOLDOWN_MS = 15 * 60 * 1000;
export const FALLBACK_GROUP = 'general';

export interface RecommendInput {
  /** Audience group id (from the profile); null/undefined falls back to "general". */
  group?: string | null;
  history: readonly AnswerRecord[];
  now: number;
  /** Only scenarios or only questions. */
  kind?: ItemKind;
  /** Only this fraud type. */
  fraudType?: FraudTypeId;
  /** Item ids to leave out (e.g. the one just shown). */
  exclude?: readonly string[];
  /** How many to return (default 5). */
  limit?: number;
}

const W = {
  risk: 1.0,
  weakness: 0.8,
  masteredFactor: 0.3,
  due: [2.0, 0.8, 0.6, 0.4, 0.3],
  unseen: 0.5,
  seenNotDue: -1.0,
  retired: -1.5,
  recent: -3.0,
  groupFit: 0.15,
  difficulty: 0.1,
  scenarioForMastery: 0.2,
};

interface Candidate {
  kind: ItemKind;
  item: Scenario | Question;
}

interface Ranked extends Candidate {
  score: number;
  /** Position of the id in locale order, the final tie-break. */
  rank: number;
  m: TypeProgress;
  h: ItemHistory | undefined;
}

/** Ids in locale order, once per content version (sorting by localeCompare on every call was a hot spot). */
const idRanks = new WeakMap<LearningContent, Map<string, number>>();
function idRank(content: LearningContent): Map<string, number> {
  let ranks = idRanks.get(content);
  if (!ranks) {
    const ids = [...new Set([...content.scenarios.map((x) => x.id), ...content.questions.map((x) => x.id)])].sort((a, b) => a.localeCompare(b));
    ranks = new Map(ids.map((id, i) => [id, i]));
    idRanks.set(content, ranks);
  }
  return ranks;
}

/** Higher score first, then scenarios before questions, then id order. */
function better(a: Ranked, b: Ranked): boolean {
  return a.score !== b.score ? a.score > b.score : a.kind !== b.kind ? kindOrder(a.kind) < kindOrder(b.kind) : a.rank < b.rank;
}

export function recommend(content: LearningContent, input: RecommendInput): Recommendation[] {
  const group = groupOf(content, input.group);
  const mastery = new Map(masteryByType(input.history).map((m) => [m.fraudType, m]));
  const seen = itemHistories(input.history);
  const exclude = new Set(input.exclude ?? []);
  const limit = input.limit ?? 5;
  const ranks = idRank(content);
  // The best `limit` items, best first: a bounded insertion instead of sorting every item.
  const top: Ranked[] = [];
  const consider = (kind: ItemKind, item: Scenario | Question) => {
    if (exclude.has(item.id)) return;
    if (input.fraudType && item.fraudType !== input.fraudType) return;
    const m = mastery.get(item.fraudType)!;
    const h = seen.get(itemKey(kind, item.id));
    const c: Ranked = { kind, item, m, h, rank: ranks.get(item.id) ?? 0, score: round3(scoreItem(kind, item, m, h, group, input.now)) };
    if (top.length >= limit && !better(c, top[top.length - 1])) return;
    let i = top.length;
    while (i > 0 && better(c, top[i - 1])) i--;
    top.splice(i, 0, c);
    if (top.length > limit) top.pop();
  };
  if (limit > 0) {
    if (input.kind !== 'question') for (const x of content.scenarios) consider('scenario', x);
    if (input.kind !== 'scenario') for (const x of content.questions) consider('question', x);
  }
  return top.map((c) => ({
    kind: c.kind,
    itemId: c.item.id,
    fraudType: c.item.fraudType,
    reason: reasonFor(c.kind, c.item, c.m, c.h, group, input.now),
    score: c.score,
  }));
}

export function nextRecommendation(content: LearningContent, input: Omit<RecommendInput, 'limit'>): Recommendation | undefined {
  return recommend(content, { ...input, limit: 1 })[0];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function kindOrder(k: ItemKind): number {
  return k === 'scenario' ? 0 : 1;
}

function groupOf(content: LearningContent, id: string | null | undefined): Group | undefined {
  return (id ? content.groupById.get(id) : undefined) ?? content.groupById.get(FALLBACK_GROUP);
}

/** Where an item stands for review: never seen, just answered, retired, due (with its box) or waiting. */
type ReviewState = { k: 'unseen' } | { k: 'recent' } | { k: 'retired' } | { k: 'due'; box: number } | { k: 'waiting' };

function reviewState(h: ItemHistory | undefined, now: number): ReviewState {
  if (!h) return { k: 'unseen' };
  if (now - h.lastAt < RECENT_COOLDOWN_MS) return { k: 'recent' };
  if (h.retired) return { k: 'retired' };
  return h.lastAt + REVIEW_INTERVAL_DAYS[h.box - 1] * DAY_MS <= now ? { k: 'due', box: h.box } : { k: 'waiting' };
}

function scoreItem(kind: ItemKind, item: Scenario | Question, m: TypeProgress, h: ItemHistory | undefined, group: Group | undefined, now: number): number {
  const risk = group?.risk[item.fraudType] ?? 0.5;
  let score = W.risk * risk;
  score += W.weakness * (1 - m.score) * (m.mastered ? W.masteredFactor : 1);
  const r = reviewState(h, now);
  score += r.k === 'unseen' ? W.unseen : r.k === 'recent' ? W.recent : r.k === 'retired' ? W.retired : r.k === 'due' ? W.due[r.box - 1] : W.seenNotDue;
  if (group && item.groups.includes(group.id)) score += W.groupFit;
  const level = m.mastered ? 3 : m.score >= 0.5 ? 2 : 1;
  score += -W.difficulty * Math.abs(item.difficulty - level);
  if (kind === 'scenario' && m.scenariosAvoided === 0 && !m.mastered) score += W.scenarioForMastery;
  return score;
}

/** Why an item is suggested: the two weightiest of the parts of its score that have words. */
function reasonFor(kind: ItemKind, item: Scenario | Question, m: TypeProgress, h: ItemHistory | undefined, group: Group | undefined, now: number): string {
  const parts: { weight: number; text: string }[] = [];
  const risk = group?.risk[item.fraudType] ?? 0.5;
  const personal = !!group && group.id !== FALLBACK_GROUP;
  if (risk >= 0.6) parts.push({ weight: W.risk * risk, text: personal ? `${group!.name}常遇到这类骗局` : '这类骗局很常见' });
  const weakness = W.weakness * (1 - m.score) * (m.mastered ? W.masteredFactor : 1);
  if (m.attempts === 0) parts.push({ weight: weakness, text: '这一类你还没学过' });
  else if (!m.mastered) parts.push({ weight: weakness, text: '这一类你还不太熟' });
  const r = reviewState(h, now);
  if (r.k === 'unseen' && kind === 'scenario') parts.push({ weight: W.unseen, text: '还没玩过这个情景' });
  // Reviews outrank everything else in the reason.
  if (r.k === 'due') parts.push({ weight: 10 - r.box, text: r.box === 1 ? (kind === 'scenario' ? '上次没躲过，再来一次' : '上次没答对，该复习了') : '到了复习的时间' });
  parts.sort((a, b) => b.weight - a.weight);
  return parts.length ? parts.slice(0, 2).map((p) => p.text).join('，') : '巩固一下';
}
