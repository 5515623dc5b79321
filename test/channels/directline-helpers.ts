/**
 * Helpers for the Direct Line tests: a server with the real HTTP stack and the built-in
 * channel but a tiny echo bot (so the channel is tested apart from the conversation), and
 * small fetch wrappers.
 */
import { createRequire } from 'node:module';
import type { TurnContext } from 'botbuilder';
import type { FanzhaAdapter } from '../../src/channels/cloud-adapter.js';
import { WebSocket as WsWebSocket } from 'ws';
import { ConnectionStatus, DirectLine, type Activity as DLActivity, type Message } from 'botframework-directlinejs';
import { createDirectLine, type DirectLine as BuiltinDirectLine, type DirectLineOptions } from '../../src/channels/directline/channel.js';
import { createHttpServer } from '../../src/channels/server.js';
import { createWebChat, type WebChat, type WebChatOptions } from '../../src/channels/web.js';
import { silentLogger } from '../../src/log.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/** Greets on conversationUpdate, echoes text, shows button values, throws on "boom". */
export async function echoLogic(context: TurnContext): Promise<void> {
  const a = context.activity;
  if (a.type === 'conversationUpdate' && a.membersAdded?.some((m) => m.id !== a.recipient.id)) {
    await context.sendActivity('你好，我是回声机器人');
    return;
  }
  if (a.type !== 'message') return;
  if (a.text === 'boom') throw new Error('boom: internal detail that must not leak');
  if (a.value !== undefined) await context.sendActivity(`value:${JSON.stringify(a.value)}`);
  else await context.sendActivity(`echo:${a.text}|from:${a.from.id}`);
}

export interface EchoServer {
  url: string;
  dl: BuiltinDirectLine;
  web?: WebChat;
  close(): Promise<void>;
}

export async function startEchoServer(
  o: { now?: () => number; ratePerMinute?: number; dl?: Partial<DirectLineOptions>; web?: Partial<WebChatOptions> | false } = {},
): Promise<EchoServer> {
  const dl = createDirectLine({
    secret: TEST_SECRET,
    logic: echoLogic,
    onTurnError: async (context) => void (await context.sendActivity('出错了（onTurnError）')),
    log: silentLogger,
    now: o.now,
    ...o.dl,
  });
  const web =
    o.web === false
      ? undefined
      : createWebChat({
          config: { WEBCHAT_DIRECTLINE: 'builtin', DIRECTLINE_SECRET: undefined, DIRECTLINE_DOMAIN: undefined },
          secret: TEST_SECRET,
          log: silentLogger,
          directLine: dl,
          now: o.now,
          ...o.web,
        });
  const http = createHttpServer({
    adapter: {} as FanzhaAdapter,
    logic: async () => {},
    log: silentLogger,
    development: true,
    maxBodyBytes: 256 * 1024,
    ratePerMinute: o.ratePerMinute ?? 30,
    routes: [dl.routes, ...(web ? [web.routes] : [])],
    now: o.now,
  });
  const port = await http.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    dl,
    web,
    async close() {
      dl.close();
      await http.close();
    },
  };
}

export interface Session {
  userId: string;
  identity: string;
  token: string;
  domain: string;
  conversationId?: string;
  renewed: boolean;
}

export async function session(base: string, body: Record<string, unknown> = {}): Promise<Session> {
  const r = await fetch(`${base}/api/webchat/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`session: ${r.status} ${await r.text()}`);
  return (await r.json()) as Session;
}

export async function dl(base: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const r = await fetch(`${base}/v3/directline${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json, headers: r.headers };
}

/** Start a conversation for a fresh anonymous user; returns the conversation's token. */
export async function startConversation(base: string, identity?: string) {
  const s = await session(base, identity ? { identity } : {});
  const c = await dl(base, 'POST', '/conversations', s.token, {});
  if (c.status !== 201 && c.status !== 200) throw new Error(`start: ${c.status} ${JSON.stringify(c.json)}`);
  return { ...s, conversationId: c.json.conversationId as string, token: c.json.token as string };
}

// --- the official client (botframework-directlinejs) in Node -------------------------------

/** Node 20 has no XMLHttpRequest: directlinejs (rxjs ajax) gets the xhr2 polyfill. */
export function installXhrPolyfill(): void {
  const g = globalThis as { XMLHttpRequest?: unknown };
  if (!g.XMLHttpRequest) g.XMLHttpRequest = createRequire(import.meta.url)('xhr2');
}

/**
 * Node 20 has no global WebSocket, and directlinejs only streams when one exists: the `ws`
 * package's client stands in, as a browser's would.
 */
export function installWebSocket(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (!g.WebSocket) g.WebSocket = WsWebSocket;
}

/** Never constructed (webSocket: false); directlinejs only needs something in its place on Node 20. */
class NoWebSocket {
  constructor() {
    throw new Error('WebSocket is not used in these tests');
  }
}

export type { DLActivity };
export { ConnectionStatus };

/** A directlinejs client that records every activity it receives, with small async helpers. */
export class TestClient {
  readonly dl: DirectLine;
  readonly received: DLActivity[] = [];
  readonly statuses: ConnectionStatus[] = [];
  /** The activity stream's error, if it failed (e.g. the conversation is unknown). */
  error: unknown;
  private readonly subs: { unsubscribe(): void }[] = [];

  /** `webSocket: true` is the client's own default: activities arrive over the conversation's streamUrl. */
  constructor(opts: { domain: string; token: string; conversationId?: string; pollingInterval?: number; webSocket?: boolean }) {
    installXhrPolyfill();
    if (opts.webSocket) installWebSocket();
    this.dl = new DirectLine({
      domain: opts.domain,
      token: opts.token,
      conversationId: opts.conversationId,
      webSocket: opts.webSocket ?? false,
      pollingInterval: opts.pollingInterval ?? 250,
      WebSocket: (opts.webSocket ? WsWebSocket : NoWebSocket) as unknown as typeof WebSocket,
    });
    this.subs.push(this.dl.connectionStatus$.subscribe((s) => this.statuses.push(s)));
    this.subs.push(this.dl.activity$.subscribe({ next: (a) => this.received.push(a), error: (e: unknown) => (this.error = e) }));
  }

  get conversationId(): string | undefined {
    return (this.dl as unknown as { conversationId?: string }).conversationId;
  }

  /** Activities from the bot, in order. */
  fromBot(): DLActivity[] {
    return this.received.filter((a) => a.from.role === 'bot' || a.from.id === 'fanzha-bot');
  }

  /** Wait until `pred` holds for some activity after index `from` of the bot's activities. */
  async waitForBot(pred: (a: DLActivity) => boolean, opts: { after?: number; timeoutMs?: number } = {}): Promise<DLActivity> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.fromBot().slice(opts.after ?? 0).find(pred);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching bot activity; got: ${JSON.stringify(this.fromBot().map(summary))}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  post(activity: Partial<Message> & { value?: unknown }): Promise<string> {
    return new Promise((resolve, reject) => {
      this.dl.postActivity({ from: { id: 'ignored-by-server' }, type: 'message', ...activity } as Message).subscribe({ next: resolve, error: reject });
    });
  }

  end(): void {
    for (const s of this.subs) s.unsubscribe();
    this.dl.end();
  }
}

/** text, card title and button titles: enough to read a failure. */
export function summary(a: DLActivity): unknown {
  const m = a as Message;
  return {
    text: m.text,
    cards: m.attachments?.map((x) => ((x as { content?: { title?: string } }).content)?.title),
    buttons: m.attachments?.flatMap((x) => (((x as { content?: { buttons?: { title: string }[] } }).content)?.buttons ?? []).map((b) => b.title)),
    suggested: m.suggestedActions?.actions.map((b) => b.title),
  };
}

/** Every button (card buttons and suggested actions) of an activity. */
export function buttonsOf(a: DLActivity): { title: string; value?: unknown; text?: string; displayText?: string }[] {
  const m = a as Message;
  return [
    ...(m.attachments ?? []).flatMap((x) => ((x as { content?: { buttons?: { title: string; value?: unknown }[] } }).content)?.buttons ?? []),
    ...(m.suggestedActions?.actions ?? []),
  ] as { title: string; value?: unknown }[];
}
