/**
 * npm run bench:web — the web chat's two figures, loopback only, bounded in time and count:
 *
 * 1. What a phone downloads to open the page: every file / references, on the wire, with
 *    brotli (HTTPS browsers), gzip (plain HTTP: browsers only offer brotli over HTTPS) and
 *    none, and how long that takes on slow mobile links.
 * 2. How many web conversations one server process holds while each polls at Web Chat's
 *    default interval (1 s, directlinejs' default): conversations are started in steps (each
 *    start runs the bot's greeting turn), then autocannon polls them round-robin at one poll
 *    per conversation per second for a few seconds (latency percentiles, errors, server CPU
 *    and memory). The run stops at the first step that misses the target (p97.5 ≤ 250 ms, no
 *    errors, ≥ 95 % of the polls served) or at the time/count bound.
 *
 * The server is the real service (startApp), started in a child process so the load
 * generator does not share its CPU. Flags: --seconds N (total budget, default 150),
 * --max N (most conversations, default 8000), --step-seconds N (default 8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { TokenSigner } from '../src/channels/directline/tokens.js';

const POLL_MS = 1000; // botframework-directlinejs default pollingInterval, which Web Chat keeps
const TARGET_MS = 250;
const SECRET = 'bench-web-secret-0123456789abcdef';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

// ---------------------------------------------------------------------------------------------
// Parent: the measurements.

function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) resolve({ child, base: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function request(
  base: string,
  method: string,
  p: string,
  opts: { token?: string; body?: unknown; encoding?: string } = {},
): Promise<{ status: number; bytes: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      `${base}${p}`,
      {
        method,
        agent,
        headers: {
          ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          ...(opts.encoding !== undefined ? { 'Accept-Encoding': opts.encoding } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, bytes: body.length, headers: res.headers, text: res.headers['content-encoding'] ? '' : body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pageWeight(base: string) {
  // The bundle is compressed with brotli once per version (seconds; cached in .cache/webchat).
  const html = (await request(base, 'GET', '/', { encoding: '' })).text;
  const urls = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
  const unique = [...new Set(urls)];
  const bundle = unique.find((u) => u.includes('webchat.js'))!;
  const deadline = Date.now() + 60_000;
  while ((await request(base, 'GET', bundle, { encoding: 'br' })).headers['content-encoding'] !== 'br' && Date.now() < deadline) await sleep(250);

  const rows: { file: string; raw: number; br: number; gzip: number }[] = [];
  for (const u of ['/', ...unique]) {
    const [raw, br, gz] = await Promise.all([request(base, 'GET', u, { encoding: '' }), request(base, 'GET', u, { encoding: 'br' }), request(base, 'GET', u, { encoding: 'gzip' })]);
    rows.push({ file: u.replace(/\?v=.*/, ''), raw: raw.bytes, br: br.bytes, gzip: gz.bytes });
  }
  const total = (k: 'raw' | 'br' | 'gzip', only?: (f: string) => boolean) => rows.filter((r) => !only || only(r.file)).reduce((n, r) => n + r[k], 0);
  const shell = (f: string) => !f.includes('webchat.js');

  console.log('\n== Page weight: what a phone downloads to open / ==');
  console.log('file'.padEnd(24) + 'raw'.padStart(12) + 'brotli'.padStart(12) + 'gzip'.padStart(12));
  for (const r of rows) console.log(r.file.padEnd(24) + kb(r.raw).padStart(12) + kb(r.br).padStart(12) + kb(r.gzip).padStart(12));
  console.log('total'.padEnd(24) + kb(total('raw')).padStart(12) + kb(total('br')).padStart(12) + kb(total('gzip')).padStart(12));
  console.log(`page shell before Web Chat (header, hotlines, css, js): ${kb(total('br', shell))} brotli / ${kb(total('gzip', shell))} gzip`);
  const links: [string, number, number][] = [
    ['slow 3G (400 kbit/s, 400 ms RTT)', 400_000, 0.4],
    ['3G (1.6 Mbit/s, 150 ms RTT)', 1_600_000, 0.15],
    ['4G (9 Mbit/s, 50 ms RTT)', 9_000_000, 0.05],
  ];
  for (const [name, bps, rtt] of links) {
    // Connection + TLS + the HTML, then the files in parallel: ~4 round trips plus transfer.
    const t = (enc: 'br' | 'gzip') => 4 * rtt + (total(enc) * 8) / bps;
    console.log(`  ${name.padEnd(34)} ≈ ${t('br').toFixed(1)} s over HTTPS (brotli), ${t('gzip').toFixed(1)} s over plain HTTP (gzip); shell shows after ≈ ${(3 * rtt + (total('br', shell) * 8) / bps).toFixed(1)} s`);
  }
  console.log('  On a repeat visit everything but the page itself is cached for a year (content-hashed URLs); the page revalidates with an ETag.');
  return { br: total('br'), gzip: total('gzip'), raw: total('raw') };
}

// --- polling load --------------------------------------------------------------------------------

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s on Linux)
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Conv {
  id: string;
  token: string;
}

async function main() {
  const budgetS = flag('seconds', 150);
  const maxConvs = flag('max', 8000);
  const stepS = flag('step-seconds', 8);
  const started = Date.now();
  const { child, base } = await startServer();
  const pid = child.pid!;
  try {
    const weight = await pageWeight(base);

    console.log(`\n== Conversations one process holds, each polling every ${POLL_MS} ms (Web Chat's default) ==`);
    console.log(`target: p97.5 poll latency ≤ ${TARGET_MS} ms, no errors, ≥ 95 % of the polls served; bounds: ${maxConvs} conversations, ${budgetS} s`);
    console.log('convs'.padStart(6) + 'polls/s'.padStart(9) + 'p50 ms'.padStart(8) + 'p90 ms'.padStart(8) + 'p97.5'.padStart(7) + 'p99 ms'.padStart(8) + 'errors'.padStart(8) + 'cpu %'.padStart(7) + 'rss MB'.padStart(8));

    // Identities are minted here with the service's secret (the session endpoint limits how
    // many one address may open per minute, and every bench client shares 127.0.0.1).
    const signer = new TokenSigner(SECRET);
    const convs: Conv[] = [];

    async function addConversations(n: number) {
      const batch = 50;
      for (let i = 0; i < n; i += batch) {
        await Promise.all(
          Array.from({ length: Math.min(batch, n - i) }, async () => {
            const userId = signer.verifyIdentity(signer.issueIdentity())!;
            const { token } = signer.issueToken(userId, 3600);
            const r = await request(base, 'POST', '/v3/directline/conversations', { token, body: {} });
            if (r.status !== 201) throw new Error(`start conversation: ${r.status} ${r.text}`);
            const j = JSON.parse(r.text) as { conversationId: string; token: string };
            convs.push({ id: j.conversationId, token: j.token });
          }),
        );
      }
    }

    /** N conversations polling once a second = N polls/s spread round-robin over them (steady state: nothing new, watermark 1). */
    async function pollLoad(n: number, seconds: number) {
      let i = 0;
      const result = await autocannon({
        url: base,
        // Keep-alive connections shared by the simulated browsers; each sends one poll at a time.
        connections: Math.max(8, Math.min(64, Math.round(n / 10))),
        overallRate: n,
        duration: seconds,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              const c = convs[i++ % n];
              return { ...req, path: `/v3/directline/conversations/${c.id}/activities?watermark=1`, headers: { authorization: `Bearer ${c.token}` } };
            },
          },
        ],
      });
      return result;
    }

    const steps = [100, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 16000].filter((n) => n <= maxConvs);
    let held = 0;
    let lastCpu = NaN;
    let stopReason = `reached the bound of ${maxConvs} conversations`;
    for (const target of steps) {
      if ((Date.now() - started) / 1000 + stepS + 10 > budgetS) {
        stopReason = `reached the time bound of ${budgetS} s`;
        break;
      }
      await addConversations(target - convs.length);
      await pollLoad(target, 2); // warm-up: connections open, JIT warm, not measured
      const cpu0 = cpuSeconds(pid);
      const t0 = Date.now();
      const r = await pollLoad(target, stepS);
      const wall = (Date.now() - t0) / 1000;
      const cpu = ((cpuSeconds(pid) - cpu0) / wall) * 100;
      const errors = r.errors + r.non2xx + r.timeouts;
      const rate = r.requests.total / stepS;
      const lat = r.latency as unknown as Record<string, number>;
      console.log(
        String(target).padStart(6) +
          rate.toFixed(0).padStart(9) +
          String(lat.p50).padStart(8) +
          String(lat.p90).padStart(8) +
          String(lat.p97_5).padStart(7) +
          String(lat.p99).padStart(8) +
          String(errors).padStart(8) +
          cpu.toFixed(0).padStart(7) +
          rssMb(pid).toFixed(0).padStart(8),
      );
      if (lat.p97_5 > TARGET_MS || errors > 0) {
        stopReason = `${target} conversations missed the target (${errors ? `${errors} errors` : `p97.5 ${lat.p97_5} ms`})`;
        break;
      }
      if (rate < 0.95 * target) {
        stopReason =
          cpu < 80
            ? `at ${target} conversations the load generator could not send more than ${rate.toFixed(0)} polls/s while the server used ${cpu.toFixed(0)} % of a core: the server was not the limit`
            : `${target} conversations missed the target (only ${rate.toFixed(0)} polls/s served, server CPU ${cpu.toFixed(0)} %)`;
        break;
      }
      held = target;
      lastCpu = cpu;
    }

    console.log(`\nstopped: ${stopReason}`);
    console.log(`\n== Summary ==`);
    console.log(`page transferred: ${kb(weight.br)} with brotli (HTTPS), ${kb(weight.gzip)} with gzip (plain HTTP), ${kb(weight.raw)} uncompressed`);
    console.log(
      `one process held ${held} concurrent web conversations polling every ${POLL_MS} ms within p97.5 ≤ ${TARGET_MS} ms, ` +
        `using ${lastCpu.toFixed(0)} % of one core (load generator on the same machine: ${os.cpus().length} CPUs, ${os.cpus()[0]?.model.trim()}, Node ${process.version})`,
    );
    if (lastCpu > 0 && lastCpu < 80) {
      console.log(`at that CPU share one core would serve about ${Math.round((held * 100) / lastCpu / 500) * 500} such conversations (extrapolated, not measured)`);
    }
  } finally {
    child.stdin!.end();
    child.kill('SIGTERM');
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Child: the service itself.
async function serve() {
  const { loadConfig } = await import('../src/config.js');
  const { startApp } = await import('../src/index.js');
  const { silentLogger } = await import('../src/log.js');
  const app = await startApp(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'fanzha-bench-web-')),
      CONTENT_WATCH: '0',
      LOG_LEVEL: 'silent',
      USER_KEY_SECRET: SECRET,
      WEBCHAT_MAX_CONVERSATIONS: '100000',
    }),
    { log: silentLogger },
  );
  process.stdout.write(JSON.stringify({ port: app.port }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => void app.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}


if (process.argv.includes('--serve')) await serve();
else await main();
