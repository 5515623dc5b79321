/**
 * Versioned schema steps, applied in order on start, each in its own transaction, recorded
 * in `schema_version`. To change the schema, APPEND a migration with the next version; never
 * edit or reorder a published one (databases in the field have already run it).
 *
 * Tables holding data about a user must reference `users(user_key) ON DELETE CASCADE`
 * (foreign keys are on), so `deleteUser` removes their rows too.
 */
import { StoreError } from './errors.js';
import type { Db, Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, answers, bot state',
    up: `
      CREATE TABLE users (
        user_key   TEXT PRIMARY KEY,            -- HMAC of channel + user id; never the raw id
        grp        TEXT,                        -- audience group id, NULL until chosen
        locale     TEXT NOT NULL DEFAULT 'zh-CN',
        created_at INTEGER NOT NULL,            -- epoch ms
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE answers (
        id         INTEGER PRIMARY KEY,
        user_key   TEXT NOT NULL REFERENCES users(user_key) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('scenario', 'question')),
        item_id    TEXT NOT NULL,
        version    INTEGER NOT NULL CHECK (version >= 1),
        fraud_type TEXT NOT NULL,
        correct    INTEGER NOT NULL CHECK (correct IN (0, 1)),
        at         INTEGER NOT NULL
      );
      -- One row per (user, item, moment): a retried turn does not double-count.
      CREATE UNIQUE INDEX answers_once ON answers (user_key, kind, item_id, at);
      CREATE INDEX answers_by_user_time ON answers (user_key, at);
      -- botbuilder Storage (conversation and user state). Keys are hashed: botbuilder keys contain raw ids.
      CREATE TABLE bot_state (
        key_hash   TEXT PRIMARY KEY,
        owner      TEXT,                        -- user key when the botbuilder key names a user
        etag       TEXT NOT NULL,
        value      TEXT NOT NULL,               -- JSON
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX bot_state_owner ON bot_state (owner) WHERE owner IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: 'anonymous insights for staff',
    up: `
      -- One row per triage: no text, no user key. Feeds the staff dashboard.
      CREATE TABLE triage_events (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        verdict    TEXT NOT NULL CHECK (verdict IN ('high-risk', 'suspicious', 'low-risk')),
        fraud_type TEXT,
        grp        TEXT
      );
      CREATE INDEX triage_events_at ON triage_events (at);
      -- Redacted messages residents explicitly agreed to share; not linked to any user.
      CREATE TABLE shared_messages (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        text       TEXT NOT NULL,
        verdict    TEXT NOT NULL,
        fraud_type TEXT,
        status     TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'used', 'dismissed'))
      );
      CREATE INDEX shared_messages_at ON shared_messages (at);
    `,
  },
  {
    version: 3,
    name: 'class quiz sessions',
    up: `
      -- Every join code ever issued. Never deleted, so a code is never given out twice,
      -- even after its session (and its teacher's data) is gone.
      CREATE TABLE class_codes (
        code       TEXT PRIMARY KEY,
        issued_at  INTEGER NOT NULL
      );
      CREATE TABLE class_sessions (
        id             INTEGER PRIMARY KEY,
        code           TEXT NOT NULL UNIQUE REFERENCES class_codes(code),
        teacher_key    TEXT NOT NULL REFERENCES users(user_key) ON DELETE CASCADE,
        audience       TEXT NOT NULL CHECK (audience IN ('primary', 'middle', 'university')),
        spec           TEXT NOT NULL,             -- JSON: what the teacher picked
        items          TEXT NOT NULL,             -- JSON: the main quiz, frozen at creation
        test_items     TEXT NOT NULL,             -- JSON: pre/post test items ([] when none)
        report_hash    TEXT NOT NULL UNIQUE,      -- sha256 of the report link token; the token is never stored
        created_at     INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        closed_at      INTEGER,
        post_opened_at INTEGER
      );
      CREATE INDEX class_sessions_teacher ON class_sessions (teacher_key, created_at);
      -- Students by nickname only; never a real name.
      CREATE TABLE class_students (
        id           INTEGER PRIMARY KEY,
        session_id   INTEGER NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
        user_key     TEXT NOT NULL REFERENCES users(user_key) ON DELETE CASCADE,
        nickname     TEXT NOT NULL,
        nickname_key TEXT NOT NULL,               -- folded for "already taken in this class"
        joined_at    INTEGER NOT NULL,
        UNIQUE (session_id, user_key),
        UNIQUE (session_id, nickname_key)
      );
      CREATE INDEX class_students_user ON class_students (user_key);
      -- One attempt per question per student: the primary key refuses a second answer.
      CREATE TABLE class_answers (
        student_id  INTEGER NOT NULL REFERENCES class_students(id) ON DELETE CASCADE,
        phase       TEXT NOT NULL CHECK (phase IN ('pre', 'main', 'post')),
        q_index     INTEGER NOT NULL CHECK (q_index >= 0),
        question_id TEXT NOT NULL,
        fraud_type  TEXT NOT NULL,
        chosen      INTEGER NOT NULL,
        correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
        at          INTEGER NOT NULL,
        PRIMARY KEY (student_id, phase, q_index)
      ) WITHOUT ROWID;
    `,
  },
];

/** Versions must run 1, 2, 3 … with no gaps or repeats. */
export function checkMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError('migration-failed', `迁移列表有误：第 ${i + 1} 个迁移的版本号是 ${m.version}，应为 ${i + 1}（只能在末尾追加）`);
    }
  });
}

export const SCHEMA_VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`;

export async function currentVersion(db: Db): Promise<number> {
  const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
  return row?.v ?? 0;
}
