import { describe, expect, it } from 'vitest';
import { REVIEW_INTERVAL_DAYS, dueReviews, reviewSchedule } from '../../src/learning/index.js';
import { DAY, T0, ans } from './fixtures.js';

const T = 'romance' as const;
const q = (id: string, correct: boolean, at: number) => ans('question', id, T, correct, at);

describe('when the review schedule is derived from the history', () => {
  it('then the intervals are 0/1/3/7/14 days for boxes 1..5', () => {
    expect(REVIEW_INTERVAL_DAYS).toEqual([0, 1, 3, 7, 14]);
  });

  it('then a first right answer goes to box 2 (due in a day) and a miss to box 1 (due now)', () => {
    const s = reviewSchedule([q('right', true, T0), q('wrong', false, T0)]);
    expect(s).toEqual([
      expect.objectContaining({ itemId: 'wrong', box: 1, due: T0, lastCorrect: false }),
      expect.objectContaining({ itemId: 'right', box: 2, due: T0 + DAY, lastCorrect: true }),
    ]);
  });

  it('then right answers climb the boxes and a miss sends the item back to box 1', () => {
    const h = [q('a', true, T0), q('a', true, T0 + DAY), q('a', true, T0 + 4 * DAY)];
    expect(reviewSchedule(h)[0]).toMatchObject({ box: 4, due: T0 + 4 * DAY + 7 * DAY });
    h.push(q('a', false, T0 + 11 * DAY));
    expect(reviewSchedule(h)[0]).toMatchObject({ box: 1, due: T0 + 11 * DAY });
  });

  it('then a right answer in box 5 retires the item', () => {
    const h = [q('a', true, T0), q('a', true, T0 + DAY), q('a', true, T0 + 4 * DAY), q('a', true, T0 + 11 * DAY)];
    expect(reviewSchedule(h)[0]).toMatchObject({ box: 5, due: T0 + 25 * DAY });
    h.push(q('a', true, T0 + 25 * DAY));
    expect(reviewSchedule(h)).toEqual([]);
  });

  it('then due reviews list missed items first, and items not yet due are left out', () => {
    const h = [q('old-right', true, T0 - 2 * DAY), q('missed', false, T0 - DAY), q('fresh', true, T0), ans('scenario', 's1', T, false, T0 - 3 * DAY)];
    const due = dueReviews(h, T0);
    expect(due.map((d) => `${d.kind}:${d.itemId}:${d.box}`)).toEqual(['scenario:s1:1', 'question:missed:1', 'question:old-right:2']);
  });
});
