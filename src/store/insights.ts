/**
 * Anonymous insights for campaign staff: which verdicts and fraud types residents meet, and
 * the redacted messages they agreed to share. Nothing here can be linked back to a user.
 */
import type { Insights, SharedMessage, TriageEvent } from '../bot/services.js';
import type { Store } from './types.js';

/** Longest shared text kept (it is already redacted and capped by triage). */
const MAX_SHARED_CHARS = 5_000;

export function createInsights(store: Store): Insights {
  return {
    async recordTriage(e: TriageEvent) {
      await store.run('INSERT INTO triage_events (at, verdict, fraud_type, grp) VALUES (?, ?, ?, ?)', [e.at, e.verdict, e.fraudType, e.group]);
    },
    async shareMessage(m: SharedMessage) {
      await store.run('INSERT INTO shared_messages (at, text, verdict, fraud_type) VALUES (?, ?, ?, ?)', [m.at, m.text.slice(0, MAX_SHARED_CHARS), m.verdict, m.fraudType]);
    },
  };
}
