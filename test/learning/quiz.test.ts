import { describe, expect, it } from 'vitest';
import { answerQuestion, learningContent, parseQuizAnswer, presentQuestion } from '../../src/learning/index.js';
import { T0, choiceQ, scamOrNot } from './fixtures.js';

const content = learningContent({
  questions: [scamOrNot('q-refund', 'fake-customer-service', true, { version: 2 }), scamOrNot('q-parcel', 'fake-customer-service', false), choiceQ('q-meeting', 'impersonate-officials', 1)],
});

describe('when a quiz question is shown', () => {
  it('then scam-or-not shows the message with the options 是诈骗 / 不是诈骗', () => {
    expect(presentQuestion(content, 'q-refund')).toMatchObject({
      id: 'q-refund',
      version: 2,
      kind: 'scam-or-not',
      prompt: '您的快递丢失，点链接领取双倍赔偿。',
      ask: '这条消息是诈骗吗？',
      options: ['是诈骗', '不是诈骗'],
    });
    expect(presentQuestion(content, 'q-meeting')?.options).toEqual(['照做', '拒绝并挂断', '先问问他是谁']);
    expect(presentQuestion(content, 'gone')).toBeUndefined();
  });
});

describe('when a resident answers', () => {
  it('then a right scam-or-not answer is correct and yields a record with id and version', () => {
    const r = answerQuestion(content, { id: 'q-refund', version: 2 }, 0, T0);
    expect(r).toMatchObject({ kind: 'answered', correct: true, correctIndex: 0, correctText: '是诈骗', signals: ['refund-offer'] });
    if (r.kind === 'answered') expect(r.record).toEqual({ kind: 'question', itemId: 'q-refund', version: 2, fraudType: 'fake-customer-service', correct: true, at: T0 });
  });

  it('then a genuine notice judged a scam is wrong, with the explanation', () => {
    const r = answerQuestion(content, { id: 'q-parcel', version: 1 }, true, T0);
    expect(r).toMatchObject({ kind: 'answered', correct: false, correctIndex: 1, correctText: '不是诈骗', chosenIndex: 0 });
    if (r.kind === 'answered') expect(r.explain).toMatch(/正常/);
  });

  it('then a multiple-choice answer is checked against the right option', () => {
    expect(answerQuestion(content, { id: 'q-meeting', version: 1 }, 1, T0)).toMatchObject({ kind: 'answered', correct: true });
    expect(answerQuestion(content, { id: 'q-meeting', version: 1 }, 2, T0)).toMatchObject({ kind: 'answered', correct: false, correctText: '拒绝并挂断' });
  });

  it.each([[3], [-1], [0.5], [true]])('then an answer that is not an option (%s) is refused politely', (a) => {
    const r = answerQuestion(content, { id: 'q-meeting', version: 1 }, a as number, T0);
    expect(r).toMatchObject({ kind: 'refused', reason: 'unknown-option' });
    if (r.kind === 'refused') expect(r.message).toMatch(/1 到 3/);
  });

  it('then a removed question and a changed question are stale, so the bot moves on', () => {
    expect(answerQuestion(content, { id: 'gone', version: 1 }, 0, T0)).toMatchObject({ kind: 'stale', reason: 'removed' });
    expect(answerQuestion(content, { id: 'q-refund', version: 1 }, 0, T0)).toMatchObject({ kind: 'stale', reason: 'changed' });
  });
});

describe('when a resident types a quiz answer', () => {
  const son = presentQuestion(content, 'q-refund')!;
  const mc = presentQuestion(content, 'q-meeting')!;
  it.each([
    ['是诈骗', 0],
    ['是', 0],
    ['诈骗！', 0],
    ['不是', 1],
    ['正常', 1],
    ['1', 0],
    ['2', 1],
  ])('then scam-or-not %j is option %i', (t, want) => expect(parseQuizAnswer(son, t)).toBe(want));
  it('then words only count for scam-or-not, numbers and letters for both', () => {
    expect(parseQuizAnswer(mc, '是')).toBeUndefined();
    expect(parseQuizAnswer(mc, 'B')).toBe(1);
    expect(parseQuizAnswer(son, '3')).toBeUndefined();
    expect(parseQuizAnswer(mc, 3)).toBe(2);
  });
});
