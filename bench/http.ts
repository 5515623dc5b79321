/**
 * npm run bench:http — POST /api/messages under load (autocannon, loopback only, bounded in
 * time), for a triage turn and a quiz turn, and in the same run a bare restify + CloudAdapter
 * echo bot for comparison. Replies use deliveryMode expectReplies, so no outbound calls.
 * Prints turns/s, p50/p99 latency and the ratio to the bare bot.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/index.js';
import { silentLogger } from '../src/log.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const USERS = 500;

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

async function load(url: string, texts: string[]) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/api/messages`,
    connections: CONNECTIONS,
    duration: SECONDS,
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

async function bareEchoBot() {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(`echo: ${ctx.activity.text}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const TRIAGE = [
  '【通知】您的快递在运输中丢失，客服将为您办理三倍理赔，请添加微信并下载会议软件共享屏幕操作。',
  '刚才有个人打电话说是公安局的，说我涉嫌洗钱，要我把钱转到安全账户配合调查，还不让我告诉家里人。',
  '各位家长好，周五下午三点开家长会，请准时到校。',
  '【某银行】您尾号1234的卡消费支出128.00元，余额3,205.10元。',
  '兼职刷单，动动手指日赚三百，先垫付后返佣，加V详聊。',
];

async function main() {
  const echo = await bareEchoBot();
  const app = await startApp(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'fanzha-bench-http-')),
      CONTENT_ROOT: path.resolve(import.meta.dirname, '..'),
      CONTENT_WATCH: '0',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '10000',
    }),
    { log: silentLogger },
  );
  const url = `http://127.0.0.1:${app.port}`;
  console.log(`bench:http — ${CONNECTIONS} connections, ${SECONDS} s each, ${USERS} simulated users, loopback`);
  const bare = await load(echo.url, ['你好']);
  const triage = await load(url, TRIAGE);
  const quiz = await load(url, ['每日一题', '1']);
  const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
    `${name.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} turns/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ` +
    `ratio ${(r.rps / bare.rps).toFixed(2)}   errors ${r.errors}/${r.total}`;
  console.log(row('bare echo bot', bare));
  console.log(row('triage turn', triage));
  console.log(row('quiz turn', quiz));
  await app.close();
  await echo.close();
}

void main();
