import { ConversationState, MemoryStorage, TestAdapter, UserState, type Storage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { SqliteStorage, StorageConflictError, keyOwner, openStore, redactKey } from '../../src/store/index.js';
import { SECRET, tempDir } from './helpers.js';

async function opened() {
  const store = await openStore({ dataDir: tempDir(), secret: SECRET });
  return { store, storage: store.storage };
}

describe('when bot state is stored', () => {
  it('then the storage is a SqliteStorage', async () => {
    const { store, storage } = await opened();
    expect(storage).toBeInstanceOf(SqliteStorage);
    await store.close();
  });

  it('then written items are read back with an eTag, missing keys are absent, and deleted ones are gone', async () => {
    const { store, storage } = await opened();
    await storage.write({ a: { n: 1, nested: { list: [1, 2] } }, b: { n: 2 } });
    const r = await storage.read(['a', 'b', 'missing']);
    expect(Object.keys(r).sort()).toEqual(['a', 'b']);
    expect(r.a).toEqual({ n: 1, nested: { list: [1, 2] }, eTag: expect.any(String) });
    await storage.delete(['a', 'missing']);
    expect(await storage.read(['a', 'b'])).toEqual({ b: { n: 2, eTag: expect.any(String) } });
    expect(await storage.read([])).toEqual({});
    await store.close();
  });

  it('then a write with a stale eTag is a conflict, like MemoryStorage', async () => {
    for (const storage of [new MemoryStorage() as Storage, (await opened()).storage]) {
      await storage.write({ k: { v: 1 } });
      const first = (await storage.read(['k'])).k;
      const second = (await storage.read(['k'])).k;
      await storage.write({ k: { ...first, v: 2 } });
      await expect(storage.write({ k: { ...second, v: 3 } })).rejects.toThrow(/eTag conflict/);
      expect((await storage.read(['k'])).k.v).toBe(2);
    }
  });

  it('then "*" and a missing eTag overwrite, and the eTag changes on every write', async () => {
    const { store, storage } = await opened();
    await storage.write({ k: { v: 1 } });
    const e1 = (await storage.read(['k'])).k.eTag;
    await storage.write({ k: { v: 2, eTag: '*' } });
    const e2 = (await storage.read(['k'])).k.eTag;
    await storage.write({ k: { v: 3 } });
    const got = (await storage.read(['k'])).k;
    expect(got.v).toBe(3);
    expect(new Set([e1, e2, got.eTag]).size).toBe(3);
    // An eTag on a key that does not exist yet is accepted (MemoryStorage does the same).
    await storage.write({ fresh: { v: 1, eTag: 'whatever' } });
    expect((await storage.read(['fresh'])).fresh.v).toBe(1);
    await store.close();
  });

  it('then a write of several keys with one conflict writes none of them', async () => {
    const { store, storage } = await opened();
    await storage.write({ k: { v: 1 } });
    const err = await storage.write({ other: { v: 1 }, k: { v: 2, eTag: 'old' } }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageConflictError);
    expect(await storage.read(['other', 'k'])).toEqual({ k: { v: 1, eTag: expect.any(String) } });
    await store.close();
  });

  it('then the conflict message does not carry the raw user id', async () => {
    const { store, storage } = await opened();
    await storage.write({ 'webchat/users/secret-id': { v: 1 } });
    const err = await storage.write({ 'webchat/users/secret-id': { v: 2, eTag: 'x' } }).catch((e: Error) => e);
    expect(String(err)).toContain('webchat/users/*');
    expect(String(err)).not.toContain('secret-id');
    expect(redactKey('webchat/conversations/c1/users/u1')).toBe('webchat/conversations/*/users/*');
    await store.close();
  });

  it('then botbuilder keys that name a user know their owner', () => {
    expect(keyOwner('webchat/users/u1')).toEqual({ channelId: 'webchat', userId: 'u1' });
    // UserState's own key ends with its (empty) namespace.
    expect(keyOwner('webchat/users/u1/')).toEqual({ channelId: 'webchat', userId: 'u1' });
    expect(keyOwner('msteams/conversations/a:b/users/29:x/')).toEqual({ channelId: 'msteams', userId: '29:x' });
    expect(keyOwner('msteams/conversations/a:b/users/29:x')).toEqual({ channelId: 'msteams', userId: '29:x' });
    expect(keyOwner('webchat/conversations/c1')).toBeUndefined();
  });

  it('then missing arguments throw like MemoryStorage', async () => {
    const { store, storage } = await opened();
    await expect(storage.read(undefined as never)).rejects.toThrow(ReferenceError);
    await expect(storage.write(undefined as never)).rejects.toThrow(ReferenceError);
    await store.close();
  });
});

describe('when the bot restarts in the middle of a conversation', () => {
  it('then conversation and user state come back through botbuilder ConversationState/UserState', async () => {
    const dir = tempDir();
    const runBot = async (messages: string[]) => {
      const store = await openStore({ dataDir: dir, secret: SECRET });
      const convo = new ConversationState(store.storage);
      const user = new UserState(store.storage);
      const turns = convo.createProperty<number>('turns');
      const name = user.createProperty<string>('name');
      const adapter = new TestAdapter(async (ctx) => {
        const n = ((await turns.get(ctx, 0)) ?? 0) + 1;
        await turns.set(ctx, n);
        if (ctx.activity.text?.startsWith('我叫')) await name.set(ctx, ctx.activity.text.slice(2));
        await ctx.sendActivity(`第${n}轮，${(await name.get(ctx)) ?? '陌生人'}`);
        await convo.saveChanges(ctx);
        await user.saveChanges(ctx);
      });
      const replies: string[] = [];
      for (const m of messages) await adapter.send(m).assertReply((a) => void replies.push(a.text!));
      await store.close();
      return replies;
    };
    expect(await runBot(['你好', '我叫王姐'])).toEqual(['第1轮，陌生人', '第2轮，王姐']);
    expect(await runBot(['还记得我吗'])).toEqual(['第3轮，王姐']);
  });
});
