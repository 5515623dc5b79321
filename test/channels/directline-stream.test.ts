/**
 * The Direct Line WebSocket stream: what botframework-directlinejs and Web Chat use when left
 * on their defaults (webSocket: true), and every handshake the server must refuse.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { dl, session, startConversation, startEchoServer, TestClient, type EchoServer } from './directline-helpers.js';

/** Open a raw socket; resolves with the handshake's HTTP status (101 when it was accepted). */
function handshake(url: string): Promise<{ status: number; ws?: WebSocket; first?: Promise<string> }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const first = new Promise<string>((r) => ws.once('message', (d) => r(String(d))));
    ws.once('open', () => resolve({ status: 101, ws, first }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ status: 0 }));
  });
}

describe('Direct Line over a WebSocket stream', () => {
  let srv: EchoServer;
  const clients: TestClient[] = [];
  const sockets: WebSocket[] = [];
  beforeEach(async () => {
    srv = await startEchoServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.end();
    for (const s of sockets.splice(0)) s.terminate();
    await srv.close();
  });

  it('when the official client keeps its default webSocket: true, then greeting, echo and reply all arrive over the socket', async () => {
    const s = await session(srv.url);
    const c = new TestClient({ domain: `${srv.url}${s.domain}`, token: s.token, webSocket: true });
    clients.push(c);
    await c.waitForBot((a) => (a as { text?: string }).text === '你好，我是回声机器人');
    expect(srv.dl.streams.size).toBe(1);
    await c.post({ text: '走 WebSocket' });
    const reply = await c.waitForBot((a) => /^echo:走 WebSocket/.test((a as { text?: string }).text ?? ''));
    expect((reply as { text?: string }).text).toBe(`echo:走 WebSocket|from:${s.userId}`);
    expect(c.received.some((a) => (a as { text?: string }).text === '走 WebSocket')).toBe(true);
  });

  it('when a conversation starts, then its body carries a ws:// streamUrl on this host, and a reconnect resumes after the watermark', async () => {
    const s = await startConversation(srv.url);
    const again = await dl(srv.url, 'GET', `/conversations/${s.conversationId}?watermark=1`, s.token);
    expect(again.json.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${s.conversationId}/stream\\?t=[^&]+&watermark=1$`));
    await dl(srv.url, 'POST', `/conversations/${s.conversationId}/activities`, s.token, { type: 'message', from: { id: 'x' }, text: '第二句' });
    const h = await handshake(again.json.streamUrl);
    expect(h.status).toBe(101);
    sockets.push(h.ws!);
    // Only what came after watermark 1 (the greeting) is replayed.
    const set = JSON.parse(await h.first!);
    expect(set.activities.map((a: { text?: string }) => a.text)).toEqual(['第二句', `echo:第二句|from:${s.userId}`]);
    expect(set.watermark).toBe('3');
  });

  it('when the handshake has no token, a forged one, another user’s token, an unknown conversation or a wrong path, then it is refused', async () => {
    const mine = await startConversation(srv.url);
    const theirs = await startConversation(srv.url);
    const base = srv.url.replace(/^http/, 'ws');
    const path = (id: string) => `${base}/v3/directline/conversations/${id}/stream`;
    expect((await handshake(path(mine.conversationId))).status).toBe(403);
    expect((await handshake(`${path(mine.conversationId)}?t=${mine.token.slice(0, -2)}xx`)).status).toBe(403);
    expect((await handshake(`${path(mine.conversationId)}?t=${theirs.token}`)).status).toBe(403);
    expect((await handshake(`${path('AAAAAAAAAAAAAAAAAAAAAA')}?t=${mine.token}`)).status).toBe(404);
    expect((await handshake(`${base}/v3/directline/conversations/${mine.conversationId}/other?t=${mine.token}`)).status).toBe(404);
    expect((await handshake(`${path(mine.conversationId)}?t=${mine.token}&watermark=abc`)).status).toBe(400);
    const ok = await handshake(`${path(mine.conversationId)}?t=${mine.token}`);
    expect(ok.status).toBe(101);
    sockets.push(ok.ws!);
  });

  it('when one conversation opens more sockets than allowed, then the extra handshake is refused', async () => {
    const s = await startConversation(srv.url);
    const url = (await dl(srv.url, 'GET', `/conversations/${s.conversationId}`, s.token)).json.streamUrl;
    for (let i = 0; i < srv.dl.streams.limits.maxPerConversation; i++) {
      const h = await handshake(url);
      expect(h.status).toBe(101);
      sockets.push(h.ws!);
    }
    expect((await handshake(url)).status).toBe(503);
  });

  it('when the conversation expires, then its socket is closed', async () => {
    const s = await startConversation(srv.url);
    const url = (await dl(srv.url, 'GET', `/conversations/${s.conversationId}`, s.token)).json.streamUrl;
    const h = await handshake(url);
    sockets.push(h.ws!);
    const closed = new Promise<number>((r) => h.ws!.once('close', (code) => r(code)));
    srv.dl.conversations.remove(s.conversationId);
    expect(await closed).toBe(1000);
  });

  it('when the server stops, then open sockets are ended and stopping does not wait for them', async () => {
    const s = await startConversation(srv.url);
    const url = (await dl(srv.url, 'GET', `/conversations/${s.conversationId}`, s.token)).json.streamUrl;
    const h = await handshake(url);
    const closed = new Promise<void>((r) => h.ws!.once('close', () => r()));
    const t0 = Date.now();
    await srv.close();
    await closed;
    expect(Date.now() - t0).toBeLessThan(1500);
    srv = await startEchoServer(); // for afterEach
  });
});

describe('stream URLs behind a proxy', () => {
  it('when PUBLIC_URL is https, then the stream URL is wss on that address; a garbage Host gives no stream URL', async () => {
    const srv = await startEchoServer({ dl: { publicUrl: 'https://fanzha.example.org/' } });
    try {
      const s = await startConversation(srv.url);
      const r = await dl(srv.url, 'GET', `/conversations/${s.conversationId}`, s.token);
      expect(r.json.streamUrl).toMatch(/^wss:\/\/fanzha\.example\.org\/v3\/directline\/conversations\/[A-Za-z0-9_-]{22}\/stream\?t=/);
    } finally {
      await srv.close();
    }
    const plain = await startEchoServer();
    try {
      const s = await startConversation(plain.url);
      const { request } = await import('node:http');
      const body = await new Promise<string>((resolve) => {
        const req = request(`${plain.url}/v3/directline/conversations/${s.conversationId}`, { headers: { Host: 'evil.example/"><script>', Authorization: `Bearer ${s.token}` } }, (res) => {
          let d = '';
          res.on('data', (c) => (d += c));
          res.on('end', () => resolve(d));
        });
        req.end();
      });
      expect(JSON.parse(body).conversationId).toBe(s.conversationId);
      expect(JSON.parse(body).streamUrl).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
