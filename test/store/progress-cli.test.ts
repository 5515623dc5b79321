import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openStore, resolveSecret } from '../../src/store/index.js';
import { writeMiniContent } from '../content/mini-content.js';
import { tempDir } from './helpers.js';

const T0 = Date.now() - 3 * 86_400_000;
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.USER_KEY_SECRET;
  delete process.env.USER_KEY_SECRET;
});
afterEach(() => {
  if (saved !== undefined) process.env.USER_KEY_SECRET = saved;
});

async function progress(root: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['progress', ...args], { cwd: root, stdin: Readable.from([]), out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A data folder where the bot (same secret logic) has recorded some of alice's progress. */
async function seeded(channel = 'webchat') {
  const dataDir = tempDir();
  const store = await openStore({ dataDir, secret: resolveSecret({ dataDir, env: {} }).secret });
  const k = store.userKey(channel, 'alice');
  await store.saveProfile(k, { group: 'elderly' });
  await store.recordAnswer(k, { kind: 'scenario', itemId: 'test-scenario', version: 1, fraudType: 'impersonate-officials', correct: true, at: T0 });
  await store.recordAnswer(k, { kind: 'question', itemId: 'q-test-001', version: 1, fraudType: 'impersonate-officials', correct: true, at: T0 + 1000 });
  await store.recordAnswer(k, { kind: 'question', itemId: 'q-test-002', version: 1, fraudType: 'order-brushing', correct: false, at: T0 + 2000 });
  await store.close();
  return dataDir;
}

describe('when staff look up a user\'s progress', () => {
  it('then mastery per type, due reviews and the next step are printed in Chinese', async () => {
    const data = await seeded();
    const r = await progress(writeMiniContent(), ['--user', 'alice', '--data', data]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/用户 alice（渠道 webchat）\s+人群：人群7/);
    expect(r.out).toContain('已掌握 1/13 类；答题 2 次，答对 1 次；情景 1 次，躲过骗局 1 次');
    expect(r.out).toMatch(/测试类型\s+100%\s+2\/2\s+✔ 已掌握/);
    expect(r.out).toMatch(/测试类型\s+0%\s+0\/1\s+再答对 3 道不同的题/);
    expect(r.out).toContain('该复习的（');
    expect(r.out).toMatch(/题目「有人叫你刷单，怎么办？」（测试类型，第 1 盒，上次答错了）/);
    expect(r.out).toMatch(/下一步推荐：.+—— .+/);
    expect(r.out).toContain('证书：还差 12 类没掌握。');
  });

  it('then the channel is found among the usual ones, or can be given', async () => {
    const data = await seeded('directline');
    expect((await progress(writeMiniContent(), ['--user', 'alice', '--data', data])).out).toContain('渠道 directline');
    const r = await progress(writeMiniContent(), ['--user', 'alice', '--data', data, '--channel', 'webchat']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('没有找到这个用户的记录（渠道 webchat）');
  });

  it('then a missing database, a missing secret and a missing --user are clear errors', async () => {
    const root = writeMiniContent();
    const empty = tempDir();
    const r1 = await progress(root, ['--user', 'alice', '--data', empty]);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain('还没有数据库');
    const data = await seeded();
    const { rmSync } = await import('node:fs');
    rmSync(path.join(data, 'secret.key'));
    const r2 = await progress(root, ['--user', 'alice', '--data', data]);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain('找不到用户密钥');
    expect((await progress(root, [])).code).toBe(2);
  });

  it('then content problems still show mastery, without a recommendation', async () => {
    const data = await seeded();
    const r = await progress(writeMiniContent({ 'knowledge/advice.yaml': null }), ['--user', 'alice', '--data', data]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/内容有 1 处问题/);
    expect(r.out).toMatch(/冒充公检法、政府机关类\s+100%/);
    expect(r.out).not.toContain('下一步推荐');
  });
});
