import { chmodSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError, openStore, resolveSecret } from '../../src/store/index.js';
import { SECRET, answer, tempDir } from './helpers.js';

async function startError(opts: Parameters<typeof openStore>[0]): Promise<StoreError> {
  const err = await openStore(opts).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  const e = err as StoreError;
  // Every start-up error speaks Chinese to the operator and names the file.
  expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  return e;
}

async function filledStore(dir: string, rows = 3000) {
  const s = await openStore({ dataDir: dir, secret: SECRET });
  const k = s.userKey('webchat', 'u');
  await Promise.all(Array.from({ length: rows }, (_, i) => s.recordAnswer(k, answer(i))));
  await s.close();
  return path.join(dir, 'fanzha.db');
}

function openRaw(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(db)));
  });
}
function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

describe('when the database file is damaged', () => {
  it('then a file that is not a database gives a clear corrupt error', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'fanzha.db'), 'this is not a database, just some text '.repeat(200));
    const e = await startError({ dataDir: dir, secret: SECRET });
    expect(e.code).toBe('corrupt');
    expect(e.message).toContain(path.join(dir, 'fanzha.db'));
    expect(e.message).toMatch(/损坏|不是数据库/);
  });

  it('then a database with overwritten pages is found at start-up, not mid-conversation', async () => {
    const dir = tempDir();
    const file = await filledStore(dir);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);
    const fd = openSync(file, 'r+');
    const junk = Buffer.alloc(4096 * 3, 0x5a);
    writeSync(fd, junk, 0, junk.length, 4096 * 2);
    closeSync(fd);
    const e = await startError({ dataDir: dir, secret: SECRET });
    expect(e.code).toBe('corrupt');
  });

  it('then an empty file is treated as a new database', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'fanzha.db'), '');
    const s = await openStore({ dataDir: dir, secret: SECRET });
    expect(await s.integrityCheck()).toBe('ok');
    await s.close();
  });
});

describe('when the database cannot be written', () => {
  it('then a read-only file gives a clear read-only error', async () => {
    const dir = tempDir();
    const file = await filledStore(dir, 10);
    chmodSync(file, 0o444);
    const e = await startError({ dataDir: dir, secret: SECRET });
    expect(e.code).toBe('read-only');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/只读/);
  });

  it('then a read-only data folder gives a clear read-only error', async () => {
    const dir = tempDir();
    await filledStore(dir, 10);
    chmodSync(dir, 0o555);
    const e = await startError({ dataDir: dir, secret: SECRET });
    expect(e.code).toBe('read-only');
    expect(e.message).toMatch(/文件夹/);
  });

  it('then a folder where the file should be gives cannot-open', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'fanzha.db'));
    expect((await startError({ dataDir: dir, secret: SECRET })).code).toBe('cannot-open');
  });

  it('then a data folder that is a file gives a clear error', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'plain'), 'x');
    const e = await startError({ dataDir: path.join(dir, 'plain'), secret: SECRET });
    expect(['cannot-open', 'read-only']).toContain(e.code);
  });
});

describe('when another process holds the database lock', () => {
  it('then start-up waits briefly and fails with a clear locked error (WAL database)', async () => {
    const dir = tempDir();
    const file = await filledStore(dir, 10);
    const other = await openRaw(file);
    await exec(other, 'BEGIN EXCLUSIVE; INSERT INTO schema_version VALUES (999, "x", 0);');
    const t0 = Date.now();
    const e = await startError({ dataDir: dir, secret: SECRET, busyTimeoutMs: 200 });
    expect(e.code).toBe('locked');
    expect(e.message).toMatch(/锁/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await exec(other, 'ROLLBACK');
    await new Promise<void>((r) => other.close(() => r()));
    // Once the lock is gone, the same start-up works.
    const s = await openStore({ dataDir: dir, secret: SECRET });
    await s.close();
  });

  it('then an exclusive lock on a fresh database is reported as locked too', async () => {
    const dir = tempDir();
    const other = await openRaw(path.join(dir, 'fanzha.db'));
    await exec(other, 'PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE t (x);');
    expect((await startError({ dataDir: dir, secret: SECRET, busyTimeoutMs: 100 })).code).toBe('locked');
    await exec(other, 'COMMIT');
    await new Promise<void>((r) => other.close(() => r()));
  });
});

describe('when the user-key secret is resolved', () => {
  it('then USER_KEY_SECRET wins, and a short one is refused', () => {
    const dir = tempDir();
    expect(resolveSecret({ dataDir: dir, env: { USER_KEY_SECRET: 'an-env-secret-long-enough' } })).toEqual({ secret: 'an-env-secret-long-enough', source: 'env' });
    expect(() => resolveSecret({ dataDir: dir, env: { USER_KEY_SECRET: 'short' } })).toThrow(expect.objectContaining({ code: 'weak-secret' }));
  });

  it('then without it a random secret is created once in secret.key with mode 600 and reused', () => {
    const dir = path.join(tempDir(), 'data');
    const a = resolveSecret({ dataDir: dir, env: {} });
    expect(a.source).toBe('created');
    expect(a.secret).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(a.secret);
    expect(resolveSecret({ dataDir: dir, env: {} })).toEqual({ secret: a.secret, source: 'file' });
  });

  it('then an emptied secret.key is refused rather than silently replaced', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secret.key'), '\n', { mode: 0o600 });
    expect(() => resolveSecret({ dataDir: dir, env: {} })).toThrow(expect.objectContaining({ code: 'weak-secret' }));
  });
});
