/**
 * The built-in Direct Line channel through the real HTTP server on port 0, with a tiny echo
 * bot: protocol shape, identity and tokens, bounds, and every refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/channels/directline/conversations.js';
import { checkInbound, parseWatermark } from '../../src/channels/directline/inbound.js';
import { bearer, TokenSigner } from '../../src/channels/directline/tokens.js';
import { dl, session, startConversation, startEchoServer, TEST_SECRET, type EchoServer } from './directline-helpers.js';

/** The same token with some claims changed (and the old signature). */
function withClaims(token: string, claims: Record<string, unknown>): string {
  const [h, p, sig] = token.split('.');
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...claims };
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), sig].join('.');
}

/** No stack traces, no internal error text: a code and a friendly message. */
function expectFriendlyError(json: any, code?: string) {
  expect(json).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  if (code) expect(json.error.code).toBe(code);
  expect(JSON.stringify(json)).not.toMatch(/\bat \S+:\d+|Error:|boom|\.ts\b/);
}

describe('tokens and identities', () => {
  it('when an identity is issued, then it verifies to the same user, and an edited one does not', () => {
    const s = new TokenSigner(TEST_SECRET);
    const id = s.issueIdentity();
    const user = s.verifyIdentity(id);
    expect(user).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
    expect(s.issueIdentity(user)).toBe(id);
    const other = s.verifyIdentity(s.issueIdentity());
    // Swap in another user id under the old signature.
    expect(s.verifyIdentity(id.replace(user!, other!))).toBeUndefined();
    expect(new TokenSigner('another-secret-0123456789').verifyIdentity(id)).toBeUndefined();
    for (const bad of [undefined, 42, '', 'wi1..', 'x'.repeat(300), id + 'x']) expect(s.verifyIdentity(bad)).toBeUndefined();
  });

  it('when a token is checked, then forged, malformed and expired ones are told apart', () => {
    let t = 1_000_000_000_000;
    const s = new TokenSigner(TEST_SECRET, () => t);
    const user = s.verifyIdentity(s.issueIdentity())!;
    const { token } = s.issueToken(user, 60);
    expect(s.verifyToken(token)).toMatchObject({ ok: true, claims: { userId: user, conversationId: undefined } });
    // An identity is not a token, and a token made for one purpose never verifies as the other.
    expect(s.verifyToken(s.issueIdentity(user))).toEqual({ ok: false, reason: 'malformed' });
    expect(s.verifyIdentity(token)).toBeUndefined();
    expect(s.verifyToken(withClaims(token, { exp: 9_999_999_999 }))).toEqual({ ok: false, reason: 'bad-signature' }); // extend my own expiry
    expect(s.verifyToken(withClaims(token, { user: s.verifyIdentity(s.issueIdentity())! }))).toEqual({ ok: false, reason: 'bad-signature' });
    // Web Chat reads the user id from the token's `user` claim.
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).toMatchObject({ user, exp: expect.any(Number) });
    const none = [Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'), token.split('.')[1], ''].join('.');
    expect(s.verifyToken(none)).toEqual({ ok: false, reason: 'malformed' });
    t += 61_000;
    expect(s.verifyToken(token)).toEqual({ ok: false, reason: 'expired' });
    expect(bearer('Bearer abc')).toBe('abc');
    expect(bearer('Basic abc')).toBeUndefined();
  });
});

describe('inbound checks', () => {
  it('when a watermark is not a plain decimal, then it is refused', () => {
    expect(parseWatermark(undefined)).toBeUndefined();
    expect(parseWatermark('')).toBeUndefined();
    expect(parseWatermark('12')).toBe(12);
    for (const bad of ['-1', '1.5', 'abc', '0x10', '1'.repeat(10), ['1']]) expect(parseWatermark(bad)).toBe('bad');
  });

  it('when an activity is oversized, badly typed or asks for other delivery modes, then it is refused', () => {
    expect(checkInbound({ type: 'message', text: 'hi' })).toMatchObject({ ok: true });
    expect(checkInbound({ type: 'message', text: 'x'.repeat(9000) })).toMatchObject({ ok: false, status: 413 });
    expect(checkInbound({ type: 'message', value: 'x'.repeat(70_000) })).toMatchObject({ ok: false, status: 413 });
    expect(checkInbound({ type: 'invoke' })).toMatchObject({ ok: false, status: 400 });
    expect(checkInbound({ type: 'message', deliveryMode: 'expectReplies' })).toMatchObject({ ok: false, status: 400 });
    expect(checkInbound([1])).toMatchObject({ ok: false, status: 400 });
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(checkInbound({ type: 'message', value: deep })).toMatchObject({ ok: false, status: 400 });
    // Identity fields from the client are dropped, whatever they say.
    const r = checkInbound({ type: 'message', text: 'x', from: { id: 'admin' }, id: 'mine', conversation: { id: 'other' } });
    expect(r.ok && Object.keys(r.value)).toEqual(['type', 'text']);
  });
});

describe('conversation bounds', () => {
  it('when a user opens more than their share, their least recently used conversation is dropped', () => {
    let t = 0;
    const c = new Conversations({ maxConversations: 100, maxPerUser: 2, maxActivities: 3, maxBytes: 10_000, idleMs: 1000 }, () => t);
    const a = c.create('u1');
    t = 1;
    const b = c.create('u1');
    t = 2;
    c.touch(a);
    c.create('u1');
    expect(c.get(b.id)).toBeUndefined();
    expect(c.get(a.id)).toBeDefined();
    expect(c.countFor('u1')).toBe(2);
    for (let i = 0; i < 5; i++) c.append(a, { type: 'message', text: `m${i}` });
    expect(a.activities.map((s) => s.seq)).toEqual([3, 4, 5]);
    expect(JSON.parse(c.since(a, 0).json).watermark).toBe('5');
    expect(JSON.parse(c.since(a, 4).json).activities.map((x: any) => x.text)).toEqual(['m4']);
    t = 5000;
    expect(c.get(a.id)).toBeUndefined();
  });

  it('when the process holds its maximum, new conversations are refused until idle ones expire', () => {
    let t = 0;
    const c = new Conversations({ maxConversations: 2, maxPerUser: 5, maxActivities: 3, maxBytes: 10_000, idleMs: 1000 }, () => t);
    c.create('a');
    c.create('b');
    expect(() => c.create('c')).toThrow(/too many/);
    t = 2000;
    expect(c.create('c').userId).toBe('c');
    expect(c.size).toBe(1);
  });

  it('when a typing indicator is echoed, then only the newest one is kept', () => {
    const c = new Conversations();
    const a = c.create('u');
    c.append(a, { type: 'typing' }, { transient: true });
    c.append(a, { type: 'typing' }, { transient: true });
    c.append(a, { type: 'message', text: 'hi' });
    expect(a.activities.length).toBe(1);
    expect(a.seq).toBe(3);
  });
});

describe('built-in Direct Line over HTTP', () => {
  let srv: EchoServer;
  let clock = Date.now();
  beforeEach(async () => {
    clock = Date.now();
    srv = await startEchoServer({ now: () => clock, dl: { requestsPerMinute: 100 } });
  });
  afterEach(async () => srv.close());

  it('when a conversation starts, then the bot greets, echoes carry the token user, and watermarks page the history', async () => {
    const s = await startConversation(srv.url);
    const first = await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities`, s.token);
    expect(first.status).toBe(200);
    expect(first.json.activities.map((a: any) => a.text)).toEqual(['你好，我是回声机器人']);
    expect(first.json.activities[0]).toMatchObject({ type: 'message', from: { id: 'fanzha-bot', role: 'bot' }, conversation: { id: s.conversationId }, channelId: 'directline' });
    expect(first.json.watermark).toBe('1');

    const posted = await dl(srv.url, 'POST', `/conversations/${s.conversationId}/activities`, s.token, {
      type: 'message',
      text: '你好',
      from: { id: 'someone-else', name: 'x' },
      channelData: { clientActivityID: 'c1' },
    });
    expect(posted.status).toBe(200);
    expect(posted.json.id).toBe(`${s.conversationId}|0000002`);

    const next = await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities?watermark=1`, s.token);
    const [echo, reply] = next.json.activities;
    expect(echo).toMatchObject({ id: posted.json.id, text: '你好', from: { id: s.userId, role: 'user' }, channelData: { clientActivityID: 'c1' } });
    expect(echo.from.name).toBeUndefined();
    expect(reply).toMatchObject({ text: `echo:你好|from:${s.userId}`, replyToId: posted.json.id, from: { id: 'fanzha-bot' } });
    expect(typeof reply.timestamp).toBe('string');
    expect(next.json.watermark).toBe('3');
    const empty = await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities?watermark=3`, s.token);
    expect(empty.json).toEqual({ activities: [], watermark: '3' });
    expect(empty.headers.get('cache-control')).toBe('no-store');
  });

  it('when a button value is posted, then the bot receives it; typing reaches nobody but is echoed', async () => {
    const s = await startConversation(srv.url);
    await dl(srv.url, 'POST', `/conversations/${s.conversationId}/activities`, s.token, { type: 'message', text: '学生', value: { a: 'group', id: 'student' } });
    const t = await dl(srv.url, 'POST', `/conversations/${s.conversationId}/activities`, s.token, { type: 'typing' });
    expect(t.status).toBe(200);
    const all = await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities`, s.token);
    expect(all.json.activities.map((a: any) => a.type + ':' + (a.text ?? ''))).toEqual(['message:你好，我是回声机器人', 'message:学生', 'message:value:{"a":"group","id":"student"}', 'typing:']);
  });

  it('when the bot throws, then onTurnError answers and the client sees no internals', async () => {
    const s = await startConversation(srv.url);
    const r = await dl(srv.url, 'POST', `/conversations/${s.conversationId}/activities`, s.token, { type: 'message', text: 'boom' });
    expect(r.status).toBe(200);
    const all = await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities?watermark=2`, s.token);
    expect(all.json.activities.map((a: any) => a.text)).toEqual(['出错了（onTurnError）']);
  });

  it('when the page reloads with its identity, then the user id is the same and the conversation can be resumed', async () => {
    const s = await startConversation(srv.url);
    const again = await session(srv.url, { identity: s.identity, conversationId: s.conversationId });
    expect(again).toMatchObject({ userId: s.userId, identity: s.identity, conversationId: s.conversationId, renewed: false, domain: '/v3/directline' });
    const reconnect = await dl(srv.url, 'GET', `/conversations/${s.conversationId}?watermark=1`, again.token);
    expect(reconnect.status).toBe(200);
    expect(reconnect.json.conversationId).toBe(s.conversationId);
    // A conversation id that is not mine is simply not resumed.
    const stranger = await session(srv.url, { conversationId: s.conversationId });
    expect(stranger.conversationId).toBeUndefined();
    expect(stranger.userId).not.toBe(s.userId);
    // A forged identity gets a fresh one, marked as renewed.
    const forged = await session(srv.url, { identity: s.identity.slice(0, -2) + 'AA' });
    expect(forged.renewed).toBe(true);
    expect(forged.userId).not.toBe(s.userId);
  });

  it('when tokens are generated from an identity and refreshed, then they stay bound to the user and conversation', async () => {
    const s = await session(srv.url);
    const g = await dl(srv.url, 'POST', '/tokens/generate', s.identity, {});
    expect(g.status).toBe(200);
    expect(g.json).toMatchObject({ conversationId: expect.any(String), token: expect.any(String), expires_in: 1800 });
    const c = await dl(srv.url, 'POST', '/conversations', g.json.token, {});
    expect(c.status).toBe(201);
    expect(c.json.conversationId).toBe(g.json.conversationId);
    const again = await dl(srv.url, 'POST', '/conversations', g.json.token, {});
    expect(again.status).toBe(200);
    clock += 20 * 60_000;
    const r = await dl(srv.url, 'POST', '/tokens/refresh', c.json.token);
    expect(r.status).toBe(200);
    expect(r.json.conversationId).toBe(g.json.conversationId);
    clock += 15 * 60_000; // the first token is now expired, the refreshed one is not
    expect((await dl(srv.url, 'GET', `/conversations/${c.json.conversationId}/activities`, c.json.token)).status).toBe(403);
    expect((await dl(srv.url, 'GET', `/conversations/${c.json.conversationId}/activities`, r.json.token)).status).toBe(200);
    expect((await dl(srv.url, 'POST', '/tokens/refresh', c.json.token)).status).toBe(403);
    expect((await dl(srv.url, 'POST', '/tokens/generate', 'not-an-identity')).status).toBe(403);
    expect((await dl(srv.url, 'POST', '/tokens/generate', s.token)).status).toBe(403);
  });

  describe('refusals', () => {
    it('when the token is missing, forged or expired, then 403', async () => {
      const s = await startConversation(srv.url);
      const path = `/conversations/${s.conversationId}/activities`;
      const missing = await dl(srv.url, 'GET', path);
      expect(missing.status).toBe(403);
      expectFriendlyError(missing.json, 'TokenExpired');
      const forged = await dl(srv.url, 'GET', path, s.token.replace(/.{4}$/, 'AAAA'));
      expect(forged.status).toBe(403);
      expectFriendlyError(forged.json);
      expect((await dl(srv.url, 'GET', path, withClaims(s.token, { exp: Math.floor(clock / 1000) + 86_400 }))).status).toBe(403);
      expect((await dl(srv.url, 'POST', path, s.identity, { type: 'message', text: 'x' })).status).toBe(403);
      clock += 31 * 60_000;
      const expired = await dl(srv.url, 'POST', path, s.token, { type: 'message', text: 'x' });
      expect(expired.status).toBe(403);
      expectFriendlyError(expired.json, 'TokenExpired');
      expect(expired.json.error.message).toMatch(/过期/);
    });

    it('when the conversation is unknown or expired, then 404', async () => {
      const s = await startConversation(srv.url);
      const fresh = await session(srv.url, { identity: s.identity });
      const unknown = await dl(srv.url, 'GET', '/conversations/AAAAAAAAAAAAAAAAAAAAAA/activities', fresh.token);
      expect(unknown.status).toBe(404);
      expectFriendlyError(unknown.json);
      expect((await dl(srv.url, 'GET', `/conversations/${'x'.repeat(300)}/activities`, fresh.token)).status).toBe(404);
      expect((await dl(srv.url, 'POST', '/conversations/AAAAAAAAAAAAAAAAAAAAAA/activities', fresh.token, { type: 'message', text: 'x' })).status).toBe(404);
      clock += 61 * 60_000; // idle expiry (the token is refreshed first, so only the conversation is gone)
      const later = await session(srv.url, { identity: s.identity });
      expect((await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities`, later.token)).status).toBe(404);
    });

    it('when the watermark is malformed, then 400', async () => {
      const s = await startConversation(srv.url);
      for (const w of ['abc', '-1', '1e3', '99999999999']) {
        const r = await dl(srv.url, 'GET', `/conversations/${s.conversationId}/activities?watermark=${w}`, s.token);
        expect(r.status).toBe(400);
        expectFriendlyError(r.json, 'BadArgument');
      }
      expect((await dl(srv.url, 'GET', `/conversations/${s.conversationId}?watermark=zz`, s.token)).status).toBe(400);
    });

    it('when the activity is oversized, then 413, also past the server-wide body limit', async () => {
      const s = await startConversation(srv.url);
      const path = `/conversations/${s.conversationId}/activities`;
      const long = await dl(srv.url, 'POST', path, s.token, { type: 'message', text: '骗'.repeat(8001) });
      expect(long.status).toBe(413);
      expectFriendlyError(long.json, 'MessageSizeTooBig');
      expect((await dl(srv.url, 'POST', path, s.token, { type: 'message', text: 'x', value: { v: 'x'.repeat(100_000) } })).status).toBe(413);
      expect((await dl(srv.url, 'POST', path, s.token, { type: 'message', text: 'x'.repeat(300_000) })).status).toBe(413);
      expect((await dl(srv.url, 'POST', path, s.token, '{not json')).status).toBe(400);
      expect((await dl(srv.url, 'POST', path, s.token, { type: 'invoke', name: 'x' })).status).toBe(400);
      const history = await dl(srv.url, 'GET', path, s.token);
      expect(history.json.activities).toHaveLength(1); // only the greeting: nothing refused reached the bot
    });

    it('when one client floods polls, then 429 with Retry-After', async () => {
      const s = await startConversation(srv.url);
      const path = `/conversations/${s.conversationId}/activities`;
      const statuses: number[] = [];
      for (let i = 0; i < 110; i++) statuses.push((await dl(srv.url, 'GET', path, s.token)).status);
      expect(statuses.slice(0, 90).every((x) => x === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      const r = await dl(srv.url, 'GET', path, s.token);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('10');
      expectFriendlyError(r.json, 'TooManyRequests');
      // Another user is not affected.
      const other = await startConversation(srv.url);
      expect((await dl(srv.url, 'GET', `/conversations/${other.conversationId}/activities`, other.token)).status).toBe(200);
      // A minute later the flooder may poll again.
      clock += 61_000;
      expect((await dl(srv.url, 'GET', path, s.token)).status).toBe(200);
    });

    it("when I use another user's conversation id with my token, then 403", async () => {
      const mine = await startConversation(srv.url);
      const theirs = await startConversation(srv.url);
      for (const [method, path, body] of [
        ['GET', `/conversations/${theirs.conversationId}/activities`],
        ['GET', `/conversations/${theirs.conversationId}`],
        ['POST', `/conversations/${theirs.conversationId}/activities`, { type: 'message', text: '偷看' }],
      ] as const) {
        const r = await dl(srv.url, method, path, mine.token, body);
        expect(r.status).toBe(403);
        expectFriendlyError(r.json);
      }
      // A token bound to one of my conversations does not open my other one either.
      const second = await dl(srv.url, 'POST', '/conversations', (await session(srv.url, { identity: mine.identity })).token, {});
      expect((await dl(srv.url, 'GET', `/conversations/${second.json.conversationId}/activities`, mine.token)).status).toBe(403);
      const theirHistory = await dl(srv.url, 'GET', `/conversations/${theirs.conversationId}/activities`, theirs.token);
      expect(theirHistory.json.activities).toHaveLength(1);
    });

    it('when messages come faster than the per-user message limit, then one kind reply, then 429', async () => {
      await srv.close();
      srv = await startEchoServer({ now: () => clock, ratePerMinute: 2 });
      const s = await startConversation(srv.url);
      const path = `/conversations/${s.conversationId}/activities`;
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await dl(srv.url, 'POST', path, s.token, { type: 'message', text: `m${i}` })).status);
      expect(codes).toEqual([200, 200, 200, 429]);
      const all = await dl(srv.url, 'GET', path, s.token);
      expect(all.json.activities.at(-1).text).toMatch(/太快/);
    });
  });
});
