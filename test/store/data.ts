/** Test data shared by the store tests and the crash-test child process (no vitest imports here). */
import type { AnswerRecord } from '../../src/learning/types.js';

export const SECRET = 'test-secret-0123456789abcdef';

export function answer(i: number, over: Partial<AnswerRecord> = {}): AnswerRecord {
  return { kind: 'question', itemId: `q-${i}`, version: 1, fraudType: 'order-brushing', correct: i % 3 !== 0, at: 1_700_000_000_000 + i, ...over };
}
