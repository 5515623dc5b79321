/**
 * Composition root: the only place that reads the environment and creates objects.
 * `npm start` runs main(); tests and the terminal chat call buildCore()/startApp() with
 * their own config so they exercise exactly what production runs.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { FanzhaBot } from './bot/bot.js';
import { TurnStateStore } from './bot/turn-state.js';
import { createClassFlow } from './bot/class-flow.js';
import type { BotServices, ClassPort, Insights } from './bot/services.js';
import { createInsights, type BufferedInsights } from './store/insights.js';
import { adminRoutes } from './channels/admin.js';
import { FanzhaAdapter } from './channels/cloud-adapter.js';
import { classRoutes } from './channels/class-routes.js';
import { createHttpServer, type HttpServer, type RouteContext } from './channels/server.js';
import { createWebChannels } from './channels/web.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { LiveContent } from './content/live.js';
import { ContentError } from './content/load.js';
import { formatProblem } from './content/yaml-file.js';
import { createLogger, type Logger } from './log.js';
import { createClassRepo } from './store/classes.js';
import { openStore, resolveSecret, StoreError, type Store } from './store/index.js';
import { cachedEngine } from './model-cache.js';
import type { Triage } from './triage/types.js';
import type { Server } from 'restify';

export interface Core {
  config: Config;
  log: Logger;
  live: LiveContent<{ triage: Triage }>;
  store: Store;
  bot: FanzhaBot;
  services: BotServices;
  /** Where class join and report links point: PUBLIC_URL, else this server once it listens. */
  links: { base: string };
  /** Anonymous counts for staff, buffered (flush before reading them). */
  insights: BufferedInsights;
  close(): Promise<void>;
}

export interface CoreOverrides {
  log?: Logger;
  now?: () => number;
  insights?: Insights;
  classes?: ClassPort;
}

/** Content, triage, store and bot: everything but the HTTP server. */
export async function buildCore(config: Config, o: CoreOverrides = {}): Promise<Core> {
  const log = o.log ?? createLogger(config.LOG_LEVEL);
  // The trained model is cached under DATA_DIR (writable even when the content folder is not).
  const modelCache = path.join(config.dataDir, 'cache');
  const live = new LiveContent(config.contentRoot, (content) => ({ triage: cachedEngine(content, modelCache, { cache: true }) as Triage }), log, modelCache);
  const secret = resolveSecret({ dataDir: config.dataDir, env: config.USER_KEY_SECRET ? { USER_KEY_SECRET: config.USER_KEY_SECRET } : {} });
  const store = await openStore({ dataDir: config.dataDir, secret: secret.secret });
  const buffered = createInsights(store, log);
  const insights: Insights = o.insights ?? buffered;
  const links = { base: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` };
  const classes = o.classes ?? createClassFlow({ store, content: () => live.current.content, sessionHours: config.CLASS_SESSION_HOURS, baseUrl: () => links.base, log });
  const services: BotServices = {
    content: () => live.current.content,
    triage: () => live.current.derived.triage,
    store,
    insights,
    classes,
    now: o.now ?? Date.now,
    log,
  };
  const bot = new FanzhaBot(services, new TurnStateStore(store.storage));
  return {
    config,
    log,
    live,
    store,
    bot,
    services,
    links,
    insights: buffered,
    async close() {
      live.close();
      await buffered.close();
      await store.close();
    },
  };
}

export interface App extends Core {
  http: HttpServer;
  port: number;
  adapter: FanzhaAdapter;
}

export interface AppOverrides extends CoreOverrides {
  /** Extra routes (tests); the product's own channels are always added. */
  routes?: ((server: Server, ctx: RouteContext) => void)[];
}

/** Build the core, the Bot Framework adapter and the HTTP server, and listen. */
export async function startApp(config: Config, o: AppOverrides = {}): Promise<App> {
  const core = await buildCore(config, o);
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new FanzhaAdapter(auth);
  adapter.onTurnError = (context, error) => core.bot.onTurnError(context, error);
  if (config.CONTENT_WATCH) core.live.watch();
  const http = createHttpServer({
    adapter,
    logic: (context) => core.bot.run(context),
    log: core.log,
    development: config.development,
    maxBodyBytes: config.MAX_BODY_BYTES,
    ratePerMinute: config.RATE_LIMIT_PER_MINUTE,
    routes: [
      ...(o.routes ?? []),
      ...createWebChannels({ config, logic: (context) => core.bot.run(context), onTurnError: (context, error) => core.bot.onTurnError(context, error), log: core.log, now: o.now }).routes,
      classRoutes({ repo: createClassRepo(core.store), content: () => core.live.current.content, now: o.now ?? Date.now }),
      adminRoutes({ token: config.ADMIN_TOKEN, store: core.store, beforeRead: () => core.insights.flush(), content: () => core.live.current.content, reload: () => core.live.reloadInBackground(), now: o.now ?? Date.now, secureCookie: config.PUBLIC_URL?.startsWith('https:') }),
    ],
    health: () => ({ content: core.live.current.content.fingerprint.slice(0, 12) }),
    now: o.now,
  });
  const port = await http.listen(config.PORT, config.HOST);
  if (!config.PUBLIC_URL) core.links.base = `http://localhost:${port}`;
  return {
    ...core,
    http,
    port,
    adapter,
    async close() {
      await http.close();
      await core.close();
    },
  };
}

/** Human-readable start-up failure, no stack trace. */
export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof ContentError) return `内容有误，无法启动（运行 npx fanzha validate 查看）：\n${err.problems.slice(0, 20).map(formatProblem).join('\n')}`;
  if (err instanceof StoreError) return err.message;
  if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') return '端口被占用了：换一个 PORT，或者先关掉占用它的程序。';
  return `启动失败：${(err as Error)?.message ?? String(err)}`;
}

async function main() {
  let app: App;
  try {
    const config = loadConfig();
    app = await startApp(config);
    const where = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${app.port}`;
    app.log.info({ port: app.port, development: config.development }, 'fanzha-bot listening');
    process.stderr.write(
      `反诈助手已启动：网页聊天 ${where}/ ，Bot Framework 接口 ${where}/api/messages` +
        (config.development ? '\n开发模式：/api/messages 不做渠道身份验证，只回复本机地址（生产环境请设置 MicrosoftAppId）。' : '') +
        '\n',
    );
  } catch (err) {
    process.stderr.write(describeStartupError(err) + '\n');
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing turns in flight');
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
