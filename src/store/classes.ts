/**
 * Class sessions in SQLite (tables from migration 3). Join codes are unique for ever
 * (class_codes is never emptied); report links are random tokens of which only the sha256
 * is stored; one answer per (student, phase, question) is enforced by the primary key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { generateJoinCode } from '../classes/codes.js';
import { nicknameKey } from '../classes/nickname.js';
import { emptyAnswered, finishedMain, type Answered } from '../classes/session.js';
import type { Audience, ClassAnswer, ClassItem, ClassSession, ClassStudent, Phase, QuizSpec } from '../classes/types.js';
import type { FraudTypeId } from '../content/schema.js';
import type { Db, Store } from './types.js';

/** 32 random bytes, base64url: 43 characters. */
export const REPORT_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function newReportToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashReportToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface SessionRow {
  id: number;
  code: string;
  teacher_key: string;
  audience: Audience;
  spec: string;
  items: string;
  test_items: string;
  created_at: number;
  expires_at: number;
  closed_at: number | null;
  post_opened_at: number | null;
}
interface StudentRow {
  id: number;
  session_id: number;
  nickname: string;
  joined_at: number;
}
interface AnswerRow {
  student_id: number;
  phase: Phase;
  q_index: number;
  question_id: string;
  fraud_type: FraudTypeId;
  chosen: number;
  correct: number;
  at: number;
}

function toSession(r: SessionRow): ClassSession {
  return {
    id: r.id,
    code: r.code,
    teacherKey: r.teacher_key,
    audience: r.audience,
    spec: JSON.parse(r.spec) as QuizSpec,
    items: JSON.parse(r.items) as ClassItem[],
    testItems: JSON.parse(r.test_items) as ClassItem[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    closedAt: r.closed_at,
    postOpenedAt: r.post_opened_at,
  };
}
const toStudent = (r: StudentRow): ClassStudent => ({ id: r.id, sessionId: r.session_id, nickname: r.nickname, joinedAt: r.joined_at });
const toAnswer = (r: AnswerRow): ClassAnswer => ({
  studentId: r.student_id,
  phase: r.phase,
  index: r.q_index,
  questionId: r.question_id,
  fraudType: r.fraud_type,
  chosen: r.chosen,
  correct: r.correct === 1,
  at: r.at,
});

export interface NewSession {
  teacherKey: string;
  spec: QuizSpec;
  items: ClassItem[];
  testItems: ClassItem[];
  now: number;
  expiresAt: number;
}

export type JoinResult = { kind: 'joined' | 'returning'; student: ClassStudent } | { kind: 'nickname-taken' };
export type AnswerWrite = 'recorded' | 'duplicate' | 'closed';

export interface ClassProgress {
  joined: number;
  /** Finished the main quiz. */
  finished: number;
  /** Took the pre-test / the post-test in full. */
  preDone: number;
  postDone: number;
}

export interface ClassRepo {
  create(s: NewSession): Promise<{ session: ClassSession; reportToken: string }>;
  byId(id: number): Promise<ClassSession | undefined>;
  byCode(code: string): Promise<ClassSession | undefined>;
  /** The session a report token opens; undefined for any malformed or unknown token. */
  byReportToken(token: string): Promise<ClassSession | undefined>;
  /** The teacher's newest session that is neither closed nor expired. */
  latestOpen(teacherKey: string, now: number): Promise<ClassSession | undefined>;
  /** The teacher's newest session of any state. */
  latest(teacherKey: string): Promise<ClassSession | undefined>;
  close(id: number, teacherKey: string, now: number): Promise<boolean>;
  openPost(id: number, teacherKey: string, now: number): Promise<boolean>;
  /** A new report link; the old one stops working. */
  rotateReportToken(id: number, teacherKey: string): Promise<string | undefined>;
  /** Join with a nickname, or come back as the same student (same user, same session). */
  join(sessionId: number, userKey: string, nickname: string, now: number): Promise<JoinResult>;
  student(sessionId: number, userKey: string): Promise<ClassStudent | undefined>;
  /** The user's most recent place in a class that is still open. */
  latestStudent(userKey: string, now: number): Promise<ClassStudent | undefined>;
  answered(studentId: number): Promise<Answered>;
  answersOf(studentId: number): Promise<ClassAnswer[]>;
  /** Store one answer if the session is still open and the item not yet answered. */
  answer(sessionId: number, a: ClassAnswer, now: number): Promise<AnswerWrite>;
  progress(sessionId: number): Promise<ClassProgress>;
  reportData(sessionId: number): Promise<{ students: ClassStudent[]; answers: ClassAnswer[] }>;
}

const MAX_CODE_TRIES = 20;

export function createClassRepo(store: Store, opts: { newCode?: () => string } = {}): ClassRepo {
  const newCode = opts.newCode ?? (() => generateJoinCode());
  const ensureUser = (db: Db, userKey: string, now: number) => store.ensureUser(db, userKey, now);

  const repo: ClassRepo = {
    async create(s) {
      const reportToken = newReportToken();
      const id = await store.transaction(async (db) => {
        await ensureUser(db, s.teacherKey, s.now);
        let code: string | undefined;
        for (let i = 0; i < MAX_CODE_TRIES && !code; i++) {
          const candidate = newCode();
          const r = await db.run('INSERT INTO class_codes (code, issued_at) VALUES (?, ?) ON CONFLICT (code) DO NOTHING', [candidate, s.now]);
          if (r.changes === 1) code = candidate;
        }
        if (!code) throw new Error('no free join code after several tries');
        const r = await db.run(
          `INSERT INTO class_sessions (code, teacher_key, audience, spec, items, test_items, report_hash, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [code, s.teacherKey, s.spec.audience, JSON.stringify(s.spec), JSON.stringify(s.items), JSON.stringify(s.testItems), hashReportToken(reportToken), s.now, s.expiresAt],
        );
        return r.lastID;
      });
      return { session: (await repo.byId(id))!, reportToken };
    },

    async byId(id) {
      const r = await store.get<SessionRow>('SELECT * FROM class_sessions WHERE id = ?', [id]);
      return r && toSession(r);
    },
    async byCode(code) {
      const r = await store.get<SessionRow>('SELECT * FROM class_sessions WHERE code = ?', [code]);
      return r && toSession(r);
    },
    async byReportToken(token) {
      if (typeof token !== 'string' || !REPORT_TOKEN_RE.test(token)) return undefined;
      const r = await store.get<SessionRow>('SELECT * FROM class_sessions WHERE report_hash = ?', [hashReportToken(token)]);
      return r && toSession(r);
    },
    async latestOpen(teacherKey, now) {
      const r = await store.get<SessionRow>(
        'SELECT * FROM class_sessions WHERE teacher_key = ? AND closed_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT 1',
        [teacherKey, now],
      );
      return r && toSession(r);
    },
    async latest(teacherKey) {
      const r = await store.get<SessionRow>('SELECT * FROM class_sessions WHERE teacher_key = ? ORDER BY created_at DESC, id DESC LIMIT 1', [teacherKey]);
      return r && toSession(r);
    },
    async close(id, teacherKey, now) {
      const r = await store.run('UPDATE class_sessions SET closed_at = ? WHERE id = ? AND teacher_key = ? AND closed_at IS NULL', [now, id, teacherKey]);
      return r.changes === 1;
    },
    async openPost(id, teacherKey, now) {
      const r = await store.run(
        `UPDATE class_sessions SET post_opened_at = ? WHERE id = ? AND teacher_key = ? AND post_opened_at IS NULL AND closed_at IS NULL AND expires_at > ? AND test_items != '[]'`,
        [now, id, teacherKey, now],
      );
      return r.changes === 1;
    },
    async rotateReportToken(id, teacherKey) {
      const token = newReportToken();
      const r = await store.run('UPDATE class_sessions SET report_hash = ? WHERE id = ? AND teacher_key = ?', [hashReportToken(token), id, teacherKey]);
      return r.changes === 1 ? token : undefined;
    },

    async join(sessionId, userKey, nickname, now) {
      return store.transaction(async (db) => {
        const mine = await db.get<StudentRow>('SELECT * FROM class_students WHERE session_id = ? AND user_key = ?', [sessionId, userKey]);
        if (mine) return { kind: 'returning', student: toStudent(mine) } as const;
        await ensureUser(db, userKey, now);
        const r = await db.run(
          `INSERT INTO class_students (session_id, user_key, nickname, nickname_key, joined_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (session_id, nickname_key) DO NOTHING`,
          [sessionId, userKey, nickname, nicknameKey(nickname), now],
        );
        if (r.changes === 0) return { kind: 'nickname-taken' } as const;
        return { kind: 'joined', student: { id: r.lastID, sessionId, nickname, joinedAt: now } } as const;
      });
    },
    async student(sessionId, userKey) {
      const r = await store.get<StudentRow>('SELECT * FROM class_students WHERE session_id = ? AND user_key = ?', [sessionId, userKey]);
      return r && toStudent(r);
    },
    async latestStudent(userKey, now) {
      const r = await store.get<StudentRow>(
        `SELECT st.* FROM class_students st JOIN class_sessions s ON s.id = st.session_id
          WHERE st.user_key = ? AND s.closed_at IS NULL AND s.expires_at > ? ORDER BY st.joined_at DESC, st.id DESC LIMIT 1`,
        [userKey, now],
      );
      return r && toStudent(r);
    },
    async answered(studentId) {
      const rows = await store.all<{ phase: Phase; q_index: number }>('SELECT phase, q_index FROM class_answers WHERE student_id = ?', [studentId]);
      const a = emptyAnswered() as Record<Phase, Set<number>>;
      for (const r of rows) a[r.phase].add(r.q_index);
      return a;
    },
    async answersOf(studentId) {
      return (await store.all<AnswerRow>('SELECT * FROM class_answers WHERE student_id = ? ORDER BY at', [studentId])).map(toAnswer);
    },
    async answer(sessionId, a, now) {
      return store.transaction(async (db) => {
        const s = await db.get<{ closed_at: number | null; expires_at: number }>('SELECT closed_at, expires_at FROM class_sessions WHERE id = ?', [sessionId]);
        if (!s || s.closed_at !== null || now >= s.expires_at) return 'closed';
        const r = await db.run(
          `INSERT INTO class_answers (student_id, phase, q_index, question_id, fraud_type, chosen, correct, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (student_id, phase, q_index) DO NOTHING`,
          [a.studentId, a.phase, a.index, a.questionId, a.fraudType, a.chosen, a.correct ? 1 : 0, a.at],
        );
        return r.changes === 1 ? 'recorded' : 'duplicate';
      });
    },
    async progress(sessionId) {
      const session = await repo.byId(sessionId);
      if (!session) return { joined: 0, finished: 0, preDone: 0, postDone: 0 };
      const rows = await store.all<{ id: number; main: number; pre: number; post: number }>(
        `SELECT s.id,
                COALESCE(SUM(a.phase = 'main'), 0) AS main,
                COALESCE(SUM(a.phase = 'pre'), 0)  AS pre,
                COALESCE(SUM(a.phase = 'post'), 0) AS post
           FROM class_students s LEFT JOIN class_answers a ON a.student_id = s.id
          WHERE s.session_id = ? GROUP BY s.id`,
        [sessionId],
      );
      const t = session.testItems.length;
      const fake = (n: number) => ({ size: n }) as ReadonlySet<number>;
      return {
        joined: rows.length,
        finished: rows.filter((r) => finishedMain(session, { pre: fake(r.pre), main: fake(r.main), post: fake(r.post) })).length,
        preDone: t ? rows.filter((r) => r.pre >= t).length : 0,
        postDone: t ? rows.filter((r) => r.post >= t).length : 0,
      };
    },
    async reportData(sessionId) {
      const students = (await store.all<StudentRow>('SELECT * FROM class_students WHERE session_id = ? ORDER BY joined_at, id', [sessionId])).map(toStudent);
      const answers = (
        await store.all<AnswerRow>(
          `SELECT a.* FROM class_answers a JOIN class_students s ON s.id = a.student_id WHERE s.session_id = ? ORDER BY a.at`,
          [sessionId],
        )
      ).map(toAnswer);
      return { students, answers };
    },
  };
  return repo;
}
