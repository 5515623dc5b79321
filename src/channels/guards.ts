/**
 * Checks on what arrives from outside, before any bot code sees it: activity shape and
 * bounds, JSON depth, loopback service URLs in development, a per-user rate limit and a
 * per-user turn queue. Plain functions and small classes, tested directly and through HTTP.
 */
import { z } from 'zod';

export const MAX_JSON_DEPTH = 24;
export const MAX_ID_LENGTH = 256;

/** Depth of nested arrays/objects, without recursion (a hostile body cannot blow the stack). */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return max;
}

const account = z.object({ id: z.string().min(1).max(MAX_ID_LENGTH), name: z.string().max(MAX_ID_LENGTH).optional() }).passthrough();

/** The part of an activity we rely on; everything else passes through to botbuilder untouched. */
export const inboundActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(MAX_ID_LENGTH).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().min(1).max(2048),
    conversation: z.object({ id: z.string().min(1).max(MAX_ID_LENGTH) }).passthrough(),
    from: account,
    recipient: account.optional(),
    text: z.string().max(200_000).optional(),
    deliveryMode: z.string().max(32).optional(),
  })
  .passthrough();
export type InboundActivity = z.infer<typeof inboundActivitySchema>;

export type Check<T> = { ok: true; value: T } | { ok: false; status: number; reason: string };

/** Validate a parsed JSON body as an activity. `reason` is for logs (no personal data). */
export function checkActivity(body: unknown): Check<InboundActivity> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: 400, reason: 'body is not a JSON object' };
  if (jsonDepth(body) > MAX_JSON_DEPTH) return { ok: false, status: 400, reason: 'JSON nested too deeply' };
  const r = inboundActivitySchema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues[0];
    return { ok: false, status: 400, reason: `invalid activity: ${first.path.join('.') || '(root)'} ${first.code}` };
  }
  return { ok: true, value: r.data };
}

/** In development (no channel authentication) replies may only go back to this machine. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    const h = u.hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
  } catch {
    return false;
  }
}

/**
 * Fixed-window rate limit per key. `hit` says whether this request is allowed, and whether it
 * is the first refused one in the window (that one gets a kind reply; later ones only a 429).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): 'ok' | 'first-refusal' | 'refused' {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(t);
    }
    w.count++;
    if (w.count <= this.limit) return 'ok';
    return w.count === this.limit + 1 ? 'first-refusal' : 'refused';
  }

  private sweep(t: number) {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/** Runs tasks one at a time per key, so two messages from one user never interleave their turns. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    this.active++;
    const result = prev.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      if (--this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    return result;
  }

  /** Number of tasks queued or running. */
  get pending(): number {
    return this.active;
  }

  /** Resolves when nothing is queued or running (graceful shutdown). */
  idle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }
}

const TOKEN_ISSUERS = [
  'https://api.botframework.com',
  'https://api.botframework.us',
  'https://api.botframework.azure.cn',
  'https://sts.windows.net/',
  'https://login.microsoftonline.com/',
  'https://login.microsoftonline.us/',
];

/**
 * Cheap shape check of a channel's bearer token before botbuilder validates it for real:
 * a well-formed RS256 JWT from a Bot Framework or Entra issuer. Garbage and forged tokens
 * get a 401 here without making the server fetch signing keys for them.
 */
export function plausibleChannelToken(authorization: string | undefined): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m || authorization!.length > 8192) return false;
  try {
    const header = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as { alg?: string };
    const payload = JSON.parse(Buffer.from(m[2], 'base64url').toString('utf8')) as { iss?: string };
    return header.alg === 'RS256' && typeof payload.iss === 'string' && TOKEN_ISSUERS.some((i) => payload.iss!.startsWith(i));
  } catch {
    return false;
  }
}
