import { describe, expect, it } from 'vitest';
import { FRAUD_TYPE_IDS } from '../../src/content/schema.js';
import { RECENT_COOLDOWN_MS, nextRecommendation, recommend, type AnswerRecord } from '../../src/learning/index.js';
import { DAY, MIN, T0, ans, fullContent } from './fixtures.js';

const content = fullContent();

describe('when the next item is recommended', () => {
  it('then a new elderly user gets the type their group meets most, with the reason in Chinese', () => {
    const r = nextRecommendation(content, { group: 'elderly', history: [], now: T0 });
    expect(r).toMatchObject({ kind: 'scenario', itemId: 's-impersonate-officials', fraudType: 'impersonate-officials' });
    expect(r!.reason).toMatch(/老年人常遇到这类骗局/);
  });

  it('then a student gets order brushing first', () => {
    expect(nextRecommendation(content, { group: 'student', history: [], now: T0 })?.fraudType).toBe('order-brushing');
  });

  it('then an unknown or missing group falls back to the general weights', () => {
    const a = recommend(content, { group: 'nope', history: [], now: T0 });
    const b = recommend(content, { group: null, history: [], now: T0 });
    expect(a).toEqual(b);
    expect(a[0].reason).not.toMatch(/常遇到/);
  });

  it('then a missed item that is due outranks new items, and the reason says so', () => {
    const h = [ans('question', 'q-romance-2', 'romance', false, T0 - DAY)];
    const r = nextRecommendation(content, { group: 'elderly', history: h, now: T0 });
    expect(r).toMatchObject({ kind: 'question', itemId: 'q-romance-2' });
    expect(r!.reason).toMatch(/^上次没答对，该复习了/);
  });

  it('then a lost scenario comes back the next day as "再来一次"', () => {
    const h = [ans('scenario', 's-romance', 'romance', false, T0 - DAY)];
    const r = nextRecommendation(content, { group: 'general', history: h, now: T0 });
    expect(r).toMatchObject({ itemId: 's-romance' });
    expect(r!.reason).toMatch(/上次没躲过/);
  });

  it('then something answered a moment ago is not handed out again, even if missed', () => {
    const h = [ans('question', 'q-romance-2', 'romance', false, T0 - MIN)];
    const top = recommend(content, { history: h, now: T0, limit: 20 });
    expect(top.map((x) => x.itemId)).not.toContain('q-romance-2');
    const later = nextRecommendation(content, { history: h, now: T0 + RECENT_COOLDOWN_MS });
    expect(later?.itemId).toBe('q-romance-2');
  });

  it('then weak types come before mastered ones', () => {
    const h: AnswerRecord[] = [];
    let t = T0 - 10 * DAY;
    // impersonate-officials mastered by an elderly user; the next pick moves to another type.
    for (const id of ['s-impersonate-officials']) h.push(ans('scenario', id, 'impersonate-officials', true, (t += MIN)));
    for (const id of ['q-impersonate-officials-1', 'q-impersonate-officials-2']) h.push(ans('question', id, 'impersonate-officials', true, (t += MIN)));
    const r = nextRecommendation(content, { group: 'elderly', history: h, now: T0 });
    expect(r?.fraudType).not.toBe('impersonate-officials');
  });

  it('then seen items that are not due rank below unseen ones of the same type', () => {
    const h = [ans('question', 'q-other-1', 'other', true, T0 - 2 * 60 * MIN)];
    const r = recommend(content, { history: h, now: T0, fraudType: 'other', kind: 'question', limit: 3 });
    expect(r.map((x) => x.itemId)).toEqual(['q-other-2', 'q-other-3', 'q-other-1']);
  });

  it('then kind, fraud type, exclude and limit filter the list, and the ranking is deterministic', () => {
    const r = recommend(content, { history: [], now: T0, kind: 'question', fraudType: 'sextortion', exclude: ['q-sextortion-1'], limit: 10 });
    expect(r.map((x) => x.itemId).sort()).toEqual(['q-sextortion-2', 'q-sextortion-3']);
    expect(recommend(content, { history: [], now: T0, limit: 30 })).toEqual(recommend(content, { history: [], now: T0, limit: 30 }));
    expect(recommend(content, { history: [], now: T0 })).toHaveLength(5);
  });

  it('then every item of every type can be reached and every reason is short Chinese', () => {
    const all = recommend(content, { group: 'student', history: [], now: T0, limit: 1000 });
    expect(all).toHaveLength(content.scenarios.length + content.questions.length);
    expect(new Set(all.map((x) => x.fraudType))).toEqual(new Set(FRAUD_TYPE_IDS));
    for (const x of all) expect(x.reason).toMatch(/^[\u4e00-\u9fff，（）]{2,30}$/);
  });
});
