import { describe, expect, it } from 'vitest';
import { FRAUD_TYPE_IDS, type FraudTypeId } from '../../src/content/schema.js';
import { certificate, chinaDate, progressSummary, type AnswerRecord } from '../../src/learning/index.js';
import { DAY, MIN, T0, ans, fullContent } from './fixtures.js';

/** Master every type: one avoided scenario and one right question each, a few minutes apart. */
function masterAll(start: number, types: readonly FraudTypeId[] = FRAUD_TYPE_IDS): AnswerRecord[] {
  const h: AnswerRecord[] = [];
  let t = start;
  for (const ft of types) {
    h.push(ans('scenario', `s-${ft}`, ft, true, (t += MIN)));
    h.push(ans('question', `q-${ft}-1`, ft, true, (t += MIN)));
  }
  return h;
}

describe('when a user has mastered every fraud type', () => {
  it('then there is no certificate while one type is missing', () => {
    expect(certificate(masterAll(T0, FRAUD_TYPE_IDS.slice(0, 12)))).toBeUndefined();
    expect(certificate([])).toBeUndefined();
  });

  it('then the certificate has the date (China time) of the answer that completed the set, and the counts', () => {
    // An early miss on romance, made good by two right answers (last five: ✗✓✓✓✓ = 80%).
    const h = [
      ans('question', 'q-romance-3', 'romance', false, T0 - 2 * DAY),
      ans('question', 'q-romance-2', 'romance', true, T0 - 2 * DAY + MIN),
      ans('question', 'q-romance-3', 'romance', true, T0 - 2 * DAY + 2 * MIN),
      ...masterAll(T0),
    ];
    const c = certificate(h)!;
    expect(c).toEqual({
      earnedAt: T0 + 26 * MIN,
      date: '2025-03-01',
      typesMastered: 13,
      scenariosPlayed: 13,
      scenariosAvoided: 13,
      questionsAnswered: 16,
      questionsCorrect: 15,
      distinctItems: 28,
      accuracy: Math.round((28 / 29) * 1000) / 1000,
      days: 3,
    });
  });

  it('then later mistakes do not take the certificate away', () => {
    const h = masterAll(T0);
    const c = certificate(h);
    for (let i = 0; i < 5; i++) h.push(ans('question', `q-romance-${(i % 3) + 1}`, 'romance', false, T0 + DAY + i * MIN));
    expect(certificate(h)).toEqual(c);
  });

  it('then a type that slipped before the others were done delays the certificate', () => {
    const h = masterAll(T0);
    // Romance slips (3 misses → recent accuracy 2/5) right before the last type is mastered.
    const last = h.splice(-2);
    for (let i = 0; i < 3; i++) h.push(ans('question', 'q-romance-3', 'romance', false, last[0].at - 10 + i));
    h.push(...last);
    expect(certificate(h)).toBeUndefined();
    // Four right answers bring the last five back to 80%.
    h.push(ans('question', 'q-romance-2', 'romance', true, T0 + DAY), ans('question', 'q-romance-3', 'romance', true, T0 + DAY + MIN));
    h.push(ans('question', 'q-romance-1', 'romance', true, T0 + DAY + 2 * MIN));
    expect(certificate(h)).toBeUndefined();
    h.push(ans('scenario', 's-romance', 'romance', true, T0 + DAY + 3 * MIN));
    expect(certificate(h)?.earnedAt).toBe(T0 + DAY + 3 * MIN);
  });

  it('then chinaDate uses China time across midnight UTC', () => {
    expect(chinaDate(Date.UTC(2025, 0, 1, 16, 30))).toBe('2025-01-02');
  });

  it('then the progress summary carries mastery, due reviews, the next step and the certificate', () => {
    const content = fullContent();
    // Two misses on "other" after the certificate: it slips out of mastery, the certificate stays.
    const h = [...masterAll(T0), ans('question', 'q-other-3', 'other', false, T0 + 30 * MIN), ans('question', 'gone-question', 'other', false, T0 + 40 * MIN)];
    const s = progressSummary(content, { group: 'elderly', history: h, now: T0 + DAY });
    expect(s.masteredCount).toBe(12);
    expect(s.mastery.find((m) => m.fraudType === 'other')).toMatchObject({ mastered: false, recentAccuracy: 0.5 });
    expect(s.certificate?.typesMastered).toBe(13);
    expect(s.due[0]).toMatchObject({ itemId: 'q-other-3', box: 1 });
    expect(s.due.map((d) => d.itemId)).not.toContain('gone-question');
    expect(s.next).toMatchObject({ itemId: 'q-other-3' });
    expect(s.totals).toEqual({ answers: 28, correct: 26, scenariosPlayed: 13, scenariosAvoided: 13, questionsAnswered: 15, questionsCorrect: 13 });
  });
});
