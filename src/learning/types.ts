/**
 * The learning contract: scenario play, quiz answers, mastery and recommendation.
 * Pure data and functions; the bot stores these values and the store persists them.
 */
import type { FraudTypeId } from '../content/schema.js';

/** Where a user is in a scenario. Plain JSON: the bot keeps it in conversation state. */
export interface PlayState {
  scenarioId: string;
  version: number;
  nodeId: string;
  /** Choices made so far: node id and choice index, and whether the choice was safe. */
  steps: { nodeId: string; choice: number; safe: boolean }[];
  startedAt: number;
}

export type ItemKind = 'scenario' | 'question';

/** One answered item, as stored: what, which version, how it went, when. */
export interface AnswerRecord {
  kind: ItemKind;
  itemId: string;
  version: number;
  fraudType: FraudTypeId;
  /** Question answered right, or scenario ended with the scam avoided. */
  correct: boolean;
  /** Epoch milliseconds. */
  at: number;
}

export interface TypeMastery {
  fraudType: FraudTypeId;
  attempts: number;
  correct: number;
  /** 0..1 */
  score: number;
  mastered: boolean;
}

/** Leitner box of one item, derived from its answer history. */
export interface ReviewItem {
  kind: ItemKind;
  itemId: string;
  box: number;
  /** Epoch ms when the item is due again. */
  due: number;
}

export interface Recommendation {
  kind: ItemKind;
  itemId: string;
  fraudType: FraudTypeId;
  /** Why this one (Chinese, short), e.g. "该复习了" or "你的人群常见". */
  reason: string;
  score: number;
}
