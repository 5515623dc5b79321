/**
 * Class quiz sessions: the data the rest of the system passes around. Plain JSON values,
 * no I/O. A session keeps a snapshot of its questions, so a content reload during a lesson
 * never changes or removes a question a class is answering.
 */
import type { FraudTypeId } from '../content/schema.js';

/** School level of the class; decides question difficulty and which fraud types fit. */
export const AUDIENCES = ['primary', 'middle', 'university'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Part of a lesson: optional pre-test, the quiz itself (with feedback), optional post-test. */
export const PHASES = ['pre', 'main', 'post'] as const;
export type Phase = (typeof PHASES)[number];

/** What the teacher picked. */
export interface QuizSpec {
  audience: Audience;
  /** Chosen fraud types, or 'top': the types most common locally (by share of cases). */
  types: FraudTypeId[] | 'top';
  /** Questions in the main quiz. */
  count: number;
  /** Add a short pre-test and a post-test with the same items. */
  prePost: boolean;
}

/** A question as the class sees it, frozen when the session is created. */
export interface ClassItem {
  id: string;
  version: number;
  fraudType: FraudTypeId;
  difficulty: 1 | 2 | 3;
  kind: 'scam-or-not' | 'choice';
  prompt: string;
  ask?: string;
  options: string[];
  /** 0-based index of the right option. */
  correct: number;
  explain: string;
}

export interface QuizSet {
  /** Main quiz, in the order every student plays it. */
  items: ClassItem[];
  /** Pre-test items, asked again unchanged as the post-test (empty without pre/post). */
  testItems: ClassItem[];
  /** The fraud types the set covers, in order of appearance. */
  types: FraudTypeId[];
  /** Fewer suitable questions than asked for: the set is shorter. */
  short: boolean;
}

export interface ClassSession {
  id: number;
  code: string;
  teacherKey: string;
  audience: Audience;
  spec: QuizSpec;
  items: ClassItem[];
  testItems: ClassItem[];
  createdAt: number;
  expiresAt: number;
  closedAt: number | null;
  /** When the teacher opened the post-test; null until then. */
  postOpenedAt: number | null;
}

export interface ClassStudent {
  id: number;
  sessionId: number;
  nickname: string;
  joinedAt: number;
}

export interface ClassAnswer {
  studentId: number;
  phase: Phase;
  /** Index of the item in its phase's list. */
  index: number;
  questionId: string;
  fraudType: FraudTypeId;
  chosen: number;
  correct: boolean;
  at: number;
}
