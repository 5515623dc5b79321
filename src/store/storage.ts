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
import { hashStorageKey, hashUserKey } from './secret.js';

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

/** The (channel, user) a botbuilder key belongs to: `<ch>/users/<id>` or `<ch>/conversations/<c>/users/<id>`. */
export function keyOwner(key: string): { channelId: string; userId: string } | undefined {
  const user = /^([^/]+)\/users\/(.+)$/s.exec(key);
  if (user) return { channelId: user[1], userId: user[2] };
  const priv = /^([^/]+)\/conversations\/.+?\/users\/(.+)$/s.exec(key);
  if (priv) return { channelId: priv[1], userId: priv[2] };
  return undefined;
}

interface Row {
  key_hash: string;
  etag: string;
  value: string;
}

export class SqliteStorage implements Storage {
  constructor(
    private readonly conn: Connection,
    private readonly secret: string,
  ) {}

  hashKey(key: string): string {
    return hashStorageKey(this.secret, key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const byHash = new Map(keys.map((k) => [this.hashKey(k), k]));
    const hashes = [...byHash.keys()];
    const rows = await this.conn.query((db) =>
      db.all<Row>(`SELECT key_hash, etag, value FROM bot_state WHERE key_hash IN (${hashes.map(() => '?').join(',')})`, hashes),
    );
    for (const row of rows) {
      const key = byHash.get(row.key_hash)!;
      items[key] = { ...JSON.parse(row.value), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const prepared = entries.map(([key, item]) => {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string; [k: string]: unknown };
      const owner = keyOwner(key);
      return {
        key,
        hash: this.hashKey(key),
        eTag,
        value: JSON.stringify(rest),
        owner: owner ? hashUserKey(this.secret, owner.channelId, owner.userId) : null,
      };
    });
    await this.conn.write(async (db) => {
      const now = Date.now();
      for (const p of prepared) {
        if (p.eTag && p.eTag !== '*') {
          const old = await db.get<{ etag: string }>('SELECT etag FROM bot_state WHERE key_hash = ?', [p.hash]);
          if (old && old.etag !== p.eTag) throw new StorageConflictError(p.key);
        }
        await db.run(
          `INSERT INTO bot_state (key_hash, owner, etag, value, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (key_hash) DO UPDATE SET owner = excluded.owner, etag = excluded.etag,
             value = excluded.value, updated_at = excluded.updated_at`,
          [p.hash, p.owner, randomBytes(8).toString('hex'), p.value, now],
        );
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    const hashes = keys.map((k) => this.hashKey(k));
    await this.conn.write((db) => db.run(`DELETE FROM bot_state WHERE key_hash IN (${hashes.map(() => '?').join(',')})`, hashes));
  }
}
