/**
 * The built-in Direct Line channel: the Direct Line 3.0 REST subset that botframework-webchat
 * and botframework-directlinejs use with polling, served by this process and running the bot
 * in-process through DirectLineAdapter.
 *
 *   POST /v3/directline/tokens/generate          Bearer <identity>  → {conversationId, token, expires_in}
 *   POST /v3/directline/tokens/refresh           Bearer <token>     → {conversationId?, token, expires_in}
 *   POST /v3/directline/conversations            Bearer <token>     → 201 {conversationId, token, expires_in}
 *   GET  /v3/directline/conversations/:id        Bearer <token>     → reconnect {conversationId, token, expires_in}
 *   POST /v3/directline/conversations/:id/activities                → {id}
 *   GET  /v3/directline/conversations/:id/activities?watermark=N    → {activities, watermark}
 *   GET  /v3/directline/conversations/:id/stream?t=<token>          → WebSocket (streams.ts)
 *
 * Conversation bodies carry a `streamUrl` (as Azure's do), so clients with their default
 * webSocket: true receive activities over a WebSocket; the page itself polls.
 *
 * Every request is authenticated by a signed token; the user id comes from the token, never
 * from the client's activity. Errors are short JSON bodies in Direct Line's shape
 * `{error: {code, message}}`, never stack traces.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { zh as S } from '../../bot/strings.zh.js';
import type { Logger } from '../../log.js';
import { allowCrossOrigin } from '../cors.js';
import { RateLimiter } from '../guards.js';
import type { RouteContext } from '../server.js';
import { BOT_ACCOUNT, DirectLineAdapter, DIRECTLINE_CHANNEL_ID, DIRECTLINE_SERVICE_URL, type TurnLogic } from './adapter.js';
import { ConversationFull, Conversations, DEFAULT_LIMITS, type Conversation, type ConversationLimits } from './conversations.js';
import { checkInbound, MAX_ACTIVITY_BYTES, parseWatermark } from './inbound.js';
import { DEFAULT_STREAM_LIMITS, refuseUpgrade, Streams, type StreamLimits } from './streams.js';
import { bearer, CONVERSATION_ID_RE, newUserId, TokenSigner, type TokenClaims } from './tokens.js';

export const DIRECTLINE_PATH = '/v3/directline';
const STREAM_PATH_RE = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{22})\/stream$/;
/** host, host:port, IPv4 or [IPv6] with an optional port: nothing else goes into a stream URL. */
const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;
/** Lifetime of the token inside a streamUrl: enough to open the socket right away. */
const STREAM_TOKEN_SECONDS = 120;

export interface DirectLineOptions {
  /** HMAC secret for identities and tokens (the service secret). */
  secret: string;
  /** The bot's turn logic (FanzhaBot.run). */
  logic: TurnLogic;
  /** The bot's error handler (FanzhaBot.onTurnError). */
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  log: Logger;
  now?: () => number;
  /** Token lifetime; directlinejs refreshes at half of 30 minutes, so keep it ≥ 20 minutes. */
  tokenTtlSeconds?: number;
  limits?: Partial<ConversationLimits>;
  streamLimits?: Partial<StreamLimits>;
  /** The public address (PUBLIC_URL), for stream URLs; else they are built from the request's Host. */
  publicUrl?: string;
  /** Requests (polls included) one user may make per minute before 429. */
  requestsPerMinute?: number;
  maxActivityBytes?: number;
}

/** What the web page needs to open a conversation with this channel. */
export interface WebSession {
  userId: string;
  /** Signed anonymous identity the page keeps in localStorage. */
  identity: string;
  /** True when the page sent an identity we could not verify and got a new one. */
  renewed: boolean;
  token: string;
  expiresIn: number;
  /** Set when the page asked to resume a conversation that is still held. */
  conversationId?: string;
}

export interface DirectLine {
  adapter: DirectLineAdapter;
  conversations: Conversations;
  streams: Streams;
  signer: TokenSigner;
  routes: (server: Server, ctx: RouteContext) => void;
  /** Verify (or create) an anonymous identity and issue a token for it. */
  session(identity: unknown, conversationId?: unknown): WebSession;
  close(): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const forbidden = (message = '登录凭证无效或已过期，请刷新页面。') => new HttpError(403, 'TokenExpired', message);
const notFound = () => new HttpError(404, 'BadArgument', '找不到这个对话，它可能已经过期了，请刷新页面重新开始。');

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status);
  res.setHeader('Cache-Control', 'no-store');
  res.json({ error: { code, message } });
}

export function createDirectLine(opts: DirectLineOptions): DirectLine {
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlSeconds ?? 30 * 60;
  const signer = new TokenSigner(opts.secret, now);
  const conversations = new Conversations({ ...DEFAULT_LIMITS, ...opts.limits }, now);
  const adapter = new DirectLineAdapter(conversations);
  adapter.onTurnError = opts.onTurnError;
  const requests = new RateLimiter(opts.requestsPerMinute ?? 300, 60_000, now);
  const maxBytes = opts.maxActivityBytes ?? MAX_ACTIVITY_BYTES;
  const log: Logger = opts.log;
  conversations.startSweeping();
  const streams = new Streams({ ...DEFAULT_STREAM_LIMITS, ...opts.streamLimits });
  conversations.listener = {
    appended: (c, activitySet) => streams.push(c.id, activitySet),
    removed: (id) => streams.closeConversation(id),
  };

  const who = (userId: string) => `${DIRECTLINE_CHANNEL_ID}\u0000${userId}`;

  function authToken(req: Request): TokenClaims {
    const r = signer.verifyToken(bearer(req.header('authorization')));
    if (!r.ok) {
      throw r.reason === 'expired' ? forbidden('登录凭证已过期，请刷新页面。') : forbidden('登录凭证无效，请刷新页面。');
    }
    return r.claims;
  }

  /** Counts one request (a poll, a post, a stream handshake) against the user's limit. */
  const withinLimit = (userId: string) => requests.hit(`dl\u0000${userId}`) === 'ok';

  function limit(userId: string) {
    if (!withinLimit(userId)) throw new HttpError(429, 'TooManyRequests', '请求太频繁了，请稍等一会儿再试。');
  }

  /** The conversation in the URL, owned by the token's user (and the token's conversation, if bound). */
  function ownConversation(req: Request, claims: TokenClaims): Conversation {
    const id = String(req.params?.id ?? '');
    if (!CONVERSATION_ID_RE.test(id)) throw notFound();
    const conv = conversations.get(id);
    if (!conv) throw notFound();
    if (conv.userId !== claims.userId || (claims.conversationId && claims.conversationId !== id)) {
      throw forbidden('这个对话不属于你。');
    }
    conversations.touch(conv);
    return conv;
  }

  /** The conversationUpdate that starts a conversation: the bot and the user join. */
  async function start(conv: Conversation, ctx: RouteContext, locale?: string) {
    if (conv.started) return;
    conv.started = true;
    const user = { id: conv.userId, role: 'user' };
    const activity: Partial<Activity> = {
      type: 'conversationUpdate',
      id: `${conv.id}|start`,
      channelId: DIRECTLINE_CHANNEL_ID,
      serviceUrl: DIRECTLINE_SERVICE_URL,
      conversation: { id: conv.id } as Activity['conversation'],
      from: user as Activity['from'],
      recipient: { ...BOT_ACCOUNT } as Activity['recipient'],
      membersAdded: [{ ...BOT_ACCOUNT }, user] as Activity['membersAdded'],
      timestamp: new Date(now()),
      locale: locale ?? 'zh-CN',
    };
    await ctx.turns.run(who(conv.userId), () => adapter.process(activity, opts.logic));
  }

  function newConversation(userId: string): Conversation {
    try {
      return conversations.create(userId);
    } catch (err) {
      if (err instanceof ConversationFull) {
        log.warn({ held: conversations.size }, 'direct line: conversation limit reached');
        throw new HttpError(503, 'ServiceUnavailable', '现在使用的人太多了，请过几分钟再试。');
      }
      throw err;
    }
  }

  function conversationBody(conv: Conversation, userId: string, req?: Request, watermark?: number) {
    const t = signer.issueToken(userId, ttl, conv.id);
    const streamUrl = req ? streamUrlFor(req, conv, userId, watermark) : undefined;
    return { conversationId: conv.id, token: t.token, expires_in: t.expiresIn, ...(streamUrl ? { streamUrl } : {}) };
  }

  /**
   * ws(s)://<public address>/v3/directline/conversations/<id>/stream?t=<token>[&watermark=N].
   * The token in it is only for opening the socket and lives two minutes. Without PUBLIC_URL
   * the address is the request's Host (checked) and X-Forwarded-Proto; no usable Host, no stream.
   */
  function streamUrlFor(req: Request, conv: Conversation, userId: string, watermark?: number): string | undefined {
    let origin = opts.publicUrl?.replace(/\/+$/, '');
    if (!origin) {
      const host = req.headers.host ?? '';
      if (!HOST_RE.test(host)) return undefined;
      const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https' ? 'https' : 'http';
      origin = `${proto}://${host}`;
    }
    const ws = origin.replace(/^http/, 'ws');
    const t = signer.issueToken(userId, STREAM_TOKEN_SECONDS, conv.id);
    return `${ws}${DIRECTLINE_PATH}/conversations/${conv.id}/stream?t=${encodeURIComponent(t.token)}${watermark !== undefined ? `&watermark=${watermark}` : ''}`;
  }

  /** The WebSocket handshake: authorised like every other request, before the upgrade. */
  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '', 'http://localhost');
    } catch {
      return refuseUpgrade(socket, 400);
    }
    const m = STREAM_PATH_RE.exec(url.pathname);
    if (!m) return refuseUpgrade(socket, 404);
    const r = signer.verifyToken(url.searchParams.get('t') ?? bearer(req.headers.authorization));
    if (!r.ok) return refuseUpgrade(socket, 403);
    const claims = r.claims;
    if (!withinLimit(claims.userId)) return refuseUpgrade(socket, 429);
    const conv = conversations.get(m[1]);
    if (!conv) return refuseUpgrade(socket, 404);
    if (conv.userId !== claims.userId || (claims.conversationId && claims.conversationId !== conv.id)) return refuseUpgrade(socket, 403);
    const watermark = parseWatermark(url.searchParams.get('watermark') ?? undefined);
    if (watermark === 'bad') return refuseUpgrade(socket, 400);
    if (!streams.hasRoom(conv.id)) {
      log.warn({ sockets: streams.size }, 'direct line: stream limit reached');
      return refuseUpgrade(socket, 503);
    }
    conversations.touch(conv);
    const backlog = conversations.since(conv, watermark);
    streams.accept(req, socket, head, conv.id, backlog.count ? backlog.json : undefined, () => conversations.touch(conv));
  }

  /** Wrap a handler: errors become Direct Line JSON errors, never stack traces. */
  const handle =
    (fn: (req: Request, res: Response) => Promise<void> | void) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        res.setHeader('Cache-Control', 'no-store');
        await fn(req, res);
      } catch (err) {
        if (err instanceof HttpError) {
          if (err.status === 429) res.setHeader('Retry-After', '10');
          sendError(res, err.status, err.code, err.message);
        } else {
          log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'direct line request failed');
          if (!res.headersSent) sendError(res, 500, 'ServiceError', '服务出了点问题，请稍后再试。');
        }
      }
    };

  function routes(server: Server, ctx: RouteContext) {
    server.server.on('upgrade', upgrade);
    ctx.onClose(() => streams.closeAll());
    allowCrossOrigin(server, (path) => path.startsWith(`${DIRECTLINE_PATH}/`));

    server.post(`${DIRECTLINE_PATH}/tokens/generate`, handle((req, res) => {
      const userId = signer.verifyIdentity(bearer(req.header('authorization')));
      if (!userId) throw forbidden('身份凭证无效。');
      limit(userId);
      const conv = newConversation(userId);
      res.json(conversationBody(conv, userId, req));
    }));

    server.post(`${DIRECTLINE_PATH}/tokens/refresh`, handle((req, res) => {
      const claims = authToken(req);
      limit(claims.userId);
      if (claims.conversationId && !conversations.get(claims.conversationId)) throw notFound();
      const t = signer.issueToken(claims.userId, ttl, claims.conversationId);
      res.json({ conversationId: claims.conversationId, token: t.token, expires_in: t.expiresIn });
    }));

    server.post(`${DIRECTLINE_PATH}/conversations`, handle(async (req, res) => {
      const claims = authToken(req);
      limit(claims.userId);
      let conv: Conversation;
      if (claims.conversationId) {
        // A token from tokens/generate names its conversation (as Azure's do).
        const held = conversations.get(claims.conversationId);
        if (!held) throw notFound();
        if (held.userId !== claims.userId) throw forbidden('这个对话不属于你。');
        conv = held;
      } else {
        conv = newConversation(claims.userId);
      }
      conversations.touch(conv);
      const body = req.body as { locale?: unknown } | undefined;
      const locale = typeof body?.locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(body.locale) ? body.locale : undefined;
      const fresh = !conv.started;
      await start(conv, ctx, locale);
      res.status(fresh ? 201 : 200);
      res.json(conversationBody(conv, claims.userId, req));
    }));

    server.get(`${DIRECTLINE_PATH}/conversations/:id`, handle((req, res) => {
      const claims = authToken(req);
      limit(claims.userId);
      const watermark = parseWatermark(req.query?.watermark);
      if (watermark === 'bad') throw new HttpError(400, 'BadArgument', 'watermark 格式不对。');
      const conv = ownConversation(req, claims);
      // A reconnecting stream client asks here for a fresh streamUrl that resumes after its watermark.
      res.json(conversationBody(conv, claims.userId, req, watermark));
    }));

    server.get(`${DIRECTLINE_PATH}/conversations/:id/activities`, handle((req, res) => {
      const claims = authToken(req);
      limit(claims.userId);
      const watermark = parseWatermark(req.query?.watermark);
      if (watermark === 'bad') throw new HttpError(400, 'BadArgument', 'watermark 格式不对。');
      const conv = ownConversation(req, claims);
      const { json } = conversations.since(conv, watermark);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.status(200);
      res.end(json);
    }));

    server.post(`${DIRECTLINE_PATH}/conversations/:id/activities`, handle(async (req, res) => {
      const claims = authToken(req);
      limit(claims.userId);
      const conv = ownConversation(req, claims);
      const checked = checkInbound(req.body, maxBytes);
      if (!checked.ok) throw new HttpError(checked.status, checked.code, checked.message);
      const a = checked.value;
      const key = who(claims.userId);
      const verdict = a.type === 'message' ? ctx.rate.hit(key) : 'ok';
      if (verdict === 'refused') throw new HttpError(429, 'TooManyRequests', S.rateLimited);
      if (!conv.started) await start(conv, ctx, a.locale);

      // The echo the client waits for; identity fields are ours, never the client's.
      const { deliveryMode: _d, ...fields } = a;
      const echo = conversations.append(conv, {
        ...fields,
        from: { id: claims.userId, role: 'user' } as Activity['from'],
        recipient: { ...BOT_ACCOUNT } as Activity['recipient'],
      }, { transient: a.type === 'typing' });
      if (a.type !== 'typing') {
        // Typing indicators only reach other members; the bot has nothing to say to them.
        const inbound = { ...echo, serviceUrl: DIRECTLINE_SERVICE_URL } as Partial<Activity>;
        const logic: TurnLogic = verdict === 'first-refusal' ? async (c) => void (await c.sendActivity(S.rateLimited)) : opts.logic;
        await ctx.turns.run(key, () => adapter.process(inbound, logic));
      }
      res.json({ id: echo.id });
    }));

    // Uploads are not offered (the page hides the upload button): say so plainly.
    server.post(`${DIRECTLINE_PATH}/conversations/:id/upload`, handle(() => {
      throw new HttpError(400, 'BadArgument', '这里只能发文字，不能上传文件。');
    }));
  }

  function session(identity: unknown, conversationId?: unknown): WebSession {
    let userId = signer.verifyIdentity(identity);
    const renewed = !userId && identity !== undefined && identity !== null && identity !== '';
    if (!userId) userId = newUserId();
    let resume: string | undefined;
    if (typeof conversationId === 'string' && CONVERSATION_ID_RE.test(conversationId)) {
      const conv = conversations.get(conversationId);
      if (conv && conv.userId === userId) {
        conversations.touch(conv);
        resume = conv.id;
      }
    }
    const t = signer.issueToken(userId, ttl, resume);
    return { userId, identity: signer.issueIdentity(userId), renewed, token: t.token, expiresIn: t.expiresIn, conversationId: resume };
  }

  return {
    adapter,
    conversations,
    streams,
    signer,
    routes,
    session,
    close: () => {
      conversations.stopSweeping();
      streams.closeAll();
    },
  };
}
