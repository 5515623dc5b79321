/**
 * The web chat page: `/` serves web/index.html, `/static/*` its css/js and Microsoft's
 * botframework-webchat bundle straight from the installed npm package (no CDN: the service
 * may run on a closed network), compressed with brotli or gzip and cached for a year under
 * a content-hashed URL. `POST /api/webchat/session` gives the page its anonymous identity and
 * a Direct Line token: from the built-in channel, or from Azure's Direct Line (the secret is
 * exchanged here, server-side; it never reaches a browser).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { resolveSecret } from '../store/secret.js';
import { allowCrossOrigin } from './cors.js';
import { createDirectLine, DIRECTLINE_PATH, sendError, type DirectLine } from './directline/channel.js';
import { newUserId, TokenSigner } from './directline/tokens.js';
import { RateLimiter } from './guards.js';
import type { RouteContext } from './server.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const AZURE_DEFAULT_DOMAIN = 'https://directline.botframework.com/v3/directline';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
const unbrotli = promisify(zlib.brotliDecompress);

export interface WebChatOptions {
  config: Pick<Config, 'WEBCHAT_DIRECTLINE' | 'DIRECTLINE_SECRET' | 'DIRECTLINE_DOMAIN'>;
  /** Service secret: signs the anonymous identities (both modes). */
  secret: string;
  log: Logger;
  /** The built-in channel; required when WEBCHAT_DIRECTLINE=builtin. */
  directLine?: DirectLine;
  /** Folder with index.html, app.js, app.css (default: <project>/web). */
  webRoot?: string;
  /** Where the brotli-compressed Web Chat bundle is kept between runs (default <project>/.cache/webchat). */
  cacheDir?: string;
  /** For Azure token requests (tests pass a stub). */
  fetch?: typeof fetch;
  /** Sessions one address may open per minute. */
  sessionsPerMinute?: number;
  now?: () => number;
}

export interface WebChat {
  routes: (server: Server, ctx: RouteContext) => void;
  /** Resolves once the Web Chat bundle is compressed with brotli (bench, tests). */
  ready(): Promise<void>;
  /** Path and version of the Web Chat bundle served. */
  bundle: { file: string; version: string; url: string };
}

export interface SessionBody {
  mode: 'builtin' | 'azure';
  /** Direct Line base URL for the page (relative for the built-in channel). */
  domain: string;
  token: string;
  expiresIn: number;
  userId: string;
  identity: string;
  renewed: boolean;
  /** Only when resuming a conversation of the built-in channel. */
  conversationId?: string;
}

interface Asset {
  type: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  etag: string;
  /** Served with a one-year immutable cache when the URL carries this version. */
  version: string;
}

function hashOf(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex').slice(0, 16);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function makeAsset(name: string, body: Buffer): Asset {
  const h = hashOf(body);
  const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
  const small = body.length < 512 * 1024;
  return {
    type,
    body,
    // Small files are compressed at start-up (milliseconds); the big bundle later, off the event loop.
    gzip: small && !type.startsWith('image/png') ? zlib.gzipSync(body, { level: 9 }) : undefined,
    br: small && !type.startsWith('image/png') ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }) : undefined,
    etag: `"${h}"`,
    version: h.slice(0, 10),
  };
}

/** The botframework-webchat full bundle: the minimal one has no Adaptive Cards, so no hero cards. */
export function locateWebChatBundle(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  const main = require.resolve('botframework-webchat'); // <pkg>/lib/index.js
  let dir = path.dirname(main);
  while (dir !== path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'botframework-webchat') return { file: path.join(dir, 'dist', 'webchat.js'), version: pkg.version ?? '0' };
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  throw new Error('botframework-webchat is not installed (npm install)');
}

/** Does an Accept-Encoding header allow `name` (present, and not with q=0)? */
function accepts(acceptEncoding: string, name: string): boolean {
  for (const part of acceptEncoding.split(',')) {
    const [token, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (token !== name) continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** Pick the encoding: brotli, then gzip, then none. */
export function pickEncoding(acceptEncoding: string | undefined, asset: Pick<Asset, 'br' | 'gzip'>): 'br' | 'gzip' | undefined {
  const accept = acceptEncoding ?? '';
  if (asset.br && accepts(accept, 'br')) return 'br';
  if (asset.gzip && accepts(accept, 'gzip')) return 'gzip';
  return undefined;
}

function serve(req: Request, res: Response, asset: Asset, opts: { immutable: boolean; headers?: Record<string, string> }) {
  const enc = pickEncoding(req.header('accept-encoding'), asset);
  // One ETag per representation (the bytes differ by encoding); any of them revalidates.
  const etag = enc ? `${asset.etag.slice(0, -1)}-${enc}"` : asset.etag;
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', opts.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
  const inm = req.header('if-none-match');
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '').replace(/-(?:br|gzip)"$/, '"') === asset.etag)) {
    res.writeHead(304);
    res.end();
    return;
  }
  const body = enc === 'br' ? asset.br! : enc === 'gzip' ? asset.gzip! : asset.body;
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Content-Length', String(body.length));
  if (enc) res.setHeader('Content-Encoding', enc);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function createWebChat(opts: WebChatOptions): WebChat {
  const { config, log } = opts;
  const webRoot = opts.webRoot ?? path.join(PROJECT_ROOT, 'web');
  const cacheDir = opts.cacheDir ?? path.join(PROJECT_ROOT, '.cache', 'webchat');
  const signer = new TokenSigner(opts.secret, opts.now);
  const sessions = new RateLimiter(opts.sessionsPerMinute ?? 120, 60_000, opts.now);
  const doFetch = opts.fetch ?? fetch;
  if (config.WEBCHAT_DIRECTLINE === 'builtin' && !opts.directLine) throw new Error('WEBCHAT_DIRECTLINE=builtin needs the built-in Direct Line channel');
  const azureDomain = (config.DIRECTLINE_DOMAIN ?? AZURE_DEFAULT_DOMAIN).replace(/\/+$/, '');

  // --- the Web Chat bundle -------------------------------------------------------------
  const located = locateWebChatBundle();
  const bundle = makeAsset('webchat.js', readFileSync(located.file));
  let compressing: Promise<void> | undefined;
  /** gzip now (a tenth of a second), brotli once per version (seconds; cached on disk). */
  const compressBundle = () =>
    (compressing ??= (async () => {
      const key = `webchat-${located.version}-${bundle.etag.slice(1, -1)}`;
      bundle.gzip = await gzip(bundle.body, { level: 9 });
      const file = path.join(cacheDir, `${key}.js.br`);
      try {
        const cached = await readFile(file);
        if ((await unbrotli(cached)).equals(bundle.body)) {
          bundle.br = cached;
          return;
        }
      } catch {
        // not cached yet
      }
      const br = await brotli(bundle.body, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bundle.body.length },
      });
      bundle.br = br;
      try {
        mkdirSync(cacheDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, br);
        renameSync(tmp, file);
      } catch (err) {
        log.warn({ err: { message: (err as Error).message } }, 'web chat: could not cache the compressed bundle (it is compressed again next start)');
      }
    })().catch((err) => log.error({ err: { message: (err as Error).message } }, 'web chat: compressing the bundle failed')));

  // --- the page's own files -------------------------------------------------------------
  const files = new Map<string, Asset>();
  for (const name of ['app.js', 'app.css', 'icon.svg']) files.set(name, makeAsset(name, readFileSync(path.join(webRoot, name))));
  files.set('webchat.js', bundle);
  const url = (name: string) => `/static/${name}?v=${files.get(name)!.version}`;
  const html = readFileSync(path.join(webRoot, 'index.html'), 'utf8')
    .replaceAll('{{app.css}}', url('app.css'))
    .replaceAll('{{app.js}}', url('app.js'))
    .replaceAll('{{icon.svg}}', url('icon.svg'))
    .replaceAll('{{webchat.js}}', url('webchat.js'));
  const page = makeAsset('index.html', Buffer.from(html));

  const connect = ["'self'", ...(config.WEBCHAT_DIRECTLINE === 'azure' ? [new URL(azureDomain).origin, 'wss://' + new URL(azureDomain).host] : [])];
  const pageHeaders = {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Web Chat injects its styles at run time (emotion).
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src ${connect.join(' ')}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
  };

  // --- sessions ---------------------------------------------------------------------------
  async function azureSession(identity: unknown): Promise<SessionBody> {
    let userId = signer.verifyIdentity(identity);
    const renewed = !userId && typeof identity === 'string' && identity !== '';
    userId ??= newUserId();
    const res = await doFetch(`${azureDomain}/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.DIRECTLINE_SECRET}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`Azure Direct Line tokens/generate answered ${res.status}`);
    const j = (await res.json()) as { token?: unknown; expires_in?: unknown };
    if (typeof j.token !== 'string' || j.token.length > 4096) throw new Error('Azure Direct Line gave no token');
    return {
      mode: 'azure',
      domain: azureDomain,
      token: j.token,
      expiresIn: typeof j.expires_in === 'number' ? j.expires_in : 1800,
      userId,
      identity: signer.issueIdentity(userId),
      renewed,
    };
  }

  function routes(server: Server, _ctx: RouteContext) {
    server.get('/', (req, res, next) => {
      void compressBundle();
      serve(req, res, page, { immutable: false, headers: pageHeaders });
      return next(false);
    });

    server.get('/static/:name', (req, res, next) => {
      const name = String(req.params?.name ?? '');
      const asset = files.get(name);
      if (!asset) {
        sendError(res, 404, 'NotFound', '没有这个文件。');
        return next(false);
      }
      if (asset === bundle) void compressBundle();
      serve(req, res, asset, { immutable: req.query?.v === asset.version });
      return next(false);
    });

    server.get('/favicon.ico', (req, res, next) => {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.writeHead(204);
      res.end();
      return next(false);
    });

    allowCrossOrigin(server, (path) => path === '/api/webchat/session');
    server.post('/api/webchat/session', async (req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      const address = req.socket?.remoteAddress ?? 'unknown';
      if (sessions.hit(`session\u0000${address}`) !== 'ok') {
        res.setHeader('Retry-After', '30');
        sendError(res, 429, 'TooManyRequests', '打开得太频繁了，请稍等一会儿再试。');
        return;
      }
      const body = (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as { identity?: unknown; conversationId?: unknown };
      const identity = typeof body.identity === 'string' && body.identity.length <= 256 ? body.identity : undefined;
      const conversationId = typeof body.conversationId === 'string' && body.conversationId.length <= 64 ? body.conversationId : undefined;
      try {
        let out: SessionBody;
        if (config.WEBCHAT_DIRECTLINE === 'azure') {
          out = await azureSession(identity);
        } else {
          const s = opts.directLine!.session(identity, conversationId);
          out = { mode: 'builtin', domain: DIRECTLINE_PATH, ...s };
        }
        res.json(out);
      } catch (err) {
        log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'web chat: session failed');
        sendError(res, 502, 'ServiceUnavailable', '暂时连不上聊天服务，请稍后刷新再试。');
      }
    });
  }

  return {
    routes,
    ready: () => compressBundle(),
    bundle: { file: located.file, version: located.version, url: url('webchat.js') },
  };
}

/**
 * Everything the web chat needs, from the service config: the built-in Direct Line channel
 * (unless WEBCHAT_DIRECTLINE=azure) and the page. src/index.ts adds `routes` to the server.
 */
export function createWebChannels(o: {
  config: Config;
  logic: (context: TurnContext) => Promise<void>;
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  log: Logger;
  now?: () => number;
}): { routes: ((server: Server, ctx: RouteContext) => void)[]; directLine?: DirectLine; webChat: WebChat } {
  const { config } = o;
  // The store's secret (env or DATA_DIR/secret.key); identities and tokens use their own HMAC labels.
  const { secret } = resolveSecret({ dataDir: config.dataDir, env: config.USER_KEY_SECRET ? { USER_KEY_SECRET: config.USER_KEY_SECRET } : {} });
  const directLine =
    config.WEBCHAT_DIRECTLINE === 'builtin'
      ? createDirectLine({
          secret,
          logic: o.logic,
          onTurnError: o.onTurnError,
          log: o.log,
          now: o.now,
          tokenTtlSeconds: config.WEBCHAT_TOKEN_MINUTES * 60,
          publicUrl: config.PUBLIC_URL,
          requestsPerMinute: config.WEBCHAT_REQUESTS_PER_MINUTE,
          limits: { idleMs: config.WEBCHAT_IDLE_MINUTES * 60_000, maxConversations: config.WEBCHAT_MAX_CONVERSATIONS },
        })
      : undefined;
  const webChat = createWebChat({ config, secret, log: o.log, directLine, now: o.now });
  return { routes: [...(directLine ? [directLine.routes] : []), webChat.routes], directLine, webChat };
}
