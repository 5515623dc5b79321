import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, resolveSecret } from '../../src/store/index.js';
import { PROJECT_ROOT, startTestApp } from '../helpers/app.js';

describe('when the service is asked to stop', () => {
  it('then close() waits for a turn in flight before it resolves', async () => {
    let finished = false;
    const app = await startTestApp({}, {
      routes: [
        (server, ctx) => {
          server.post('/test/slow', async (_req: unknown, res: { json(b: unknown): void }) => {
            await ctx.turns.run('someone', async () => {
              await new Promise((r) => setTimeout(r, 300));
              finished = true;
            });
            res.json({ ok: true });
          });
        },
      ],
    });
    const pending = fetch(`${app.url}/test/slow`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 50));
    await app.close();
    expect(finished).toBe(true);
    expect((await pending).status).toBe(200);
  });

  it('then SIGTERM to `npm start` finishes, closes the database cleanly and exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fanzha-sigterm-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_WATCH: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${err}`)), 20_000);
      child.stderr.on('data', (d) => {
        err += d;
        const m = /127\.0\.0\.1:(\d+)/.exec(err);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        channelId: 'emulator',
        serviceUrl: 'http://127.0.0.1:9',
        deliveryMode: 'expectReplies',
        conversation: { id: 'c1' },
        from: { id: 'u1' },
        recipient: { id: 'bot' },
        text: '每日一题',
      }),
    });
    expect(res.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toContain('shutting down');
    const store = await openStore({ dataDir, secret: resolveSecret({ dataDir, env: {} }).secret });
    expect(await store.integrityCheck()).toBe('ok');
    await store.close();
  });
});
