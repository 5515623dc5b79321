/**
 * Direct Line's WebSocket stream: the `streamUrl` a conversation hands out, over which the
 * server pushes each new activity as an ActivitySet `{activities, watermark}`. Clients that
 * use botframework-directlinejs or Web Chat with their defaults (webSocket: true) read
 * activities only this way; without it they would retry forever and never see a reply.
 *
 * Bounded like the rest of the channel: sockets per conversation and in total, 4 KB inbound
 * frames (clients only send empty keep-alives), a ping every 30 s that ends sockets which
 * stopped answering, and every socket closed when its conversation expires or the server
 * stops. Authentication happens before the upgrade, with the short-lived token in the URL.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface StreamLimits {
  maxPerConversation: number;
  maxTotal: number;
  heartbeatMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxPerConversation: 3, maxTotal: 10_000, heartbeatMs: 30_000 };

/** Largest frame a client may send (Direct Line clients send empty keep-alive messages). */
const MAX_INBOUND_FRAME = 4 * 1024;

/** Answer a refused upgrade with a bare HTTP status and close the socket. */
export function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404 | 429 | 503): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export class Streams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_FRAME, perMessageDeflate: false, clientTracking: false });
  private readonly byConversation = new Map<string, Set<WebSocket>>();
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private total = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
    this.heartbeat = setInterval(() => this.beat(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.total;
  }

  /** Would one more socket for this conversation fit? */
  hasRoom(conversationId: string): boolean {
    return this.total < this.limits.maxTotal && (this.byConversation.get(conversationId)?.size ?? 0) < this.limits.maxPerConversation;
  }

  /**
   * Complete the upgrade for an authorised request: send `backlog` (the activities after the
   * client's watermark) first, then every activity pushed for the conversation.
   */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string, backlog: string | undefined, onActivity: () => void): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      let set = this.byConversation.get(conversationId);
      if (!set) this.byConversation.set(conversationId, (set = new Set()));
      set.add(ws);
      this.total++;
      this.alive.set(ws, true);
      ws.on('pong', () => this.alive.set(ws, true));
      // Keep-alives from the client keep the conversation from expiring while the page is open.
      ws.on('message', () => {
        this.alive.set(ws, true);
        onActivity();
      });
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        if (set.delete(ws)) this.total--;
        if (set.size === 0 && this.byConversation.get(conversationId) === set) this.byConversation.delete(conversationId);
      });
      if (backlog) ws.send(backlog);
    });
  }

  /** Send an ActivitySet (already JSON) to every socket of the conversation. */
  push(conversationId: string, activitySet: string): void {
    const set = this.byConversation.get(conversationId);
    if (!set) return;
    for (const ws of set) if (ws.readyState === ws.OPEN) ws.send(activitySet);
  }

  /** The conversation is gone: end its sockets (clients then ask for it again and learn it ended). */
  closeConversation(conversationId: string): void {
    for (const ws of this.byConversation.get(conversationId) ?? []) ws.close(1000, 'conversation ended');
  }

  /** Server shutdown: end every socket now. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const set of this.byConversation.values()) for (const ws of set) ws.terminate();
  }

  private beat(): void {
    for (const set of this.byConversation.values()) {
      for (const ws of set) {
        if (!this.alive.get(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.set(ws, false);
        ws.ping();
      }
    }
  }
}
