/** Everything a "我的进度" answer needs, in one call. */
import { certificate, type Certificate } from './certificate.js';
import type { LearningContent } from './content.js';
import { masteryByType, type TypeProgress } from './mastery.js';
import { nextRecommendation } from './recommend.js';
import { dueReviews, type ScheduledItem } from './review.js';
import type { AnswerRecord, Recommendation } from './types.js';

export interface ProgressSummary {
  /** All 13 types, in FRAUD_TYPE_IDS order. */
  mastery: TypeProgress[];
  masteredCount: number;
  /** Reviews due now whose item still exists, missed ones first. */
  due: ScheduledItem[];
  next?: Recommendation;
  certificate?: Certificate;
  totals: { answers: number; correct: number; scenariosPlayed: number; scenariosAvoided: number; questionsAnswered: number; questionsCorrect: number };
}

export function progressSummary(
  content: LearningContent,
  input: { group?: string | null; history: readonly AnswerRecord[]; now: number },
): ProgressSummary {
  const mastery = masteryByType(input.history);
  const exists = (r: { kind: string; itemId: string }) =>
    r.kind === 'scenario' ? content.scenarioById.has(r.itemId) : content.questionById.has(r.itemId);
  const scen = input.history.filter((r) => r.kind === 'scenario');
  const ques = input.history.filter((r) => r.kind === 'question');
  const summary: ProgressSummary = {
    mastery,
    masteredCount: mastery.filter((m) => m.mastered).length,
    due: dueReviews(input.history, input.now).filter(exists),
    totals: {
      answers: input.history.length,
      correct: input.history.filter((r) => r.correct).length,
      scenariosPlayed: scen.length,
      scenariosAvoided: scen.filter((r) => r.correct).length,
      questionsAnswered: ques.length,
      questionsCorrect: ques.filter((r) => r.correct).length,
    },
  };
  const next = nextRecommendation(content, input);
  if (next) summary.next = next;
  const cert = certificate(input.history);
  if (cert) summary.certificate = cert;
  return summary;
}
