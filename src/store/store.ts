/**
 * openStore: create the data folder, open (or create) the database, check it, migrate it,
 * and hand back the Store. Every start-up fault becomes a StoreError with a Chinese message.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { FRAUD_TYPE_IDS } from '../content/schema.js';
import type { AnswerRecord, ItemKind } from '../learning/types.js';
import { BACKSTOP_PAGES, Checkpointer } from './checkpointer.js';
import { Connection } from './connection.js';
import { StoreError, toStoreError } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION_TABLE, checkMigrations, currentVersion } from './migrations.js';
import { checkSecret, KeyHasher } from './secret.js';
import { Lru } from './lru.js';
import { SqliteStorage } from './storage.js';
import type { Db, DeleteUserOptions, DeleteUserResult, Migration, OpenStoreOptions, Profile, ProfilePatch, RunResult, Store } from './types.js';

export const DEFAULT_DB_FILE = 'fanzha.db';
const SQLITE_MAGIC = 'SQLite format 3\u0000';
const USER_KEY = /^[0-9a-f]{64}$/;
const FRAUD_TYPES = new Set<string>(FRAUD_TYPE_IDS);

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  checkSecret(opts.secret, 'openStore');
  const dataDir = path.resolve(opts.dataDir);
  const file = path.resolve(dataDir, opts.file ?? DEFAULT_DB_FILE);
  preflight(file);
  const conn = await Connection.open(file);
  try {
    await configure(conn, opts.busyTimeoutMs ?? 5000);
    if (opts.check !== false) await quickCheck(conn);
    await migrate(conn, opts.migrations ?? MIGRATIONS);
  } catch (err) {
    conn.abort();
    throw toStoreError(err, file, '启动数据库');
  }
  let checkpointer: Checkpointer;
  try {
    checkpointer = await Checkpointer.open(file, () => conn.commits);
  } catch (err) {
    conn.abort();
    throw toStoreError(err, file, '启动数据库');
  }
  return new SqliteStore(conn, opts.secret, checkpointer);
}

/** File-system checks that give a clearer message than SQLite would (and respect read-only marks even for root). */
function preflight(file: string): void {
  const dir = path.dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new StoreError('cannot-open', `数据文件夹的位置上已经有一个同名的文件：${dir}。请把 DATA_DIR 指向一个文件夹。`, { cause: err });
    }
    throw toStoreError(err, dir, '创建数据文件夹');
  }
  const dirStat = statSync(dir);
  if (!dirStat.isDirectory()) throw new StoreError('cannot-open', `数据文件夹不是文件夹：${dir}`);
  const readOnly = (what: string) =>
    new StoreError(
      'read-only',
      `数据库${what}是只读的，无法写入：${what === '文件夹' ? dir : file}。请给它加上写权限，或换一个可写的 DATA_DIR（程序还需要在同一文件夹里建 -wal 和 -shm 文件）。`,
    );
  if ((dirStat.mode & 0o222) === 0) throw readOnly('文件夹');
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw readOnly('文件夹');
  }
  let st;
  try {
    st = statSync(file);
  } catch {
    return; // a new database
  }
  if (!st.isFile()) throw new StoreError('cannot-open', `数据库路径不是一个普通文件：${file}`);
  if ((st.mode & 0o222) === 0) throw readOnly('文件');
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw readOnly('文件');
  }
  if (st.size > 0) {
    const head = Buffer.alloc(16);
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      readSync(fd, head, 0, 16, 0);
    } catch (err) {
      throw toStoreError(err, file, '读取数据库文件');
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    if (head.toString('latin1') !== SQLITE_MAGIC) {
      throw toStoreError(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }), file);
    }
  }
}

async function configure(conn: Connection, busyTimeoutMs: number): Promise<void> {
  const db = conn.direct;
  await db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
  if (mode?.journal_mode?.toLowerCase() !== 'wal') {
    throw new StoreError('io', `数据库无法切换到 WAL 模式（当前是 ${mode?.journal_mode ?? '未知'}）：${conn.file}。请把 DATA_DIR 放在本机磁盘上。`);
  }
  // FULL: in WAL mode every COMMIT fsyncs the WAL, so an acknowledged answer survives a power
  // cut, not only a process crash (NORMAL may lose the last commits on power loss).
  // Group commit keeps this cheap.
  await db.exec('PRAGMA synchronous = FULL');
  // Checkpoints normally run on a second connection (checkpointer.ts); this is the backstop.
  await db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  await db.exec('PRAGMA foreign_keys = ON');
  // Deleted rows are overwritten with zeros, so "delete my data" leaves nothing readable in the file.
  await db.exec('PRAGMA secure_delete = ON');
}

async function quickCheck(conn: Connection): Promise<void> {
  const rows = await conn.direct.all<{ quick_check: string }>('PRAGMA quick_check');
  const result = rows.map((r) => r.quick_check).join('; ');
  if (result !== 'ok') {
    throw new StoreError(
      'corrupt',
      `数据库文件已损坏：${conn.file}（${result.slice(0, 200)}）。请先把它移走备份（连同同名的 -wal、-shm 文件），再从备份恢复，或者删掉它让程序新建一个空库。`,
    );
  }
}

async function migrate(conn: Connection, migrations: readonly Migration[]): Promise<void> {
  checkMigrations(migrations);
  const known = migrations.length;
  let version = await conn.transaction(async (db) => {
    await db.exec(SCHEMA_VERSION_TABLE);
    return currentVersion(db);
  });
  if (version > known) {
    throw new StoreError(
      'too-new',
      `数据库的结构版本（${version}）比这个程序认识的（${known}）更新：它被新版程序用过。请升级程序，或换回对应的备份。`,
    );
  }
  for (const m of migrations.slice(version)) {
    try {
      await conn.transaction(async (db) => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        if ((await currentVersion(db)) >= m.version) return;
        if (typeof m.up === 'string') await db.exec(m.up);
        else await m.up(db);
        await db.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      });
    } catch (err) {
      const e = toStoreError(err, conn.file, `数据库迁移 ${m.version}（${m.name}）`);
      if (e.code === 'io' || e.code === 'bad-input') {
        throw new StoreError('migration-failed', `数据库迁移 ${m.version}（${m.name}）失败：${(err as Error).message}`, { cause: err });
      }
      throw e;
    }
    version = m.version;
  }
}

interface AnswerRow {
  kind: ItemKind;
  item_id: string;
  version: number;
  fraud_type: AnswerRecord['fraudType'];
  correct: number;
  at: number;
}
interface ProfileRow {
  user_key: string;
  grp: string | null;
  locale: string;
  created_at: number;
  updated_at: number;
}

function toProfile(r: ProfileRow): Profile {
  return { userKey: r.user_key, group: r.grp, locale: r.locale, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** The users row other rows reference, with defaults, unless it exists. */
function insertUserRow(db: Db, userKey: string, at: number): Promise<RunResult> {
  return db.run('INSERT INTO users (user_key, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_key) DO NOTHING', [userKey, at, at]);
}

function badInput(message: string): StoreError {
  return new StoreError('bad-input', message);
}

function checkUserKey(userKey: string): void {
  if (typeof userKey !== 'string' || !USER_KEY.test(userKey)) {
    throw badInput('userKey 必须是 store.userKey(channelId, userId) 算出的 64 位十六进制串，不能直接用原始用户 id');
  }
}

function checkRecord(r: AnswerRecord): void {
  const ok =
    r &&
    (r.kind === 'scenario' || r.kind === 'question') &&
    typeof r.itemId === 'string' &&
    r.itemId.length > 0 &&
    r.itemId.length <= 64 &&
    Number.isInteger(r.version) &&
    r.version >= 1 &&
    FRAUD_TYPES.has(r.fraudType) &&
    typeof r.correct === 'boolean' &&
    Number.isSafeInteger(r.at) &&
    r.at >= 0;
  if (!ok) throw badInput(`答题记录格式不对：${JSON.stringify(r)?.slice(0, 200)}`);
}

/** Users whose profile and answer history stay in memory (write-through; this process is the only writer). */
const CACHED_USERS = 10_000;

class SqliteStore implements Store {
  readonly storage: SqliteStorage;
  readonly file: string;
  private readonly profiles = new Lru<string, Profile>(CACHED_USERS);
  private readonly histories = new Lru<string, AnswerRecord[]>(CACHED_USERS);
  /**
   * Whether a user's users row exists, as far as this process has seen: false spares the
   * turns of people who never pick a group a read queued behind a commit; true spares later
   * answers the insert. Every path that may add the row (saveProfile, recordAnswer,
   * ensureUser) forgets a false first and bumps `generation`.
   */
  private readonly rowExists = new Lru<string, boolean>(CACHED_USERS);
  /** Bumped before any write that may add a users row, so a read that raced it does not cache "no row". */
  private generation = 0;
  private readonly hasher: KeyHasher;

  constructor(
    private readonly conn: Connection,
    secret: string,
    private readonly checkpointer: Checkpointer,
  ) {
    this.file = conn.file;
    this.hasher = new KeyHasher(secret);
    this.storage = new SqliteStorage(conn, this.hasher);
  }

  userKey(channelId: string, userId: string): string {
    return this.hasher.userKey(String(channelId), String(userId));
  }

  async getProfile(userKey: string): Promise<Profile | undefined> {
    checkUserKey(userKey);
    const cached = this.profiles.get(userKey);
    if (cached) return { ...cached };
    if (this.rowExists.get(userKey) === false) return undefined;
    const generation = this.generation;
    const row = await this.conn.query((db) => db.get<ProfileRow>('SELECT * FROM users WHERE user_key = ?', [userKey]));
    if (!row) {
      // Only if no write that could have added the row was queued since the read began.
      if (generation === this.generation) this.rowExists.set(userKey, false);
      return undefined;
    }
    const profile = toProfile(row);
    this.profiles.set(userKey, profile);
    return { ...profile };
  }

  async saveProfile(userKey: string, patch: ProfilePatch = {}): Promise<Profile> {
    checkUserKey(userKey);
    if (patch.group !== undefined && patch.group !== null && (typeof patch.group !== 'string' || patch.group.length > 64)) {
      throw badInput('group 必须是人群 id 或 null');
    }
    if (patch.locale !== undefined && (typeof patch.locale !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(patch.locale))) {
      throw badInput('locale 必须是语言标签，如 zh-CN');
    }
    this.mayAddRow(userKey);
    const saved = await this.conn.write(async (db) => {
      const now = Date.now();
      await db.run(`INSERT INTO users (user_key, grp, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_key) DO NOTHING`, [
        userKey,
        patch.group ?? null,
        patch.locale ?? 'zh-CN',
        now,
        now,
      ]);
      const sets: string[] = [];
      const params: unknown[] = [];
      if (patch.group !== undefined) {
        sets.push('grp = ?');
        params.push(patch.group);
      }
      if (patch.locale !== undefined) {
        sets.push('locale = ?');
        params.push(patch.locale);
      }
      if (sets.length) await db.run(`UPDATE users SET ${sets.join(', ')}, updated_at = ? WHERE user_key = ?`, [...params, now, userKey]);
      return toProfile((await db.get<ProfileRow>('SELECT * FROM users WHERE user_key = ?', [userKey]))!);
    });
    this.profiles.set(userKey, saved);
    this.rowExists.set(userKey, true);
    return { ...saved };
  }

  async recordAnswer(userKey: string, record: AnswerRecord): Promise<void> {
    checkUserKey(userKey);
    checkRecord(record);
    // The answer creates the users row when there is none; only then is it inserted (one
    // statement less in the group commit for every later answer).
    const known = this.profiles.get(userKey) !== undefined || this.rowExists.get(userKey) === true;
    if (!known) this.mayAddRow(userKey);
    await this.conn.write(async (db) => {
      if (!known) await insertUserRow(db, userKey, record.at);
      await db.run(
        `INSERT INTO answers (user_key, kind, item_id, version, fraud_type, correct, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_key, kind, item_id, at) DO NOTHING`,
        [userKey, record.kind, record.itemId, record.version, record.fraudType, record.correct ? 1 : 0, record.at],
      );
    });
    this.rowExists.set(userKey, true);
    // Committed. Keep a cached history in step (the same answer twice is stored once).
    const h = this.histories.get(userKey);
    if (h && !h.some((r) => r.kind === record.kind && r.itemId === record.itemId && r.at === record.at)) {
      let i = h.length;
      while (i > 0 && h[i - 1].at > record.at) i--;
      h.splice(i, 0, { ...record });
    }
  }

  async answers(userKey: string, opts: { since?: number; limit?: number } = {}): Promise<AnswerRecord[]> {
    checkUserKey(userKey);
    const since = opts.since ?? 0;
    const limit = opts.limit !== undefined ? Math.max(0, Math.floor(opts.limit)) : -1;
    const whole = since === 0 && limit === -1;
    if (whole) {
      const cached = this.histories.get(userKey);
      if (cached) return cached.map((r) => ({ ...r }));
    }
    const rows = await this.conn.query((db) =>
      db.all<AnswerRow>(
        `SELECT * FROM (
           SELECT id, kind, item_id, version, fraud_type, correct, at FROM answers
           WHERE user_key = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?
         ) ORDER BY at, id`,
        [userKey, since, limit],
      ),
    );
    const records = rows.map((r) => ({ kind: r.kind, itemId: r.item_id, version: r.version, fraudType: r.fraud_type, correct: r.correct === 1, at: r.at }));
    if (whole) this.histories.set(userKey, records.map((r) => ({ ...r })));
    return records;
  }

  async deleteUser(userKey: string, opts: DeleteUserOptions = {}): Promise<DeleteUserResult> {
    checkUserKey(userKey);
    const keyHashes = (opts.storageKeys ?? []).map((k) => this.hasher.storageKey(k));
    const result = await this.conn.write(async (db) => {
      const removed: Record<string, number> = {};
      removed.answers = (await db.run('DELETE FROM answers WHERE user_key = ?', [userKey])).changes;
      let state = (await db.run('DELETE FROM bot_state WHERE owner = ?', [userKey])).changes;
      if (keyHashes.length) {
        state += (await db.run(`DELETE FROM bot_state WHERE key_hash IN (${keyHashes.map(() => '?').join(',')})`, keyHashes)).changes;
      }
      removed.bot_state = state;
      // Rows in tables added later cascade from users (see migrations.ts).
      removed.users = (await db.run('DELETE FROM users WHERE user_key = ?', [userKey])).changes;
      return { removed };
    });
    this.profiles.delete(userKey);
    this.rowExists.delete(userKey);
    this.histories.delete(userKey);
    this.storage.forgetOwner(userKey);
    this.storage.forget(keyHashes);
    return result;
  }

  ensureUser(db: Db, userKey: string, now: number): Promise<RunResult> {
    checkUserKey(userKey);
    // Forget, not set: the caller's transaction may still roll back.
    this.mayAddRow(userKey);
    return insertUserRow(db, userKey, now);
  }

  /** A write that may add the user's users row is about to be queued. */
  private mayAddRow(userKey: string): void {
    if (this.rowExists.get(userKey) === false) this.rowExists.delete(userKey);
    this.generation++;
  }

  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.conn.transaction(fn);
  }
  run(sql: string, params?: unknown[]): Promise<RunResult> {
    // A single write: durable when it resolves, and group-committed with writes queued meanwhile.
    return this.conn.write((db) => db.run(sql, params));
  }
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined> {
    return this.conn.query((db) => db.get<T>(sql, params));
  }
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.conn.query((db) => db.all<T>(sql, params));
  }

  schemaVersion(): Promise<number> {
    return this.conn.query((db) => currentVersion(db));
  }

  async integrityCheck(): Promise<string> {
    const rows = await this.conn.query((db) => db.all<{ integrity_check: string }>('PRAGMA integrity_check'));
    return rows.map((r) => r.integrity_check).join('; ');
  }

  /** Commits so far (the benchmark reports answers per commit). */
  get commits(): number {
    return this.conn.commits;
  }

  async close(): Promise<void> {
    await this.checkpointer.close();
    return this.conn.close();
  }
}
