/**
 * One SQLite connection with a promise queue. Every job runs alone on the connection, so
 * concurrent turns never interleave statements of different transactions. Writes that
 * arrive while a commit is in flight are group-committed: one BEGIN … COMMIT (one fsync)
 * for the whole batch, its writes running side by side; if one of them fails, the batch is
 * replayed one transaction per write so only that write fails. A write's promise resolves
 * only after its COMMIT returned.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import { StoreError, toStoreError } from './errors.js';
import type { Db, RunResult } from './types.js';

interface TxScope {
  active: boolean;
}

interface PendingWrite {
  fn: (db: Db) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Distinct statements kept prepared. */
const MAX_PREPARED = 200;

export class Connection {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly scope = new AsyncLocalStorage<TxScope>();
  private pending: PendingWrite[] = [];
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();
  private flushQueued = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  /** Statements run on the connection directly (the caller holds the queue). */
  readonly direct: Db;
  /** Commits so far (for the benchmark's group-commit figure). */
  commits = 0;

  private constructor(
    private readonly raw: sqlite3.Database,
    readonly file: string,
  ) {
    this.direct = {
      run: (sql, params) => this.rawRun(sql, params),
      get: (sql, params) => this.rawGet(sql, params),
      all: (sql, params) => this.rawAll(sql, params),
      exec: (sql) => this.rawExec(sql),
    };
  }

  static open(file: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const raw: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) => {
        if (err) reject(toStoreError(err, file, '打开数据库'));
        else resolve(new Connection(raw, file));
      });
    });
  }

  // ------------------------------------------------------------------ raw statements
  private async rawRun(sql: string, params: unknown[] = []): Promise<RunResult> {
    // Statements are prepared once and reused: preparing costs as much as running a small insert.
    // Past MAX_PREPARED distinct statements the rest run unprepared, so nothing is finalized
    // while writes running side by side may still use it (the code has far fewer statements).
    let stmt = this.statements.get(sql);
    if (!stmt && this.statements.size < MAX_PREPARED) {
      // The promise is cached, so writes running side by side prepare a statement once.
      stmt = new Promise<sqlite3.Statement>((resolve, reject) => {
        const st: sqlite3.Statement = this.raw.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(st)));
      });
      this.statements.set(sql, stmt);
      stmt.catch(() => this.statements.delete(sql));
    }
    const prepared = stmt ? await stmt : undefined;
    return new Promise((resolve, reject) => {
      const done = function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastID: this.lastID });
      };
      if (prepared) prepared.run(params, done);
      else this.raw.run(sql, params, done);
    });
  }

  private async finalizeStatements(): Promise<void> {
    const all = [...this.statements.values()];
    this.statements.clear();
    await Promise.all(all.map((st) => st.then((s) => new Promise<void>((resolve) => s.finalize(() => resolve())), () => undefined)));
  }
  private rawGet<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.raw.get(sql, params, (err: Error | null, row: T) => (err ? reject(err) : resolve(row ?? undefined)));
    });
  }
  private rawAll<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.raw.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }
  private rawExec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  // ------------------------------------------------------------------ the queue
  /** Run `fn` when every earlier job has finished; nothing else runs until it settles. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new StoreError('closed', '数据库已经关闭'));
    const job = this.tail.then(fn);
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** True inside the function of an open transaction (or a group-commit write). */
  inTransaction(): boolean {
    return this.scope.getStore()?.active === true;
  }

  /** One statement, queued (or directly, when already inside a transaction on this connection). */
  query<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const job = this.inTransaction() ? fn(this.direct) : this.exclusive(() => fn(this.direct));
    return job.catch((e) => Promise.reject(this.mapError(e)));
  }

  /** BEGIN IMMEDIATE … COMMIT around `fn`; a transaction inside a transaction joins the outer one. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn(this.direct);
    return this.exclusive(async () => {
      const tx: TxScope = { active: true };
      try {
        await this.rawExec('BEGIN IMMEDIATE');
      } catch (err) {
        tx.active = false;
        throw toStoreError(err, this.file, '开始事务');
      }
      try {
        const result = await this.scope.run(tx, () => fn(this.direct));
        await this.rawExec('COMMIT').catch((e) => Promise.reject(toStoreError(e, this.file, '提交事务')));
        this.commits++;
        return result;
      } catch (err) {
        await this.rawExec('ROLLBACK').catch(() => undefined);
        throw this.mapError(err);
      } finally {
        tx.active = false;
      }
    });
  }

  /**
   * A small write that must be durable when the promise resolves. Writes queued while an
   * earlier job runs share one transaction (group commit).
   */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn(this.direct);
    if (this.closing) return Promise.reject(new StoreError('closed', '数据库已经关闭'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.exclusive(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushQueued = false;
    if (batch.length === 0) return;
    // Optimistic: the whole batch in one transaction. Should one write fail (an eTag conflict,
    // a constraint), roll back and run each write in its own transaction, so only that one fails.
    const values: unknown[] = [];
    let failed = false;
    const tx: TxScope = { active: true };
    try {
      await this.rawExec('BEGIN IMMEDIATE');
      // All writes of the batch start at once, so their statements reach the driver together
      // instead of each waiting for a turn of the busy event loop. They run in no set order:
      // writes of one batch must not depend on each other (SqliteStorage never puts two
      // writes of one key in a batch). allSettled: every statement has finished before a
      // ROLLBACK is issued.
      const settled = await Promise.allSettled(batch.map((w) => this.scope.run(tx, () => w.fn(this.direct))));
      const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected) {
        if (batch.length === 1) throw rejected.reason;
        failed = true;
      } else for (const r of settled) values.push((r as PromiseFulfilledResult<unknown>).value);
      tx.active = false;
      if (failed) await this.rawExec('ROLLBACK');
      else {
        await this.rawExec('COMMIT');
        this.commits++;
      }
    } catch (err) {
      tx.active = false;
      await this.rawExec('ROLLBACK').catch(() => undefined);
      const e = this.mapError(err);
      for (const w of batch) w.reject(e);
      return;
    }
    if (!failed) {
      batch.forEach((w, i) => w.resolve(values[i]));
      return;
    }
    for (const w of batch) {
      const one: TxScope = { active: true };
      try {
        await this.rawExec('BEGIN IMMEDIATE');
        const value = await this.scope.run(one, () => w.fn(this.direct));
        one.active = false;
        await this.rawExec('COMMIT');
        this.commits++;
        w.resolve(value);
      } catch (err) {
        one.active = false;
        await this.rawExec('ROLLBACK').catch(() => undefined);
        w.reject(this.mapError(err));
      }
    }
  }

  /** SQLite errors become StoreErrors; a write's own typed errors (e.g. an eTag conflict) pass through. */
  private mapError(err: unknown, during = '访问数据库'): unknown {
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === 'string' && code.startsWith('SQLITE_') ? toStoreError(err, this.file, during) : err;
  }

  /** Wait for queued work, then close the connection (checkpoints the WAL). */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    // Let pending writes flush before refusing new work.
    await this.exclusive(async () => undefined);
    this.closing = true;
    await this.tail;
    await this.finalizeStatements();
    await new Promise<void>((resolve, reject) => this.raw.close((err) => (err ? reject(toStoreError(err, this.file, '关闭数据库')) : resolve())));
  }

  /** Close without waiting (after a failed start-up). */
  abort(): void {
    this.closing = true;
    void this.finalizeStatements().then(() => this.raw.close(() => undefined));
  }
}
