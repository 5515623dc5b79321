/**
 * What the bot remembers between turns. Plain JSON kept under botbuilder ConversationState /
 * UserState keys (turn-state.ts) in the store's botbuilder Storage, which lives in SQLite
 * (keys hashed), so a restart mid-scenario continues where the user was.
 */
import type { FraudTypeId } from '../content/schema.js';
import type { PlayState } from '../learning/types.js';
import type { TriageResult, Verdict } from '../triage/types.js';
import type { Button } from './replies.js';

/** The part of a triage result kept while follow-up questions are asked. */
export type KeptTriage = Omit<TriageResult, 'scores'> & { scores: TriageResult['scores'] };

export interface ConvState {
  /** What the next plain text means. */
  mode?: 'group' | 'followup' | 'share' | 'scenario' | 'quiz' | 'delete' | 'types' | 'triage' | 'class';
  /** Buttons offered last turn, so "1", "2" … and typed button titles pick them. */
  options?: Button[];
  /** Quiz question waiting for an answer. */
  quiz?: { id: string; version: number };
  /** Follow-up questions after an uncertain verdict. */
  followup?: { result: KeptTriage; queue: { id: string; ask: string }[]; answers: Record<string, boolean> };
  /** Last verdict, for "转发给家人" and consent to share. */
  last?: { text: string; verdict: Verdict; fraudType: FraudTypeId | null; shareText: string; scenarioId: string | null };
  /** State owned by the class-session flow. */
  classState?: unknown;
}

/** Per user, across conversations (a web page reload starts a new conversation). */
export interface UserData {
  welcomed?: boolean;
  /** Scenario in progress, kept when the user leaves, for "继续上次". */
  play?: PlayState;
}
