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

export function recommend(content: LearningContent, input: RecommendInput): Recommendation[] {
  const group = groupOf(content, input.group);
  const mastery = new Map(masteryByType(input.history).map((m) => [m.fraudType, m]));
  const seen = itemHistories(input.history);
  const exclude = new Set(input.exclude ?? []);
  const candidates: Candidate[] = [];
  if (input.kind !== 'question') for (const s of content.scenarios) candidates.push({ kind: 'scenario', item: s });
  if (input.kind !== 'scenario') for (const q of content.questions) candidates.push({ kind: 'question', item: q });

  const scored: Recommendation[] = [];
  for (const c of candidates) {
    if (exclude.has(c.item.id)) continue;
    if (input.fraudType && c.item.fraudType !== input.fraudType) continue;
    const m = mastery.get(c.item.fraudType)!;
    const h = seen.get(itemKey(c.kind, c.item.id));
    const { score, reason } = scoreItem(c, m, h, group, input.now);
    scored.push({ kind: c.kind, itemId: c.item.id, fraudType: c.item.fraudType, reason, score: Math.round(score * 1000) / 1000 });
  }
  scored.sort((a, b) => b.score - a.score || kindOrder(a.kind) - kindOrder(b.kind) || a.itemId.localeCompare(b.itemId));
  return scored.slice(0, input.limit ?? 5);
}

export function nextRecommendation(content: LearningContent, input: Omit<RecommendInput, 'limit'>): Recommendation | undefined {
  return recommend(content, { ...input, limit: 1 })[0];
}

function kindOrder(k: ItemKind): number {
  return k === 'scenario' ? 0 : 1;
}

function groupOf(content: LearningContent, id: string | null | undefined): Group | undefined {
  return (id ? content.groupById.get(id) : undefined) ?? content.groupById.get(FALLBACK_GROUP);
}

interface Part {
  weight: number;
  text: string;
}

function scoreItem(c: Candidate, m: TypeProgress, h: ItemHistory | undefined, group: Group | undefined, now: number) {
  const parts: Part[] = [];
  let score = 0;
  const add = (w: number, text?: string) => {
    score += w;
    if (text) parts.push({ weight: w, text });
  };

  const risk = group?.risk[c.item.fraudType] ?? 0.5;
  const personal = !!group && group.id !== FALLBACK_GROUP;
  add(W.risk * risk, risk >= 0.6 ? (personal ? `${group!.name}常遇到这类骗局` : '这类骗局很常见') : undefined);

  const weakness = (1 - m.score) * (m.mastered ? W.masteredFactor : 1);
  add(W.weakness * weakness, m.attempts === 0 ? '这一类你还没学过' : !m.mastered ? '这一类你还不太熟' : undefined);

  if (!h) {
    add(W.unseen, c.kind === 'scenario' ? '还没玩过这个情景' : undefined);
  } else if (now - h.lastAt < RECENT_COOLDOWN_MS) {
    add(W.recent);
  } else if (h.retired) {
    add(W.retired);
  } else {
    const due = h.lastAt + REVIEW_INTERVAL_DAYS[h.box - 1] * DAY_MS;
    if (due <= now) {
      const text = h.box === 1 ? (c.kind === 'scenario' ? '上次没躲过，再来一次' : '上次没答对，该复习了') : '到了复习的时间';
      // Reviews outrank everything else in the reason.
      add(W.due[h.box - 1], undefined);
      parts.push({ weight: 10 - h.box, text });
    } else {
      add(W.seenNotDue);
    }
  }

  if (group && c.item.groups.includes(group.id)) add(W.groupFit);
  const level = m.mastered ? 3 : m.score >= 0.5 ? 2 : 1;
  add(-W.difficulty * Math.abs(c.item.difficulty - level));
  if (c.kind === 'scenario' && m.scenariosAvoided === 0 && !m.mastered) add(W.scenarioForMastery);

  parts.sort((a, b) => b.weight - a.weight);
  const reason = parts.length ? parts.slice(0, 2).map((p) => p.text).join('，') : '巩固一下';
  return { score, reason };
}
