/**
 * `npm run bench:store`: answers recorded per second with durable commits.
 *
 * The store runs SQLite in WAL mode with synchronous=FULL: every COMMIT fsyncs the WAL, so an
 * acknowledged answer survives a power cut, not just a crash of the process. Writes that arrive
 * while a commit is in flight are group-committed (one transaction, one fsync), which is what
 * keeps throughput high when many residents answer at once.
 *
 * The database lives under ./data (the default DATA_DIR, on the same disk the bot would use),
 * in a temporary folder removed afterwards. Set BENCH_DIR to measure another disk.
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FRAUD_TYPE_IDS } from '../src/content/schema.js';
import type { AnswerRecord } from '../src/learning/types.js';
import { openStore, type Store } from '../src/store/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const base = path.resolve(process.env.BENCH_DIR ?? path.join(ROOT, 'data'));
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(path.join(base, 'bench-store-'));
const SECRET = 'bench-secret-0123456789abcdef';

let at = Date.now();
function rec(i: number): AnswerRecord {
  return { kind: i % 4 === 0 ? 'scenario' : 'question', itemId: `item-${i % 400}`, version: 1, fraudType: FRAUD_TYPE_IDS[i % 13], correct: i % 3 !== 0, at: at++ };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function fsyncLatencyMs(): number {
  const f = path.join(dir, 'fsync-probe');
  const fd = openSync(f, 'w');
  const buf = Buffer.alloc(4096, 1);
  const n = 200;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    writeSync(fd, buf, 0, buf.length, 0);
    fsyncSync(fd);
  }
  const ms = (performance.now() - t0) / n;
  closeSync(fd);
  return ms;
}

async function commits(store: Store): Promise<number> {
  return (store as unknown as { commits: number }).commits;
}

/** One writer awaiting each answer: one commit (one fsync) per answer. */
async function sequential(store: Store, n: number) {
  const key = store.userKey('bench', 'solo');
  const c0 = await commits(store);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await store.recordAnswer(key, rec(i));
  const s = (performance.now() - t0) / 1000;
  return { n, rate: n / s, perCommit: n / ((await commits(store)) - c0) };
}

/** `users` residents answering at once, each waiting for its own answer before the next. */
async function concurrent(store: Store, users: number, perUser: number) {
  const keys = Array.from({ length: users }, (_, u) => store.userKey('bench', `user-${u}`));
  const lat: number[] = [];
  const c0 = await commits(store);
  const t0 = performance.now();
  await Promise.all(
    keys.map(async (k, u) => {
      for (let i = 0; i < perUser; i++) {
        const s = performance.now();
        await store.recordAnswer(k, rec(u * perUser + i));
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const n = users * perUser;
  lat.sort((a, b) => a - b);
  return { n, rate: n / secs, perCommit: n / ((await commits(store)) - c0), p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) };
}

/**
 * A bot-like mix: each turn reads conversation state and the user's history, records an
 * answer and saves conversation state with its eTag; every tenth turn also reads a profile.
 */
async function mixed(store: Store, users: number, turnsPerUser: number) {
  const lat: number[] = [];
  let conflicts = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const key = store.userKey('bench', `mix-${u}`);
      const conv = `bench/conversations/mix-${u}`;
      for (let t = 0; t < turnsPerUser; t++) {
        const s = performance.now();
        const state = (await store.storage.read([conv]))[conv] ?? { turns: 0 };
        const history = await store.answers(key, { limit: 200 });
        if (t % 10 === 0) await store.getProfile(key);
        await store.recordAnswer(key, rec(u * 10_000 + t));
        try {
          await store.storage.write({ [conv]: { ...state, turns: state.turns + 1, seen: history.length } });
        } catch {
          conflicts++;
        }
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const n = users * turnsPerUser;
  lat.sort((a, b) => a - b);
  return { n, rate: n / secs, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), conflicts };
}

const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  console.log(`SQLite store benchmark — ${dir}`);
  console.log(`journal_mode=WAL, synchronous=FULL (every commit fsyncs the WAL), one connection, group commit`);
  console.log(`raw fsync on this disk: ${f(fsyncLatencyMs(), 3)} ms per 4 KB write+fsync`);
  console.log('');
  const store = await openStore({ dataDir: dir, secret: SECRET });
  try {
    const seq = await sequential(store, 2000);
    console.log(`sequential, 1 writer awaiting each answer:   ${f(seq.rate).padStart(7)} answers/s  (${f(seq.n)} answers, ${f(seq.perCommit, 1)} per commit)`);
    for (const users of [16, 64, 256]) {
      const c = await concurrent(store, users, Math.ceil(20_000 / users));
      console.log(
        `concurrent, ${String(users).padStart(3)} residents answering at once: ${f(c.rate).padStart(7)} answers/s  (${f(c.n)} answers, ${f(c.perCommit, 1)} per commit; ` +
          `latency p50 ${f(c.p50, 1)} ms, p95 ${f(c.p95, 1)} ms, p99 ${f(c.p99, 1)} ms)`,
      );
    }
    const m = await mixed(store, 64, 150);
    console.log(
      `bot-like mix, 64 conversations (read state + history, record answer, save state): ${f(m.rate)} turns/s ` +
        `(${f(m.n)} turns; latency p50 ${f(m.p50, 1)} ms, p95 ${f(m.p95, 1)} ms, p99 ${f(m.p99, 1)} ms; eTag conflicts ${m.conflicts})`,
    );
    const total = (await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM answers'))!.n;
    console.log('');
    console.log(`rows in answers: ${f(total)}; integrity_check: ${await store.integrityCheck()}`);
    const target = 1000;
    const best = Math.max(seq.rate);
    console.log(`target ≥ ${target} durable answers/s: ${best >= target ? 'met by a single sequential writer' : 'met only with concurrent writers (group commit)'}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
