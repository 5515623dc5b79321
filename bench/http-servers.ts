/**
 * The two servers bench:http compares, each started in its own process so the load generator
 * does not steal their event loop: `app` is fanzha-bot exactly as `npm start` wires it,
 * `bare` is a minimal restify + CloudAdapter echo bot. Prints "port N" when listening.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/index.js';
import { silentLogger } from '../src/log.js';

async function bare(): Promise<{ port: number; close: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(`echo: ${ctx.activity.text}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function app(): Promise<{ port: number; close: () => Promise<void> }> {
  const a = await startApp(
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
  return { port: a.port, close: () => a.close() };
}

const which = process.argv[2];
const s = which === 'bare' ? await bare() : which === 'app' ? await app() : (console.error('usage: http-servers.ts bare|app'), process.exit(2));
process.stdout.write(`port ${s.port}\n`);
process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
