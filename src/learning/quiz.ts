/**
 * Quiz questions: show one, check an answer. Both kinds are shown as numbered options, so the
 * bot renders them the same way; "scam or not" has the options 是诈骗 / 不是诈骗.
 */
import type { Question } from '../content/schema.js';
import type { LearningContent } from './content.js';
import { parseChoice } from './engine.js';
import type { AnswerRecord } from './types.js';

export const SCAM_OR_NOT_OPTIONS = ['是诈骗', '不是诈骗'] as const;

export interface QuestionView {
  id: string;
  version: number;
  kind: Question['kind'];
  fraudType: Question['fraudType'];
  difficulty: Question['difficulty'];
  /** For "scam or not", the message to judge; for "choice", the question. */
  prompt: string;
  /** Only for "scam or not": the question to ask about the message. */
  ask?: string;
  options: string[];
}

export type AnswerResult =
  | {
      kind: 'answered';
      correct: boolean;
      /** 0-based index of the right option, and its text. */
      correctIndex: number;
      correctText: string;
      chosenIndex: number;
      explain: string;
      signals: string[];
      record: AnswerRecord;
      question: QuestionView;
    }
  /** Not one of the options: say `message` and ask again. */
  | { kind: 'refused'; reason: 'unknown-option'; message: string; question: QuestionView }
  /** The question was removed, or changed since it was shown: say `message` and move on to another one. */
  | { kind: 'stale'; reason: 'removed' | 'changed'; questionId: string; message: string };

export function presentQuestion(content: Pick<LearningContent, 'questionById'>, questionId: string): QuestionView | undefined {
  const q = content.questionById.get(questionId);
  return q && questionView(q);
}

export function questionView(q: Question): QuestionView {
  const base = { id: q.id, version: q.version, kind: q.kind, fraudType: q.fraudType, difficulty: q.difficulty };
  if (q.kind === 'scam-or-not') return { ...base, prompt: q.message, ask: '这条消息是诈骗吗？', options: [...SCAM_OR_NOT_OPTIONS] };
  return { ...base, prompt: q.prompt, options: [...q.options] };
}

export function correctIndex(q: Question): number {
  return q.kind === 'scam-or-not' ? (q.isScam ? 0 : 1) : q.answer;
}

/**
 * Check an answer to the question as it was shown (id and version). `answer` is the 0-based
 * option index; for "scam or not" a boolean (true = 是诈骗) works too.
 */
export function answerQuestion(
  content: Pick<LearningContent, 'questionById'>,
  shown: { id: string; version: number },
  answer: number | boolean,
  now: number,
): AnswerResult {
  const q = content.questionById.get(shown.id);
  if (!q) {
    return { kind: 'stale', reason: 'removed', questionId: shown.id, message: '这道题刚刚下线了，我们换一道。' };
  }
  if (q.version !== shown.version) {
    return { kind: 'stale', reason: 'changed', questionId: q.id, message: '这道题刚刚更新过，为了不判错，我们换一道。' };
  }
  const view = questionView(q);
  const chosen = typeof answer === 'boolean' ? (q.kind === 'scam-or-not' ? (answer ? 0 : 1) : -1) : answer;
  if (!Number.isInteger(chosen) || chosen < 0 || chosen >= view.options.length) {
    return {
      kind: 'refused',
      reason: 'unknown-option',
      question: view,
      message:
        q.kind === 'scam-or-not'
          ? '请回复 1（是诈骗）或 2（不是诈骗）。'
          : `没有这个选项哦。请在 1 到 ${view.options.length} 之间选一个，回复数字就行。`,
    };
  }
  const right = correctIndex(q);
  const correct = chosen === right;
  return {
    kind: 'answered',
    correct,
    correctIndex: right,
    correctText: view.options[right],
    chosenIndex: chosen,
    explain: q.explain,
    signals: [...q.signals],
    record: { kind: 'question', itemId: q.id, version: q.version, fraudType: q.fraudType, correct, at: now },
    question: view,
  };
}

const YES = new Set(['是', '是的', '是诈骗', '诈骗', '骗局', '骗子', '骗人', '有诈', '是骗局']);
const NO = new Set(['不是', '不是诈骗', '正常', '没问题', '安全', '不是骗局', '不']);

/**
 * Read a typed answer: "1", "B", "二", and for "scam or not" also 是/诈骗 or 不是/正常.
 * Returns the 0-based option index, or undefined.
 */
export function parseQuizAnswer(view: Pick<QuestionView, 'kind' | 'options'>, input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input >= 1 && input <= view.options.length ? input - 1 : undefined;
  const t = String(input)
    .normalize('NFKC')
    .trim()
    .replace(/[\s.。、，,!！?？)）]+$/u, '');
  if (view.kind === 'scam-or-not') {
    if (YES.has(t)) return 0;
    if (NO.has(t)) return 1;
  }
  return parseChoice(t, view.options.length);
}
