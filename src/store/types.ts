/**
 * The public contract of the progress store. The bot, the CLI and the class-session code
 * build on these types; keep them stable (add, never rename).
 */
import type { Storage } from 'botbuilder';
import type { FraudTypeId } from '../content/schema.js';
import type { AnswerRecord } from '../learning/types.js';
import type { Verdict } from '../triage/types.js';

/** Result of a write statement. */
export interface RunResult {
  changes: number;
  lastID: number;
}

/** Plain SQL access: used inside `transaction(fn)` and by repositories other modules add. */
export interface Db {
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** One versioned schema step. Append new ones at the end of MIGRATIONS; never edit a published one. */
export interface Migration {
  /** 1, 2, 3 … with no gaps. */
  version: number;
  name: string;
  /** SQL text, or a function for steps that need logic. Runs inside a transaction. */
  up: string | ((db: Db) => Promise<void>);
}

/** What we remember about a user (keyed by the HMAC of channel and user id, never the raw id). */
export interface Profile {
  userKey: string;
  /** Audience group id from groups.yaml, or null when the user has not said. */
  group: string | null;
  /** BCP 47 tag, e.g. "zh-CN". */
  locale: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

export interface ProfilePatch {
  group?: string | null;
  locale?: string;
}

export interface OpenStoreOptions {
  /** Folder for the database (created when missing). */
  dataDir: string;
  /** Secret for user-key hashing, at least 16 characters (see resolveSecret). */
  secret: string;
  /** Database file; default `<dataDir>/fanzha.db`. Relative paths are relative to dataDir. */
  file?: string;
  /** How long to wait for another process's lock before giving up; default 5000 ms. */
  busyTimeoutMs?: number;
  /** Schema steps; default MIGRATIONS (tests pass their own). */
  migrations?: readonly Migration[];
  /** Run `PRAGMA quick_check` on start (default true): finds a damaged file at start-up, not mid-conversation. */
  check?: boolean;
}

export interface DeleteUserOptions {
  /**
   * botbuilder storage keys that belong to this user but cannot be derived from the user key,
   * e.g. the conversation-state key of their one-to-one chat. User-state and private
   * conversation-state keys (`…/users/<id>`) are found automatically.
   */
  storageKeys?: string[];
}

export interface DeleteUserResult {
  /** Rows removed per table. */
  removed: Record<string, number>;
}

export interface Store {
  /** Absolute path of the database file. */
  readonly file: string;
  /** HMAC-SHA256(secret, channelId + '\u0000' + userId), hex. The only form a user id is stored in. */
  userKey(channelId: string, userId: string): string;

  getProfile(userKey: string): Promise<Profile | undefined>;
  /** Create or update; returns the stored profile. */
  saveProfile(userKey: string, patch?: ProfilePatch): Promise<Profile>;

  /**
   * Durably record one answer (committed when the promise resolves). Concurrent calls are
   * group-committed in one transaction. Idempotent: the same (user, kind, item, at) is stored once,
   * so a retried turn does not double-count.
   */
  recordAnswer(userKey: string, record: AnswerRecord): Promise<void>;
  /** The user's answers, oldest first. */
  answers(userKey: string, opts?: { since?: number; limit?: number }): Promise<AnswerRecord[]>;

  /** Remove everything about the user: profile, answers, their bot state. */
  deleteUser(userKey: string, opts?: DeleteUserOptions): Promise<DeleteUserResult>;

  /** botbuilder Storage for conversation and user state, persisted in the same file. */
  readonly storage: Storage;

  /**
   * Inside a transaction or write: make sure the user has a users row (tables of other
   * repositories reference it). Use this, not raw SQL, so the store's profile cache stays true.
   */
  ensureUser(db: Db, userKey: string, now: number): Promise<RunResult>;

  /** Run `fn` in one BEGIN IMMEDIATE … COMMIT; nothing else runs on the connection meanwhile. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Queued single statements (for repositories other modules add). `run` is a durable write,
   * group-committed with concurrent writes. Rows of the users table are written only through
   * the methods above.
   */
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;

  /** Highest applied migration. */
  schemaVersion(): Promise<number>;
  /** `PRAGMA integrity_check`: "ok" or the problems found. */
  integrityCheck(): Promise<string>;
  /** Flush pending writes and close; later calls fail with StoreError("closed"). */
  close(): Promise<void>;
}

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
