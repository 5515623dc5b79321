/**
 * The restify server: POST /api/messages through CloudAdapter, GET /healthz, and the
 * routes other channels register (web chat, Direct Line, admin). Every request body is
 * bounded and checked before botbuilder sees it, and no internal error text reaches a client.
 */
import type { AddressInfo } from 'node:net';
import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import restify, { type Request, type Response, type Server } from 'restify';
import { zh as S } from '../bot/strings.zh.js';
import type { Logger } from '../log.js';
import type { FanzhaAdapter } from './cloud-adapter.js';
import { checkActivity, isLoopbackUrl, KeyedQueue, plausibleChannelToken, RateLimiter } from './guards.js';

export interface ServerOptions {
  adapter: FanzhaAdapter;
  /** The bot's turn logic. */
  logic: (context: TurnContext) => Promise<void>;
  log: Logger;
  /** No channel authentication: only loopback serviceUrls are served. */
  development: boolean;
  maxBodyBytes: number;
  ratePerMinute: number;
  /** Other routes (web page, Direct Line, admin) added on the same server. */
  routes?: ((server: Server, ctx: RouteContext) => void)[];
  /** Extra health details (e.g. content version). */
  health?: () => Record<string, unknown>;
  now?: () => number;
}

/** Shared with channels that run bot turns themselves (Direct Line). */
export interface RouteContext {
  /** One turn at a time per user, tracked for graceful shutdown. */
  turns: KeyedQueue;
  rate: RateLimiter;
  log: Logger;
  maxBodyBytes: number;
  /** Run `fn` when the server starts closing (before waiting for connections), e.g. to end WebSockets. */
  onClose(fn: () => void): void;
}

export interface HttpServer {
  server: Server;
  turns: KeyedQueue;
  listen(port: number, host?: string): Promise<number>;
  /** Stop accepting requests, wait for turns in flight, then resolve. */
  close(): Promise<void>;
}

const GENERIC: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  413: 'request body too large',
  415: 'unsupported media type',
  429: 'too many requests',
  500: 'internal error',
};

function fail(res: Response, status: number) {
  res.status(status);
  res.json({ error: GENERIC[status] ?? 'error' });
}

/**
 * The timestamp fix-up CloudAdapter.process applies before processActivity (botbuilder's
 * validateAndFixActivity, which the package does not export): ISO strings become Dates and
 * the raw text is kept.
 */
function fixTimestamps(activity: Activity): Activity {
  const a = activity as Activity & Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const v = a[field];
    if (typeof v === 'string') {
      a[raw] = v;
      a[field] = new Date(v) as never;
    }
  }
  return activity;
}

export function createHttpServer(opts: ServerOptions): HttpServer {
  const { adapter, log } = opts;
  const server = restify.createServer({ name: 'fanzha-bot', handleUncaughtExceptions: false });
  const turns = new KeyedQueue();
  const rate = new RateLimiter(opts.ratePerMinute, 60_000, opts.now);
  let closing = false;

  server.pre((req, res, next) => {
    if (closing) {
      res.header('Connection', 'close');
      res.status(503);
      res.json({ error: 'shutting down' });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: opts.maxBodyBytes, mapParams: false, mapFiles: false }));

  // restify's own errors (bad JSON, body too large, 404, 405) get short generic bodies.
  server.on('restifyError', (req: Request, res: Response, err: { statusCode?: number; toJSON?: () => unknown }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    err.toJSON = () => ({ error: GENERIC[status] ?? 'error' });
    if (status >= 500) log.error({ route: req.getRoute?.()?.path, status }, 'request failed');
    return cb();
  });

  server.get('/healthz', (req, res, next) => {
    res.json({ ok: true, ...(opts.health?.() ?? {}) });
    return next();
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      log.warn({ status: checked.status, reason: checked.reason }, 'activity refused');
      fail(res, checked.status);
      return;
    }
    const activity = checked.value;
    if (!opts.development && !plausibleChannelToken(req.headers.authorization)) {
      log.warn({ reason: 'missing or malformed channel token' }, 'activity refused');
      fail(res, 401);
      return;
    }
    if (opts.development && !isLoopbackUrl(activity.serviceUrl)) {
      log.warn({ reason: 'non-loopback serviceUrl in development mode' }, 'activity refused');
      fail(res, 403);
      return;
    }
    const who = `${activity.channelId}\u0000${activity.from.id}`;
    const verdict = activity.type === 'message' ? rate.hit(who) : 'ok';
    if (verdict === 'refused') {
      fail(res, 429);
      return;
    }
    // The activity is already parsed and checked, so the turn goes straight to processActivity
    // (CloudAdapter.process would only re-validate it with schemas it builds on every call).
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const logic = verdict === 'first-refusal' ? async (ctx: TurnContext) => void (await ctx.sendActivity(S.rateLimited)) : opts.logic;
    try {
      const result = await turns.run(who, () => adapter.runTurn(authHeader, fixTimestamps(activity as unknown as Activity), logic));
      const status = result?.status ?? 200;
      // An error status from the bot gets the generic body: no internal text reaches a client.
      if (status >= 500 || status === 401 || status === 403) return fail(res, status >= 500 ? 500 : status);
      res.status(status);
      if (result?.body !== undefined && result.body !== null && result.body !== '') res.send(result.body);
      else res.end();
    } catch (err) {
      if (err instanceof AuthenticationError) {
        log.warn({ reason: 'channel token refused' }, 'activity refused');
        if (!res.headersSent) fail(res, 401);
        return;
      }
      log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'turn failed outside the bot');
      if (!res.headersSent) fail(res, 500);
    }
  });

  const closeHooks: (() => void)[] = [];
  for (const add of opts.routes ?? []) add(server, { turns, rate, log, maxBodyBytes: opts.maxBodyBytes, onClose: (fn) => closeHooks.push(fn) });

  return {
    server,
    turns,
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      closing = true;
      for (const fn of closeHooks) fn();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await turns.idle();
      // Keep-alive sockets would hold close() open; they carry no turn any more.
      (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
    },
  };
}
