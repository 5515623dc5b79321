/**
 * The official botframework-directlinejs client (polling, as Web Chat uses it with
 * webSocket: false) against the built-in channel with an echo bot: the wire protocol,
 * apart from what the real bot says (that is directline-bot.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionStatus, session, startEchoServer, TestClient, type EchoServer } from './directline-helpers.js';

describe('botframework-directlinejs against the built-in Direct Line', () => {
  let srv: EchoServer;
  const clients: TestClient[] = [];
  const client = (o: ConstructorParameters<typeof TestClient>[0]) => {
    const c = new TestClient(o);
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    srv = await startEchoServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.end();
    await srv.close();
  });

  it('when the client starts a conversation and posts, then it gets the greeting, its own echo and the reply', async () => {
    const s = await session(srv.url);
    const c = client({ domain: `${srv.url}${s.domain}`, token: s.token });
    await c.waitForBot((a) => (a as { text?: string }).text === '你好，我是回声机器人');
    expect(c.statuses).toContain(ConnectionStatus.Online);
    const id = await c.post({ text: '测试一下' });
    expect(id).toMatch(/\|0000002$/);
    const reply = await c.waitForBot((a) => /^echo:/.test((a as { text?: string }).text ?? ''));
    // The server, not the client, decides who is speaking.
    expect((reply as { text?: string }).text).toBe(`echo:测试一下|from:${s.userId}`);
    const echo = c.received.find((a) => a.id === id)!;
    expect(echo.from).toEqual({ id: s.userId, role: 'user' });
  });

  it('when a messageBack button value is posted, then the bot receives the value', async () => {
    const s = await session(srv.url);
    const c = client({ domain: `${srv.url}${s.domain}`, token: s.token });
    await c.waitForBot(() => true);
    await c.post({ text: '学生', value: { a: 'group', id: 'student' } });
    await c.waitForBot((a) => (a as { text?: string }).text === 'value:{"a":"group","id":"student"}');
  });

  it('when the page reloads with its identity and conversation, then a new client resumes it with the history', async () => {
    const s = await session(srv.url);
    const first = client({ domain: `${srv.url}${s.domain}`, token: s.token });
    await first.waitForBot(() => true);
    await first.post({ text: '第一句' });
    await first.waitForBot((a) => /第一句/.test((a as { text?: string }).text ?? ''));
    const conversationId = first.conversationId!;
    first.end();

    const again = await session(srv.url, { identity: s.identity, conversationId });
    expect(again.userId).toBe(s.userId);
    expect(again.conversationId).toBe(conversationId);
    const second = client({ domain: `${srv.url}${again.domain}`, token: again.token, conversationId });
    // History replays (the greeting is not sent again: the conversation had started)...
    await second.waitForBot((a) => /第一句/.test((a as { text?: string }).text ?? ''));
    expect(second.fromBot().filter((a) => (a as { text?: string }).text === '你好，我是回声机器人')).toHaveLength(1);
    // ...and the conversation goes on.
    await second.post({ text: '第二句' });
    await second.waitForBot((a) => /第二句/.test((a as { text?: string }).text ?? ''));
  });

  it('when the conversation is unknown to the server, then the client reports it ended', async () => {
    const s = await session(srv.url);
    const c = client({ domain: `${srv.url}${s.domain}`, token: s.token, conversationId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    const deadline = Date.now() + 5000;
    while (!c.statuses.includes(ConnectionStatus.FailedToConnect) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(c.statuses).toContain(ConnectionStatus.FailedToConnect);
  });
});
