/**
 * Read-only queries for the staff dashboard: anonymous triage counts, quiz results by
 * audience group and fraud type, scenarios most failed, class results, and the queue of
 * redacted messages residents agreed to share. Nothing returned identifies a user.
 */
import type { Store } from './types.js';

export const DAY_MS = 86_400_000;
/** Days are counted in China time (UTC+8). */
const CN_OFFSET_MS = 8 * 3_600_000;

export const dayOf = (at: number) => Math.floor((at + CN_OFFSET_MS) / DAY_MS);
export const dayLabel = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export interface TriageDayRow {
  day: number;
  verdict: 'high-risk' | 'suspicious' | 'low-risk';
  n: number;
}
export interface TriageTypeRow {
  fraudType: string | null;
  verdict: 'high-risk' | 'suspicious' | 'low-risk';
  n: number;
}
export interface QuizRow {
  group: string | null;
  fraudType: string;
  n: number;
  correct: number;
}
export interface ClassRow {
  audience: string;
  fraudType: string;
  n: number;
  correct: number;
}
export interface ScenarioRow {
  itemId: string;
  attempts: number;
  failed: number;
}
export interface SharedRow {
  id: number;
  at: number;
  text: string;
  verdict: string;
  fraudType: string | null;
  status: 'new' | 'used' | 'dismissed';
}
export const SHARED_STATUSES = ['new', 'used', 'dismissed'] as const;

export interface DashboardRepo {
  triageByDay(since: number): Promise<TriageDayRow[]>;
  triageByType(since: number): Promise<TriageTypeRow[]>;
  quizByGroupAndType(since: number): Promise<QuizRow[]>;
  classesByAudienceAndType(since: number): Promise<ClassRow[]>;
  scenariosMostFailed(since: number, limit?: number): Promise<ScenarioRow[]>;
  shared(status: SharedRow['status'], limit?: number): Promise<SharedRow[]>;
  sharedCounts(): Promise<Record<SharedRow['status'], number>>;
  setSharedStatus(id: number, status: SharedRow['status']): Promise<boolean>;
}

export function createDashboardRepo(store: Store): DashboardRepo {
  return {
    triageByDay(since) {
      return store.all<TriageDayRow>(
        `SELECT (at + ${CN_OFFSET_MS}) / ${DAY_MS} AS day, verdict, COUNT(*) AS n FROM triage_events WHERE at >= ? GROUP BY day, verdict ORDER BY day`,
        [since],
      );
    },
    triageByType(since) {
      return store.all<TriageTypeRow>(
        'SELECT fraud_type AS fraudType, verdict, COUNT(*) AS n FROM triage_events WHERE at >= ? GROUP BY fraud_type, verdict',
        [since],
      );
    },
    quizByGroupAndType(since) {
      return store.all<QuizRow>(
        `SELECT u.grp AS "group", a.fraud_type AS fraudType, COUNT(*) AS n, SUM(a.correct) AS correct
           FROM answers a JOIN users u ON u.user_key = a.user_key
          WHERE a.kind = 'question' AND a.at >= ? GROUP BY u.grp, a.fraud_type`,
        [since],
      );
    },
    classesByAudienceAndType(since) {
      return store.all<ClassRow>(
        `SELECT s.audience AS audience, a.fraud_type AS fraudType, COUNT(*) AS n, SUM(a.correct) AS correct
           FROM class_answers a JOIN class_students st ON st.id = a.student_id JOIN class_sessions s ON s.id = st.session_id
          WHERE a.phase = 'main' AND a.at >= ? GROUP BY s.audience, a.fraud_type`,
        [since],
      );
    },
    scenariosMostFailed(since, limit = 10) {
      return store.all<ScenarioRow>(
        `SELECT item_id AS itemId, COUNT(*) AS attempts, COUNT(*) - SUM(correct) AS failed
           FROM answers WHERE kind = 'scenario' AND at >= ? GROUP BY item_id
          ORDER BY CAST(COUNT(*) - SUM(correct) AS REAL) / COUNT(*) DESC, failed DESC, item_id LIMIT ?`,
        [since, limit],
      );
    },
    shared(status, limit = 200) {
      return store.all<SharedRow>(
        'SELECT id, at, text, verdict, fraud_type AS fraudType, status FROM shared_messages WHERE status = ? ORDER BY at DESC, id DESC LIMIT ?',
        [status, limit],
      );
    },
    async sharedCounts() {
      const rows = await store.all<{ status: SharedRow['status']; n: number }>('SELECT status, COUNT(*) AS n FROM shared_messages GROUP BY status');
      const out = { new: 0, used: 0, dismissed: 0 };
      for (const r of rows) out[r.status] = r.n;
      return out;
    },
    async setSharedStatus(id, status) {
      const r = await store.run('UPDATE shared_messages SET status = ? WHERE id = ?', [status, id]);
      return r.changes === 1;
    },
  };
}
