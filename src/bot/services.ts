/**
 * What the conversation needs from the rest of the system, passed in from src/index.ts.
 * Content and triage are getters because staff can reload content while the bot runs.
 */
import type { Content } from '../content/load.js';
import type { FraudTypeId } from '../content/schema.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { Triage, Verdict } from '../triage/types.js';

/** Anonymous usage events for the staff dashboard: no text, no user key. */
export interface TriageEvent {
  at: number;
  verdict: Verdict;
  fraudType: FraudTypeId | null;
  group: string | null;
}

/** A redacted message a resident agreed to share with staff. */
export interface SharedMessage {
  at: number;
  text: string;
  verdict: Verdict;
  fraudType: FraudTypeId | null;
}

export interface Insights {
  recordTriage(e: TriageEvent): Promise<void>;
  shareMessage(m: SharedMessage): Promise<void>;
}

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
