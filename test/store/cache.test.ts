import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { answer, SECRET, tempDir } from './helpers.js';

describe('when the store serves hot rows from memory', () => {
  it('then state read after deleteUser is gone, not served from the cache', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const key = store.userKey('webchat', 'u1');
    await store.storage.write({ 'webchat/users/u1': { user: { welcomed: true } }, 'webchat/conversations/c1/': { conv: { mode: 'quiz' } } });
    expect(Object.keys(await store.storage.read(['webchat/users/u1', 'webchat/conversations/c1/']))).toHaveLength(2);
    await store.deleteUser(key, { storageKeys: ['webchat/conversations/c1/'] });
    expect(await store.storage.read(['webchat/users/u1', 'webchat/conversations/c1/'])).toEqual({});
    await store.close();
  });

  it('then a stale eTag still conflicts even though reads come from memory', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    await store.storage.write({ k: { n: 1 } });
    const first = (await store.storage.read(['k'])).k;
    await store.storage.write({ k: { ...first, n: 2 } });
    await expect(store.storage.write({ k: { ...first, n: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await store.storage.read(['k'])).k.n).toBe(2);
    await store.close();
  });

  it('then mutating what a read returned does not change what the next read sees', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    await store.storage.write({ k: { list: [1] } });
    const a = (await store.storage.read(['k'])).k;
    a.list.push(2);
    expect((await store.storage.read(['k'])).k.list).toEqual([1]);
    await store.close();
  });

  it('then answer history and profile stay in step with writes, and match a fresh process', async () => {
    const dataDir = tempDir();
    const store = await openStore({ dataDir, secret: SECRET });
    const key = store.userKey('webchat', 'u2');
    expect(await store.answers(key)).toEqual([]);
    await store.recordAnswer(key, answer(1, { at: 2000 }));
    await store.recordAnswer(key, answer(2, { at: 1000, itemId: 'q-early' }));
    await store.recordAnswer(key, answer(1, { at: 2000 }));
    await store.saveProfile(key, { group: 'elderly' });
    const cached = await store.answers(key);
    expect(cached.map((r) => r.at)).toEqual([1000, 2000]);
    await store.close();
    const again = await openStore({ dataDir, secret: SECRET });
    expect(await again.answers(key)).toEqual(cached);
    expect((await again.getProfile(key))?.group).toBe('elderly');
    await again.close();
  });

  it('then "no profile yet" is remembered, and forgotten by any write that can create the row', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const a = store.userKey('webchat', 'no-group');
    expect(await store.getProfile(a)).toBeUndefined();
    expect(await store.getProfile(a)).toBeUndefined();
    // Answering creates the users row (group not chosen).
    await store.recordAnswer(a, answer(1, { at: 3000 }));
    expect((await store.getProfile(a))?.group).toBeNull();

    // A row added by another repository (class sessions) through ensureUser is seen too.
    const b = store.userKey('webchat', 'joins-a-class');
    expect(await store.getProfile(b)).toBeUndefined();
    await store.transaction((db) => store.ensureUser(db, b, 1));
    expect((await store.getProfile(b))?.group).toBeNull();

    // A read that races a write which creates the row does not leave "absent" behind.
    const c = store.userKey('webchat', 'racing');
    const [before] = await Promise.all([store.getProfile(c), store.saveProfile(c, { group: 'student' })]);
    expect(before === undefined || before.group === 'student').toBe(true);
    expect((await store.getProfile(c))?.group).toBe('student');
    await store.close();
  });

  it('then two writes of one key at the same moment land in order, in the database and in memory alike', async () => {
    const dataDir = tempDir();
    const store = await openStore({ dataDir, secret: SECRET });
    await Promise.all([store.storage.write({ k: { n: 1, eTag: '*' } }), store.storage.write({ k: { n: 2, eTag: '*' } }), store.storage.write({ other: { n: 9 } })]);
    expect((await store.storage.read(['k'])).k.n).toBe(2);
    await store.close();
    const again = await openStore({ dataDir, secret: SECRET });
    expect((await again.storage.read(['k'])).k.n).toBe(2);

    // Two writers that read the same version: the second one's eTag is stale by the time it commits.
    const seen = (await again.storage.read(['k'])).k;
    const results = await Promise.allSettled([again.storage.write({ k: { ...seen, n: 3 } }), again.storage.write({ k: { ...seen, n: 4 } })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((await again.storage.read(['k'])).k.n).toBe(3);
    await again.close();
  });
});
