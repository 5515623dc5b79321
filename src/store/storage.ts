/**
 * botbuilder `Storage` on SQLite, so conversation and user state survive a restart.
 * Semantics follow MemoryStorage: an item written with an eTag that differs from the stored
 * one fails with an eTag conflict; no eTag or "*" overwrites. Unlike MemoryStorage a write
 * of several keys is all-or-nothing.
 *
 * botbuilder keys contain raw channel user ids ("webchat/users/<id>"), so keys are stored
 * only as HMACs. Keys that name a user also record the owner's user key, so deleteUser
 * finds that user's state.
 */
import type { Storage, StoreItems } from 'botbuilder';
import { randomBytes } from 'node:crypto';
import type { Connection } from './connection.js';
import { Lru } from './lru.js';
import { KeyHasher } from './secret.js';

/** An eTag mismatch: the item changed since it was read (another turn saved first). */
export class StorageConflictError extends Error {
  override readonly name = 'StorageConflictError';
  readonly code = 'etag-conflict';
  constructor(key: string) {
    // Same wording as MemoryStorage, but the key is redacted: it would put a raw user id in the logs.
    super(`Storage: error writing "${redactKey(key)}" due to eTag conflict.`);
  }
}

/** "webchat/users/abc" → "webchat/users/*": safe to log. */
export function redactKey(key: string): string {
  return key.replace(/\/(users|conversations)\/[^/]*/g, '/$1/*');
}

/**
 * The (channel, user) a botbuilder key belongs to: `<ch>/users/<id>/` (UserState's key, whose
 * namespace is empty), `<ch>/users/<id>`, or private conversation state
 * `<ch>/conversations/<c>/users/<id>/`.
 */
export function keyOwner(key: string): { channelId: string; userId: string } | undefined {
  const user = /^([^/]+)\/users\/(.+?)\/?$/s.exec(key);
  if (user) return { channelId: user[1], userId: user[2] };
  const priv = /^([^/]+)\/conversations\/.+?\/users\/(.+?)\/?$/s.exec(key);
  if (priv) return { channelId: priv[1], userId: priv[2] };
  return undefined;
}

interface PreparedWrite {
  key: string;
  hash: string;
  eTag: string | undefined;
  value: string;
  owner: string | null;
  newEtag: string;
}

interface Row {
  key_hash: string;
  etag: string;
  value: string;
}

/** A cached row: JSON text (parsed afresh on every read, so callers may mutate what they get), or known absent. */
type Cached = { etag: string; value: string; owner: string | null } | { absent: true };

/** How many state rows to keep in memory (two per active user: conversation and user state). */
const CACHE_ROWS = 20_000;

export class SqliteStorage implements Storage {
  /**
   * Write-through cache of rows, filled on read and updated only after a commit. This process
   * is the file's only writer, so the cache cannot go stale; a turn's state reads then cost
   * no trip through the connection's queue. eTag checks still read the database.
   */
  private readonly cache = new Lru<string, Cached>(CACHE_ROWS);

  private readonly hasher: KeyHasher;
  /** The last write not yet committed, per key hash. */
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly conn: Connection,
    secret: string | KeyHasher,
  ) {
    this.hasher = typeof secret === 'string' ? new KeyHasher(secret) : secret;
  }

  /** Drop cached rows (after deleting them outside this class). */
  forget(hashes: readonly string[]): void {
    for (const h of hashes) this.cache.delete(h);
  }

  /** Drop every cached row owned by a user (after deleteUser). */
  forgetOwner(owner: string): void {
    this.cache.deleteWhere((c) => !('absent' in c) && c.owner === owner);
  }

  hashKey(key: string): string {
    return this.hasher.storageKey(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const byHash = new Map(keys.map((k) => [this.hashKey(k), k]));
    const misses: string[] = [];
    for (const [hash, key] of byHash) {
      const c = this.cache.get(hash);
      if (!c) misses.push(hash);
      else if (!('absent' in c)) items[key] = { ...JSON.parse(c.value), eTag: c.etag };
    }
    if (misses.length === 0) return items;
    const rows = await this.conn.query((db) =>
      db.all<Row & { owner: string | null }>(`SELECT key_hash, etag, value, owner FROM bot_state WHERE key_hash IN (${misses.map(() => '?').join(',')})`, misses),
    );
    const found = new Set<string>();
    for (const row of rows) {
      found.add(row.key_hash);
      const key = byHash.get(row.key_hash)!;
      items[key] = { ...JSON.parse(row.value), eTag: row.etag };
      this.cache.set(row.key_hash, { etag: row.etag, value: row.value, owner: row.owner });
    }
    for (const h of misses) if (!found.has(h)) this.cache.set(h, { absent: true });
    return items;
  }

  /**
   * `opts.owner` (a store user key) marks records whose key does not name their user, such as
   * conversation state, so deleteUser finds them; a key that names a user decides itself.
   */
  async write(changes: StoreItems, opts: { owner?: string } = {}): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    if (opts.owner !== undefined && !/^[0-9a-f]{64}$/.test(opts.owner)) throw new TypeError('owner must be a user key from store.userKey()');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const prepared: PreparedWrite[] = entries.map(([key, item]) => {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string; [k: string]: unknown };
      const owner = keyOwner(key);
      return {
        key,
        hash: this.hashKey(key),
        eTag,
        value: JSON.stringify(rest),
        owner: owner ? this.hasher.userKey(owner.channelId, owner.userId) : (opts.owner ?? null),
        newEtag: randomBytes(8).toString('hex'),
      };
    });
    // Two writes of one key must not share a group commit: both would check their eTag
    // against the same committed version and both pass, and the batch runs its writes in no
    // set order. A write waits for the one before it on any of its keys, so the second sees
    // the first's eTag and the database and the cache see the same order.
    const earlier = [...new Set(prepared.map((p) => this.inflight.get(p.hash)).filter((w) => w !== undefined))];
    const committed = (earlier.length ? Promise.allSettled(earlier) : Promise.resolve()).then(() => this.commitWrite(prepared));
    for (const p of prepared) this.inflight.set(p.hash, committed);
    try {
      await committed;
    } finally {
      for (const p of prepared) if (this.inflight.get(p.hash) === committed) this.inflight.delete(p.hash);
    }
  }

  private async commitWrite(prepared: PreparedWrite[]): Promise<void> {
    await this.conn.write(async (db) => {
      const now = Date.now();
      for (const p of prepared) {
        if (p.eTag && p.eTag !== '*') {
          // The cache holds the committed eTag whenever it holds the row (writes update it only after COMMIT).
          const c = this.cache.get(p.hash);
          const current = c ? ('absent' in c ? undefined : c.etag) : (await db.get<{ etag: string }>('SELECT etag FROM bot_state WHERE key_hash = ?', [p.hash]))?.etag;
          if (current !== undefined && current !== p.eTag) throw new StorageConflictError(p.key);
        }
        await db.run(
          `INSERT INTO bot_state (key_hash, owner, etag, value, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (key_hash) DO UPDATE SET owner = excluded.owner, etag = excluded.etag,
             value = excluded.value, updated_at = excluded.updated_at`,
          [p.hash, p.owner, p.newEtag, p.value, now],
        );
      }
    });
    // Committed: the cache now holds exactly what the database holds.
    for (const p of prepared) this.cache.set(p.hash, { etag: p.newEtag, value: p.value, owner: p.owner });
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    const hashes = keys.map((k) => this.hashKey(k));
    await this.conn.write((db) => db.run(`DELETE FROM bot_state WHERE key_hash IN (${hashes.map(() => '?').join(',')})`, hashes));
    for (const h of hashes) this.cache.set(h, { absent: true });
  }
}
