/** Learning: scenario play, quizzes, mastery, review, recommendation, certificate. Pure: no I/O. */
export type { AnswerRecord, ItemKind, PlayState, Recommendation, ReviewItem, TypeMastery } from './types.js';
export { learningContent, itemKey, DAY_MS, type LearningContent } from './content.js';
export {
  SPEAKER_NAMES,
  applyChoice,
  isPlayState,
  parseChoice,
  resumeScenario,
  startScenario,
  type BubbleView,
  type ChoiceFeedback,
  type ChoiceResult,
  type ChoiceView,
  type EndingView,
  type NodeView,
  type PlaySummary,
  type ResumeResult,
  type ScenarioIntro,
  type StaleReason,
  type StartResult,
} from './engine.js';
export {
  SCAM_OR_NOT_OPTIONS,
  answerQuestion,
  correctIndex,
  parseQuizAnswer,
  presentQuestion,
  questionView,
  type AnswerResult,
  type QuestionView,
} from './quiz.js';
export { MASTERY_RULE, TypeTally, chronological, masteryByType, masteryHint, masteryOf, type TypeProgress } from './mastery.js';
export { MAX_BOX, REVIEW_INTERVAL_DAYS, dueReviews, itemHistories, reviewSchedule, type ItemHistory, type ScheduledItem } from './review.js';
export { FALLBACK_GROUP, RECENT_COOLDOWN_MS, nextRecommendation, recommend, type RecommendInput } from './recommend.js';
export { CERTIFICATE_TIME_ZONE, certificate, chinaDate, type Certificate } from './certificate.js';
export { progressSummary, type ProgressSummary } from './progress.js';
