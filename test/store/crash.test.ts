import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { SECRET, tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WRITER = path.join(import.meta.dirname, 'crash-writer.ts');

/** Start the writer, wait for `acks` acknowledged answers, SIGKILL it, and return what it acknowledged. */
function writeThenKill(dataDir: string, first: number, acks: number): Promise<{ answers: number[]; states: number[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(first)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const answers: number[] = [];
    const states: number[] = [];
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [what, n] = line.split(' ');
      if (what === 'ack') answers.push(Number(n));
      if (what === 'state') states.push(Number(n));
      if (!killed && answers.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed) reject(new Error(`writer exited early (${code}): ${stderr}`));
      // Lines already read are all we count as acknowledged; anything after the kill is ignored.
      else resolve({ answers: [...answers], states: [...states], signal });
    });
  });
}

describe('when the process is killed while writing answers', () => {
  it('then after reopening the file passes integrity_check and every acknowledged write is there', async () => {
    const dir = tempDir();
    const acked: number[] = [];
    const states: number[] = [];
    for (let round = 0; round < 3; round++) {
      const r = await writeThenKill(dir, round * 1_000_000, 400 + round * 150);
      expect(r.signal).toBe('SIGKILL');
      acked.push(...r.answers);
      states.push(...r.states);

      const store = await openStore({ dataDir: dir, secret: SECRET });
      expect(await store.integrityCheck()).toBe('ok');
      const have = new Set((await store.answers(store.userKey('webchat', 'crash-user'))).map((a) => Number(a.itemId.slice('crash-'.length))));
      const missing = acked.filter((i) => !have.has(i));
      expect(missing, `lost ${missing.length} acknowledged answers`).toEqual([]);
      // No doubles: the unique index holds.
      const dup = await store.get<{ n: number }>('SELECT COUNT(*) - COUNT(DISTINCT item_id) AS n FROM answers');
      expect(dup).toEqual({ n: 0 });
      const stateKeys = states.map((i) => `webchat/conversations/crash-${i}`);
      expect(Object.keys(await store.storage.read(stateKeys)).length).toBe(stateKeys.length);
      await store.close();
    }
    expect(acked.length).toBeGreaterThanOrEqual(400 + 550 + 700);
  }, 60_000);
});
