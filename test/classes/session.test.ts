import { describe, expect, it } from 'vitest';
import { AttemptLimiter, emptyAnswered, expiryFor, HOUR_MS, nextStep, sessionStatus, type Answered } from '../../src/classes/session.js';
import type { ClassItem } from '../../src/classes/types.js';

const item = (id: string): ClassItem => ({ id, version: 1, fraudType: 'other', difficulty: 1, kind: 'scam-or-not', prompt: 'p', options: ['是诈骗', '不是诈骗'], correct: 0, explain: 'e' });
const T0 = Date.UTC(2025, 2, 1, 2);
const withAnswers = (a: Partial<Record<'pre' | 'main' | 'post', number[]>>): Answered => ({ pre: new Set(a.pre ?? []), main: new Set(a.main ?? []), post: new Set(a.post ?? []) });

describe('class session rules', () => {
  it('when the session hours pass, then it is expired; closing wins over expiry', () => {
    const s = { closedAt: null, expiresAt: expiryFor(T0, 3) };
    expect(s.expiresAt - T0).toBe(3 * HOUR_MS);
    expect(sessionStatus(s, T0 + 3 * HOUR_MS - 1)).toBe('open');
    expect(sessionStatus(s, T0 + 3 * HOUR_MS)).toBe('expired');
    expect(sessionStatus({ ...s, closedAt: T0 + 5 }, T0 + 10)).toBe('closed');
    expect(sessionStatus({ ...s, closedAt: T0 + 5 }, T0 + 4 * HOUR_MS)).toBe('closed');
  });

  it('when a student plays a quiz without tests, then questions come in order and the first unanswered is next', () => {
    const s = { items: [item('a'), item('b'), item('c')], testItems: [], postOpenedAt: null };
    expect(nextStep(s, emptyAnswered())).toEqual({ kind: 'question', phase: 'main', index: 0 });
    expect(nextStep(s, withAnswers({ main: [0, 2] }))).toEqual({ kind: 'question', phase: 'main', index: 1 });
    expect(nextStep(s, withAnswers({ main: [0, 1, 2] }))).toEqual({ kind: 'finished' });
  });

  it('when the session has pre/post tests, then pre comes first, then main, then a wait until the teacher opens the post-test', () => {
    const s = { items: [item('a'), item('b')], testItems: [item('x'), item('y')], postOpenedAt: null as number | null };
    expect(nextStep(s, emptyAnswered())).toEqual({ kind: 'question', phase: 'pre', index: 0 });
    expect(nextStep(s, withAnswers({ pre: [0, 1] }))).toEqual({ kind: 'question', phase: 'main', index: 0 });
    expect(nextStep(s, withAnswers({ pre: [0, 1], main: [0, 1] }))).toEqual({ kind: 'wait-post' });
    s.postOpenedAt = T0;
    expect(nextStep(s, withAnswers({ pre: [0, 1], main: [0, 1] }))).toEqual({ kind: 'question', phase: 'post', index: 0 });
    expect(nextStep(s, withAnswers({ pre: [0, 1], main: [0, 1], post: [0, 1] }))).toEqual({ kind: 'finished' });
  });

  it('when a student joins after the post-test opened, then they skip both tests (no "before" to compare)', () => {
    const s = { items: [item('a')], testItems: [item('x')], postOpenedAt: T0 };
    expect(nextStep(s, emptyAnswered())).toEqual({ kind: 'question', phase: 'main', index: 0 });
    expect(nextStep(s, withAnswers({ main: [0] }))).toEqual({ kind: 'finished' });
  });

  it('when a user gets 5 codes wrong within 10 minutes, then the 6th try is refused until the first failure is 10 minutes old', () => {
    const l = new AttemptLimiter(5, 10 * 60_000);
    for (let i = 0; i < 5; i++) {
      expect(l.allowed('u', T0 + i * 1000)).toBe(true);
      expect(l.fail('u', T0 + i * 1000)).toBe(4 - i);
    }
    expect(l.allowed('u', T0 + 5000)).toBe(false);
    expect(l.allowed('other', T0 + 5000)).toBe(true);
    expect(l.retryAt('u', T0 + 5000)).toBe(T0 + 10 * 60_000);
    expect(l.allowed('u', T0 + 10 * 60_000)).toBe(true);
  });
});
