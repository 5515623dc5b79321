import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, StoreError, hashUserKey, openStore, type Migration } from '../../src/store/index.js';
import { SECRET, answer, tempDir } from './helpers.js';

function rawQuery<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.all(sql, (e: Error | null, rows: T[]) => db.close(() => (e ? reject(e) : resolve(rows))));
    });
  });
}

describe('when the store opens an empty data folder', () => {
  it('then it creates the file, applies every migration, and uses WAL with full sync', async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: path.join(dir, 'nested', 'data'), secret: SECRET });
    expect(store.file).toBe(path.join(dir, 'nested', 'data', 'fanzha.db'));
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await store.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await store.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
    expect(await store.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    const tables = (await store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['answers', 'bot_state', 'schema_version', 'users']));
    expect(await store.integrityCheck()).toBe('ok');
    await store.close();
  });

  it('then reopening does not migrate twice, and an appended migration runs once', async () => {
    const dir = tempDir();
    await (await openStore({ dataDir: dir, secret: SECRET })).close();
    const extra: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'notes', up: 'CREATE TABLE notes (user_key TEXT REFERENCES users(user_key) ON DELETE CASCADE, body TEXT)' }];
    const s1 = await openStore({ dataDir: dir, secret: SECRET, migrations: extra });
    expect(await s1.schemaVersion()).toBe(extra.length);
    await s1.close();
    const s2 = await openStore({ dataDir: dir, secret: SECRET, migrations: extra });
    const rows = await s2.all<{ version: number }>('SELECT version FROM schema_version ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(extra.map((m) => m.version));
    await s2.close();
  });

  it('then a database from a newer program is refused with code too-new', async () => {
    const dir = tempDir();
    const extra: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'future', up: 'CREATE TABLE future (x)' }];
    await (await openStore({ dataDir: dir, secret: SECRET, migrations: extra })).close();
    await expect(openStore({ dataDir: dir, secret: SECRET })).rejects.toMatchObject({ name: 'StoreError', code: 'too-new' });
  });

  it('then a migration list with a gap is refused, and a failing migration leaves the version unchanged', async () => {
    const dir = tempDir();
    await expect(openStore({ dataDir: dir, secret: SECRET, migrations: [{ ...MIGRATIONS[0], version: 2 }] })).rejects.toMatchObject({ code: 'migration-failed' });
    const bad: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE ok_table (x); CREATE TABLEE nope' }];
    await expect(openStore({ dataDir: dir, secret: SECRET, migrations: bad })).rejects.toMatchObject({ code: 'migration-failed' });
    const s = await openStore({ dataDir: dir, secret: SECRET });
    expect(await s.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await s.get("SELECT name FROM sqlite_master WHERE name = 'ok_table'")).toBeUndefined();
    await s.close();
  });

  it('then a short secret is refused', async () => {
    await expect(openStore({ dataDir: tempDir(), secret: 'short' })).rejects.toMatchObject({ code: 'weak-secret' });
  });
});

describe('when users are keyed', () => {
  it('then the key is HMAC-SHA256(secret, channel NUL user), stable, and differs by channel and secret', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const k = store.userKey('webchat', 'alice');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(k).toBe(hashUserKey(SECRET, 'webchat', 'alice'));
    expect(store.userKey('msteams', 'alice')).not.toBe(k);
    expect(store.userKey('webcha', 'talice')).not.toBe(k);
    expect(hashUserKey(SECRET + 'x', 'webchat', 'alice')).not.toBe(k);
    await store.close();
  });

  it('then the raw user id never reaches the database file or its WAL', async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir, secret: SECRET });
    const raw = 'raw-user-id-7f3a9c';
    const key = store.userKey('webchat', raw);
    await store.saveProfile(key, { group: 'elderly' });
    for (let i = 0; i < 20; i++) await store.recordAnswer(key, answer(i));
    await store.storage.write({ [`webchat/users/${raw}`]: { profile: { step: 1 } }, [`webchat/conversations/conv-${raw}/users/${raw}`]: { x: 1 } });
    await store.storage.write({ [`webchat/conversations/conv-${raw}`]: { dialog: 'play' } });
    const files = readdirSync(dir).filter((f) => f.startsWith('fanzha.db'));
    expect(files).toContain('fanzha.db-wal');
    for (const f of files) expect(readFileSync(path.join(dir, f)).includes(raw), f).toBe(false);
    await store.close();
    expect(readFileSync(path.join(dir, 'fanzha.db')).includes(raw)).toBe(false);
  });

  it('then a raw id passed where a user key belongs is refused', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    await expect(store.recordAnswer('alice', answer(1))).rejects.toMatchObject({ code: 'bad-input' });
    await expect(store.getProfile('alice')).rejects.toBeInstanceOf(StoreError);
    await store.close();
  });
});

describe('when profiles and answers are saved', () => {
  it('then a profile is created, updated and read back', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const k = store.userKey('webchat', 'u1');
    expect(await store.getProfile(k)).toBeUndefined();
    const p1 = await store.saveProfile(k);
    expect(p1).toMatchObject({ userKey: k, group: null, locale: 'zh-CN' });
    const p2 = await store.saveProfile(k, { group: 'student' });
    expect(p2).toMatchObject({ group: 'student', createdAt: p1.createdAt });
    expect(p2.updatedAt).toBeGreaterThanOrEqual(p1.updatedAt);
    expect(await store.saveProfile(k, { locale: 'en' })).toMatchObject({ group: 'student', locale: 'en' });
    expect(await store.saveProfile(k, { group: null })).toMatchObject({ group: null });
    await expect(store.saveProfile(k, { locale: 'not a locale!' })).rejects.toMatchObject({ code: 'bad-input' });
    await store.close();
  });

  it('then answers keep item id and version, come back oldest first, and a retried answer is stored once', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const k = store.userKey('webchat', 'u1');
    await store.recordAnswer(k, answer(2, { kind: 'scenario', itemId: 'sc-1', version: 3, correct: true }));
    await store.recordAnswer(k, answer(1));
    await store.recordAnswer(k, answer(1));
    const rows = await store.answers(k);
    expect(rows).toEqual([answer(1), answer(2, { kind: 'scenario', itemId: 'sc-1', version: 3, correct: true })]);
    expect(await store.answers(k, { limit: 1 })).toEqual([rows[1]]);
    expect(await store.answers(k, { since: answer(2).at })).toEqual([rows[1]]);
    expect(await store.getProfile(k)).toMatchObject({ group: null });
    await store.close();
  });

  it.each([
    [{ kind: 'quiz' }],
    [{ version: 0 }],
    [{ fraudType: 'no-such-type' }],
    [{ itemId: '' }],
    [{ at: Number.NaN }],
  ])('then a malformed answer %j is refused', async (over) => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    await expect(store.recordAnswer(store.userKey('w', 'u'), answer(1, over as never))).rejects.toMatchObject({ code: 'bad-input' });
    await store.close();
  });
});

describe('when a user deletes their data', () => {
  it('then profile, answers, their bot state and rows of later tables are gone, and others are untouched', async () => {
    const dir = tempDir();
    const migrations: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'notes', up: 'CREATE TABLE notes (user_key TEXT NOT NULL REFERENCES users(user_key) ON DELETE CASCADE, body TEXT)' }];
    const store = await openStore({ dataDir: dir, secret: SECRET, migrations });
    const alice = store.userKey('webchat', 'alice');
    const bob = store.userKey('webchat', 'bob');
    for (const k of [alice, bob]) {
      await store.saveProfile(k, { group: 'general' });
      for (let i = 0; i < 5; i++) await store.recordAnswer(k, answer(i));
      await store.run('INSERT INTO notes (user_key, body) VALUES (?, ?)', [k, 'note']);
    }
    await store.storage.write({
      'webchat/users/alice': { a: 1 },
      'webchat/conversations/c-alice/users/alice': { p: 1 },
      'webchat/conversations/c-alice': { dialog: 1 },
      'webchat/users/bob': { b: 1 },
      'webchat/conversations/c-bob': { dialog: 2 },
    });
    const r = await store.deleteUser(alice, { storageKeys: ['webchat/conversations/c-alice'] });
    expect(r.removed).toEqual({ answers: 5, bot_state: 3, users: 1 });
    expect(await store.getProfile(alice)).toBeUndefined();
    expect(await store.answers(alice)).toEqual([]);
    expect(await store.all('SELECT * FROM notes WHERE user_key = ?', [alice])).toEqual([]);
    expect(await store.storage.read(['webchat/users/alice', 'webchat/conversations/c-alice/users/alice', 'webchat/conversations/c-alice'])).toEqual({});
    expect(await store.answers(bob)).toHaveLength(5);
    expect(Object.keys(await store.storage.read(['webchat/users/bob', 'webchat/conversations/c-bob']))).toHaveLength(2);
    expect((await store.deleteUser(alice)).removed).toEqual({ answers: 0, bot_state: 0, users: 0 });
    await store.close();
  });
});

describe('when the process restarts', () => {
  it('then profiles, answers and bot state are all still there', async () => {
    const dir = tempDir();
    const s1 = await openStore({ dataDir: dir, secret: SECRET });
    const k = s1.userKey('webchat', 'carol');
    await s1.saveProfile(k, { group: 'elderly' });
    await s1.recordAnswer(k, answer(7));
    await s1.storage.write({ 'webchat/conversations/c1': { play: { scenarioId: 'x', nodeId: 'n2' } } });
    await s1.close();
    await expect(s1.recordAnswer(k, answer(8))).rejects.toMatchObject({ code: 'closed' });
    const s2 = await openStore({ dataDir: dir, secret: SECRET });
    expect(await s2.getProfile(k)).toMatchObject({ group: 'elderly' });
    expect(await s2.answers(k)).toEqual([answer(7)]);
    expect(await s2.storage.read(['webchat/conversations/c1'])).toEqual({ 'webchat/conversations/c1': { play: { scenarioId: 'x', nodeId: 'n2' }, eTag: expect.any(String) } });
    await s2.close();
    expect(await rawQuery(path.join(dir, 'fanzha.db'), 'SELECT COUNT(*) AS n FROM answers')).toEqual([{ n: 1 }]);
  });
});

describe('when many turns write at once', () => {
  it('then no answer is lost or doubled, and concurrent writes share commits', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const users = Array.from({ length: 20 }, (_, i) => store.userKey('webchat', `user-${i}`));
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) for (const k of users) writes.push(store.recordAnswer(k, answer(i)));
    // A retried turn: the same records again, concurrently with the rest.
    for (const k of users.slice(0, 5)) writes.push(store.recordAnswer(k, answer(50)));
    const reads = users.map((k) => store.answers(k));
    await Promise.all([...writes, ...reads]);
    expect(await store.get('SELECT COUNT(*) AS n FROM answers')).toEqual({ n: 2000 });
    for (const k of users) {
      const rows = await store.answers(k);
      expect(rows.map((r) => r.itemId)).toEqual(Array.from({ length: 100 }, (_, i) => `q-${i}`));
    }
    expect((store as unknown as { commits: number }).commits).toBeLessThan(500);
    await store.close();
  });

  it('then one failing write in a batch fails alone', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const k = store.userKey('webchat', 'dana');
    await store.storage.write({ 'webchat/users/dana': { v: 1 } });
    const results = await Promise.allSettled([
      store.recordAnswer(k, answer(1)),
      store.storage.write({ 'webchat/users/dana': { v: 2, eTag: 'stale' } }),
      store.recordAnswer(k, answer(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.answers(k)).toHaveLength(2);
    expect((await store.storage.read(['webchat/users/dana']))['webchat/users/dana'].v).toBe(1);
    await store.close();
  });

  it('then transactions never interleave and a failed one rolls back entirely', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    await store.run('CREATE TABLE counter (n INTEGER)');
    await store.run('INSERT INTO counter VALUES (0)');
    // Read-modify-write with a pause in the middle: interleaving would lose increments.
    const bump = () =>
      store.transaction(async (db) => {
        const { n } = (await db.get<{ n: number }>('SELECT n FROM counter'))!;
        await new Promise((r) => setTimeout(r, 1));
        await db.run('UPDATE counter SET n = ?', [n + 1]);
      });
    await Promise.all(Array.from({ length: 30 }, bump));
    expect(await store.get('SELECT n FROM counter')).toEqual({ n: 30 });
    await expect(
      store.transaction(async (db) => {
        await db.run('UPDATE counter SET n = 999');
        // Store calls inside a transaction join it instead of deadlocking.
        await store.run('INSERT INTO counter VALUES (5)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.all('SELECT n FROM counter')).toEqual([{ n: 30 }]);
    await store.close();
  });
});
