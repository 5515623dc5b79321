import { describe, expect, it } from 'vitest';
import { FRAUD_TYPE_IDS } from '../../src/content/schema.js';
import { MASTERY_RULE, masteryByType, masteryHint, masteryOf } from '../../src/learning/index.js';
import { MIN, T0, ans } from './fixtures.js';

const T = 'order-brushing' as const;
const q = (id: string, correct: boolean, i: number) => ans('question', id, T, correct, T0 + i * MIN);
const sc = (id: string, correct: boolean, i: number) => ans('scenario', id, T, correct, T0 + i * MIN);

describe('when mastery is computed from the answer history', () => {
  it('then every one of the 13 types is listed, untouched ones at zero', () => {
    const all = masteryByType([]);
    expect(all.map((m) => m.fraudType)).toEqual([...FRAUD_TYPE_IDS]);
    expect(all[0]).toMatchObject({ attempts: 0, correct: 0, score: 0, mastered: false });
  });

  it('then three different questions answered right make the type mastered', () => {
    const m = masteryOf([q('a', true, 1), q('b', true, 2), q('c', true, 3)], T);
    expect(m).toMatchObject({ attempts: 3, correct: 3, correctItems: 3, score: 1, mastered: true, recentAccuracy: 1 });
  });

  it('then the same question answered right three times is not enough', () => {
    const m = masteryOf([q('a', true, 1), q('a', true, 2), q('a', true, 3)], T);
    expect(m).toMatchObject({ correct: 3, correctItems: 1, mastered: false });
    expect(m.score).toBeCloseTo(1 / 3, 2);
  });

  it('then two right items including an avoided scenario are enough', () => {
    expect(masteryOf([sc('s1', true, 1), q('a', true, 2)], T)).toMatchObject({ mastered: true, scenariosAvoided: 1, score: 1 });
    expect(masteryOf([sc('s1', false, 1), q('a', true, 2), q('b', true, 3)], T).mastered).toBe(false);
  });

  it('then recent accuracy below 80% takes mastery away until the user recovers', () => {
    const h = [q('a', true, 1), q('b', true, 2), q('c', true, 3), q('d', false, 4), q('e', false, 5)];
    expect(masteryOf(h, T)).toMatchObject({ correctItems: 3, recentAccuracy: 0.6, mastered: false });
    h.push(q('f', true, 6), q('g', true, 7), q('h', true, 8));
    // last five: c? no — d✗ e✗ f✓ g✓ h✓ → 60%; one more right answer
    expect(masteryOf(h, T).mastered).toBe(false);
    h.push(q('i', true, 9));
    expect(masteryOf(h, T)).toMatchObject({ recentAccuracy: 0.8, mastered: true });
  });

  it('then answers are taken in time order whatever order they come in', () => {
    const h = [q('c', true, 3), q('x', false, 9), q('a', true, 1), q('b', true, 2)];
    expect(masteryOf(h, T)).toMatchObject({ recentAccuracy: 0.75, mastered: false, lastAt: T0 + 9 * MIN });
  });

  it('then the rule constants are the documented ones', () => {
    expect(MASTERY_RULE).toEqual({ minCorrectItems: 3, minCorrectItemsWithScenario: 2, recentWindow: 5, minRecentAccuracy: 0.8 });
  });

  it('then the hint says what is missing, in Chinese', () => {
    expect(masteryHint(masteryOf([], T))).toBe('还没开始');
    expect(masteryHint(masteryOf([q('a', true, 1)], T))).toBe('再答对 2 道不同的题，或者在一个情景里躲过骗局');
    expect(masteryHint(masteryOf([sc('s', true, 1)], T))).toBe('再答对 1 道不同的题就掌握了');
    expect(masteryHint(masteryOf([q('a', true, 1), q('b', true, 2), q('c', true, 3), q('d', false, 4), q('e', false, 5)], T))).toMatch(/八成/);
    expect(masteryHint(masteryOf([q('a', true, 1), q('b', true, 2), q('c', true, 3)], T))).toBeUndefined();
  });
});
