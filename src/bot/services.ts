/**
 * What the conversation needs from the rest of the system, passed in from src/index.ts.
 * Content and triage are getters because staff can reload content while the bot runs.
 */
import type { Content } from '../content/load.js';
import type { Logger } from '../log.js';
import type { Insights, Store } from '../store/types.js';

export type { Insights, SharedMessage, TriageEvent } from '../store/types.js';
import type { Triage } from '../triage/types.js';

/** Class sessions (issue 7) plug in here; the bot routes "加入 CODE" and "开设课堂" to it. */
export interface ClassPort {
  handle(input: ClassInput): Promise<ClassOutput | undefined>;
}
export interface ClassInput {
  userKey: string;
  text: string;
  value: unknown;
  /** Plain JSON the class flow keeps between turns. */
  state: unknown;
  now: number;
}
export interface ClassOutput {
  replies: import('./replies.js').TurnReplies;
  state: unknown;
}

export interface BotServices {
  content(): Content;
  triage(): Triage;
  store: Store;
  insights: Insights;
  classes?: ClassPort;
  now(): number;
  log: Logger;
}
