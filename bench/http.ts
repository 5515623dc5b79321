/**
 * npm run bench:http — POST /api/messages under load (autocannon, loopback only, bounded in
 * time), for a triage turn and a quiz turn, and in the same run a bare restify + CloudAdapter
 * echo bot for comparison. Each server runs in its own process (bench/http-servers.ts). Replies use deliveryMode expectReplies, so no outbound calls.
 * Prints turns/s, p50/p99 latency and the ratio to the bare bot.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** Every case first runs this long unmeasured (JIT, caches, the first read of each user's rows). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const USERS = 500;
/**
 * The V8 heap flags `npm start` runs the server with (a larger young generation: under load,
 * objects of turns in flight otherwise survive two scavenges and fill the old space). Both
 * servers get them, so the comparison stays fair.
 */
const START_FLAGS: string[] = (JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')).scripts.start as string)
  .split(/\s+/)
  .filter((t) => /^--max-[a-z-]+-size=\d+$/.test(t));

function body(userId: string, text: string) {
  return JSON.stringify({
    type: 'message',
    channelId: 'bench',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    conversation: { id: `c-${userId}` },
    from: { id: userId },
    recipient: { id: 'bot' },
    text,
  });
}

async function load(url: string, texts: string[], seconds = SECONDS) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/api/messages`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const i = n++;
          return { ...req, body: body(`u${i % USERS}`, texts[i % texts.length]) };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    total: result.requests.total,
  };
}

/** Start one of bench/http-servers.ts in its own process and wait for its port. */
function serve(which: 'bare' | 'app'): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [...START_FLAGS, '--import', 'tsx', path.join(import.meta.dirname, 'http-servers.ts'), which], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`${which} server exited (${code})`)));
  });
}

const TRIAGE = [
  '【通知】您的快递在运输中丢失，客服将为您办理三倍理赔，请添加微信并下载会议软件共享屏幕操作。',
  '刚才有个人打电话说是公安局的，说我涉嫌洗钱，要我把钱转到安全账户配合调查，还不让我告诉家里人。',
  '各位家长好，周五下午三点开家长会，请准时到校。',
  '【某银行】您尾号1234的卡消费支出128.00元，余额3,205.10元。',
  '兼职刷单，动动手指日赚三百，先垫付后返佣，加V详聊。',
];

async function main() {
  console.log(
    `bench:http — ${CONNECTIONS} connections, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up, ${USERS} simulated users, loopback; each server in its own process (node ${START_FLAGS.join(' ') || 'with default heap flags'}, as npm start)`,
  );
  const measure = async (url: string, texts: string[]) => {
    await load(url, texts, WARMUP_SECONDS);
    return load(url, texts);
  };
  const echo = await serve('bare');
  const bare = await measure(echo.url, ['你好']);
  echo.stop();
  // One fanzha-bot process serves both cases, as it would serve mixed traffic.
  const app = await serve('app');
  const triage = await measure(app.url, TRIAGE);
  const quiz = await measure(app.url, ['每日一题', '1']);
  app.stop();
  const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
    `${name.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} turns/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ` +
    `ratio ${(r.rps / bare.rps).toFixed(2)}   errors ${r.errors}/${r.total}`;
  console.log(row('bare echo bot', bare));
  console.log(row('triage turn', triage));
  console.log(row('quiz turn', quiz));
  process.exit(0);
}

void main();
