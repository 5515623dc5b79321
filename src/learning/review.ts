/**
 * Leitner review schedule, derived from the answer history (nothing extra is stored).
 *
 * Every item answered at least once sits in a box 1..5. The first answer puts it in box 2 when
 * right and box 1 when wrong; later, a right answer moves it up one box, a wrong one sends it
 * back to box 1. It is due again REVIEW_INTERVAL_DAYS[box - 1] days after its latest answer
 * (box 1: at once, 2: 1 day, 3: 3 days, 4: 7 days, 5: 14 days). A right answer while in box 5
 * retires the item: it is learned and leaves the schedule.
 */
import { DAY_MS, itemKey } from './content.js';
import { chronological } from './mastery.js';
import type { AnswerRecord, ItemKind, ReviewItem } from './types.js';
import type { FraudTypeId } from '../content/schema.js';

export const REVIEW_INTERVAL_DAYS = [0, 1, 3, 7, 14] as const;
export const MAX_BOX = REVIEW_INTERVAL_DAYS.length;

/** A scheduled item with what the recommendation needs to know about it. */
export interface ScheduledItem extends ReviewItem {
  fraudType: FraudTypeId;
  /** Latest answer. */
  lastAt: number;
  lastCorrect: boolean;
}

export interface ItemHistory {
  kind: ItemKind;
  itemId: string;
  fraudType: FraudTypeId;
  box: number;
  lastAt: number;
  lastCorrect: boolean;
  attempts: number;
  /** Right answer in box 5: learned, no more reviews. */
  retired: boolean;
}

/** Per-item Leitner state for every item ever answered, keyed by itemKey(kind, id). */
export function itemHistories(history: readonly AnswerRecord[]): Map<string, ItemHistory> {
  const items = new Map<string, ItemHistory>();
  for (const r of chronological(history)) {
    const key = itemKey(r.kind, r.itemId);
    const h = items.get(key);
    if (!h) {
      items.set(key, {
        kind: r.kind,
        itemId: r.itemId,
        fraudType: r.fraudType,
        box: r.correct ? 2 : 1,
        lastAt: r.at,
        lastCorrect: r.correct,
        attempts: 1,
        retired: false,
      });
      continue;
    }
    h.attempts++;
    h.lastAt = r.at;
    h.lastCorrect = r.correct;
    h.fraudType = r.fraudType;
    if (!r.correct) {
      h.box = 1;
      h.retired = false;
    } else if (h.box >= MAX_BOX) {
      h.retired = true;
    } else {
      h.box++;
    }
  }
  return items;
}

/** Every item still in the schedule, soonest due first (then lower box, then id). */
export function reviewSchedule(history: readonly AnswerRecord[]): ScheduledItem[] {
  const out: ScheduledItem[] = [];
  for (const h of itemHistories(history).values()) {
    if (h.retired) continue;
    out.push({
      kind: h.kind,
      itemId: h.itemId,
      box: h.box,
      due: h.lastAt + REVIEW_INTERVAL_DAYS[h.box - 1] * DAY_MS,
      fraudType: h.fraudType,
      lastAt: h.lastAt,
      lastCorrect: h.lastCorrect,
    });
  }
  return out.sort((a, b) => a.due - b.due || a.box - b.box || a.itemId.localeCompare(b.itemId));
}

/** Items due at `now`: missed ones (box 1) first, then by due time. */
export function dueReviews(history: readonly AnswerRecord[], now: number): ScheduledItem[] {
  return reviewSchedule(history)
    .filter((r) => r.due <= now)
    .sort((a, b) => a.box - b.box || a.due - b.due || a.itemId.localeCompare(b.itemId));
}
