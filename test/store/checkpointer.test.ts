import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/store/checkpointer.js';
import { openStore } from '../../src/store/index.js';
import { answer, SECRET, tempDir } from './helpers.js';

describe('when the WAL is checkpointed off the commit path', () => {
  it('then a checkpoint after commits copies every WAL frame into the database, and none runs without commits', async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir, secret: SECRET });
    let commits = 0;
    const cp = await Checkpointer.open(path.join(dir, 'fanzha.db'), () => commits, 60_000);
    const key = store.userKey('webchat', 'cp');
    for (let i = 0; i < 30; i++) await store.recordAnswer(key, answer(i, { at: 1000 + i }));
    commits = 30;
    await cp.tick();
    expect(cp.last?.log).toBeGreaterThan(0);
    expect(cp.last?.checkpointed).toBe(cp.last?.log);
    const before = cp.last;
    await cp.tick(); // no commits since: nothing to do
    expect(cp.last).toBe(before);
    await cp.close();
    expect(await store.answers(key)).toHaveLength(30);
    await store.close();
  });
});
