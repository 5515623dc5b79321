import { describe, expect, it } from 'vitest';
import { availableTypes, selectQuizSet, topTypeCount, TEST_ITEMS } from '../../src/classes/quiz-set.js';
import { FRAUD_TYPE_IDS, type FraudTypeId, type Question } from '../../src/content/schema.js';
import { loadContentOrThrow } from '../../src/content/load.js';
import { choiceQ, scamOrNot } from '../learning/fixtures.js';
import { PROJECT_ROOT } from '../helpers/app.js';

const SHARES: Record<FraudTypeId, number> = {
  'order-brushing': 0.2947,
  'loan-credit': 0.1457,
  'fake-investment': 0.1291,
  'fake-customer-service': 0.1201,
  'impersonate-officials': 0.0873,
  'fake-shopping': 0.0649,
  sextortion: 0.0305,
  'impersonate-acquaintance': 0.0256,
  'game-trading': 0.025,
  'flight-refund': 0.0156,
  romance: 0.0137,
  'military-police-purchase': 0.0126,
  other: 0.0352,
};
const fraudTypes = FRAUD_TYPE_IDS.map((id) => ({ id, share: SHARES[id] }));

/** Per type: student questions at difficulty 1, 2, 3, one general question, one elderly-only question. */
function bank(): Question[] {
  const qs: Question[] = [];
  for (const t of FRAUD_TYPE_IDS) {
    qs.push(scamOrNot(`${t}-s1`, t, true, { groups: ['student'], difficulty: 1 }));
    qs.push(choiceQ(`${t}-s1b`, t, 1, { groups: ['student', 'general'], difficulty: 1 }));
    qs.push(scamOrNot(`${t}-s2`, t, false, { groups: ['student'], difficulty: 2 }));
    qs.push(scamOrNot(`${t}-s3`, t, true, { groups: ['student'], difficulty: 3 }));
    qs.push(scamOrNot(`${t}-g1`, t, true, { groups: ['general'], difficulty: 1 }));
    qs.push(scamOrNot(`${t}-e1`, t, true, { groups: ['elderly'], difficulty: 1 }));
  }
  return qs;
}
const seeded = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

describe('choosing a class quiz', () => {
  it('when "most common here" is picked for 8 questions, then the 3 types with the largest share are used, alternating', () => {
    const set = selectQuizSet({ questions: bank(), fraudTypes }, { audience: 'middle', types: 'top', count: 8, prePost: false }, seeded(1));
    expect(topTypeCount(8)).toBe(3);
    expect(set.items).toHaveLength(8);
    expect(set.types).toEqual(['order-brushing', 'loan-credit', 'fake-investment']);
    expect(set.items.slice(0, 3).map((q) => q.fraudType)).toEqual(['order-brushing', 'loan-credit', 'fake-investment']);
    expect(new Set(set.items.map((q) => q.id)).size).toBe(8);
    expect(set.short).toBe(false);
  });

  it('when the class is a primary school, then only easy student questions are used while there are enough, and adult topics are left out', () => {
    const content = { questions: bank(), fraudTypes };
    expect(availableTypes(content, 'primary')).not.toContain('sextortion');
    expect(availableTypes(content, 'primary')).not.toContain('romance');
    expect(availableTypes(content, 'middle')).toContain('sextortion');
    const set = selectQuizSet(content, { audience: 'primary', types: ['order-brushing', 'game-trading'], count: 4, prePost: false }, seeded(2));
    expect(set.items.every((q) => q.difficulty === 1)).toBe(true);
    expect(set.items.map((q) => q.id).every((id) => /-s1b?$/.test(id))).toBe(true);
    expect(set.items.some((q) => q.id.endsWith('-s3'))).toBe(false);
  });

  it('when the class is a university, then harder student questions come first', () => {
    const set = selectQuizSet({ questions: bank(), fraudTypes }, { audience: 'university', types: ['order-brushing'], count: 2, prePost: false }, seeded(3));
    expect(set.items.map((q) => q.difficulty).sort()).toEqual([2, 3]);
  });

  it('when a primary class asks for more than the easy student questions, then other student and general questions fill up, never elderly-only or hard ones', () => {
    const set = selectQuizSet({ questions: bank(), fraudTypes }, { audience: 'primary', types: ['game-trading'], count: 10, prePost: false }, seeded(4));
    // s1, s1b (easy student), s2 (student, allowed difficulty), g1 (general): 4 in all
    expect(set.items.map((q) => q.id).sort()).toEqual(['game-trading-g1', 'game-trading-s1', 'game-trading-s1b', 'game-trading-s2']);
    expect(set.short).toBe(true);
  });

  it('when pre/post tests are asked for, then 3 test items come from the same types and are not in the main quiz', () => {
    const set = selectQuizSet({ questions: bank(), fraudTypes }, { audience: 'middle', types: 'top', count: 5, prePost: true }, seeded(5));
    expect(set.testItems).toHaveLength(TEST_ITEMS);
    const main = new Set(set.items.map((q) => q.id));
    for (const q of set.testItems) {
      expect(main.has(q.id)).toBe(false);
      expect(set.types).toContain(q.fraudType);
    }
  });

  it('when the bank is too small for separate test items, then main items are reused for the test', () => {
    const qs = [scamOrNot('a', 'romance', true, { groups: ['student'] }), scamOrNot('b', 'romance', false, { groups: ['student'] })];
    const set = selectQuizSet({ questions: qs, fraudTypes }, { audience: 'middle', types: ['romance'], count: 2, prePost: true });
    expect(set.items).toHaveLength(2);
    expect(set.testItems.map((q) => q.id).sort()).toEqual(['a', 'b']);
  });

  it('when a question is frozen for a class, then it carries its options, right answer and explanation', () => {
    const set = selectQuizSet({ questions: [choiceQ('c', 'other', 1, { groups: ['student'] })], fraudTypes }, { audience: 'middle', types: ['other'], count: 1, prePost: false });
    expect(set.items[0]).toMatchObject({ id: 'c', kind: 'choice', options: ['照做', '拒绝并挂断', '先问问他是谁'], correct: 1, explain: expect.any(String) });
  });

  it('when the real question bank is used, then every audience gets a full 10-question "most common" quiz with pre/post items', () => {
    const content = loadContentOrThrow(PROJECT_ROOT);
    for (const audience of ['primary', 'middle', 'university'] as const) {
      const set = selectQuizSet(content, { audience, types: 'top', count: 10, prePost: true }, seeded(6));
      expect(set.items, audience).toHaveLength(10);
      expect(set.testItems, audience).toHaveLength(TEST_ITEMS);
      if (audience === 'primary') expect(set.items.every((q) => q.difficulty <= 2)).toBe(true);
    }
  });
});
