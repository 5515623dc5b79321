/**
 * Anonymous insights for campaign staff: which verdicts and fraud types residents meet, and
 * the redacted messages they agreed to share. Nothing here can be linked back to a user.
 *
 * Triage events are counters, not anyone's progress, so they are buffered and written in one
 * group every second (and on close) instead of adding a durable commit to every reply. A
 * crash can lose at most the last second of counts. Shared messages are written at once:
 * the resident just agreed to give them.
 */
import type { Logger } from '../log.js';
import type { Insights, SharedMessage, Store, TriageEvent } from './types.js';

/** Longest shared text kept (it is already redacted and capped by triage). */
const MAX_SHARED_CHARS = 5_000;
const FLUSH_MS = 1_000;
/** Flush early when this many events are waiting. */
const MAX_BUFFERED = 500;

export interface BufferedInsights extends Insights {
  /** Write buffered events now (tests, dashboards that need exact counts, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createInsights(store: Store, log?: Logger): BufferedInsights {
  let buffer: TriageEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(() =>
        store.transaction(async (db) => {
          for (const e of batch) await db.run('INSERT INTO triage_events (at, verdict, fraud_type, grp) VALUES (?, ?, ?, ?)', [e.at, e.verdict, e.fraudType, e.group]);
        }),
      )
      .catch((err) => log?.warn({ err: { message: (err as Error).message }, events: batch.length }, 'could not save triage counts'));
    return writing;
  };

  return {
    async recordTriage(e: TriageEvent) {
      buffer.push(e);
      if (buffer.length >= MAX_BUFFERED) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), FLUSH_MS).unref();
    },
    async shareMessage(m: SharedMessage) {
      await store.run('INSERT INTO shared_messages (at, text, verdict, fraud_type) VALUES (?, ?, ?, ?)', [m.at, m.text.slice(0, MAX_SHARED_CHARS), m.verdict, m.fraudType]);
    },
    flush,
    close: flush,
  };
}
