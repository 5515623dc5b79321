import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveContent } from '../../src/content/live.js';
import { silentLogger } from '../../src/log.js';
import { cachedEngine } from '../../src/model-cache.js';
import { PROJECT_ROOT } from '../helpers/app.js';

function copyOfContent(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fanzha-live-'));
  cpSync(path.join(PROJECT_ROOT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
  cpSync(path.join(PROJECT_ROOT, 'scenarios'), path.join(root, 'scenarios'), { recursive: true });
  return root;
}

/** Longest gap between timer ticks while `work` runs: how long the event loop was blocked. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const t = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  await work();
  clearInterval(t);
  return worst;
}

describe('when staff change content while the server runs', () => {
  it('then a valid change is loaded and trained in a worker, and the event loop keeps turning', async () => {
    const root = copyOfContent();
    const cacheDir = path.join(root, '.cache');
    const live = new LiveContent(root, (c) => ({ triage: cachedEngine(c, cacheDir, { cache: true }) }), silentLogger, cacheDir);
    const before = live.current.content.fingerprint;
    const file = path.join(root, 'knowledge/fraud-types/game-trading.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s*zh:\s*).*$/m, '$1游戏账号装备虚假交易类'));
    let result: Awaited<ReturnType<typeof live.reloadInBackground>> | undefined;
    const stall = await longestStall(async () => (result = await live.reloadInBackground()));
    expect(result).toMatchObject({ ok: true, changed: true });
    expect(live.current.content.fingerprint).not.toBe(before);
    expect(live.current.content.fraudTypeById.get('game-trading')?.name.zh).toBe('游戏账号装备虚假交易类');
    expect(live.current.derived.triage.analyse('有人说低价卖游戏皮肤，要我先转定金到他的支付宝').verdict).not.toBe('low-risk');
    // Training happened in the worker; the main thread only restored the model and swapped.
    expect(stall).toBeLessThan(600);
    live.close();
  }, 60_000);

  it('then an invalid change keeps the old content serving and reports file:line problems', async () => {
    const root = copyOfContent();
    const live = new LiveContent(root, (c) => ({ n: c.scenarios.length }), silentLogger);
    const before = live.current;
    writeFileSync(path.join(root, 'knowledge/followups.yaml'), 'followups:\n  - id: x\n    ask: [broken\n');
    const r = await live.reloadInBackground();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ file: 'knowledge/followups.yaml' });
    expect(live.current).toBe(before);
    live.close();
  }, 60_000);

  it('then reloads asked for during a reload are coalesced, not run in parallel', async () => {
    const root = copyOfContent();
    const live = new LiveContent(root, (c) => c.fingerprint, silentLogger);
    const [a, b] = [live.reloadInBackground(), live.reloadInBackground()];
    expect(a).toBe(b);
    await a;
    live.close();
  }, 60_000);
});
