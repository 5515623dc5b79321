import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReusingBotFrameworkAuthentication } from '../../src/channels/cloud-adapter.js';
import { startTestApp } from '../helpers/app.js';

const activity = { type: 'message', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'c' }, from: { id: 'u' } } as Activity;

describe('when turns ask for outbound clients', () => {
  it('then the same service URL gets the same connector client, and another URL its own', async () => {
    const auth = new ReusingBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const first = await auth.authenticateRequest(activity, '');
    const second = await auth.authenticateRequest(activity, '');
    const a = await first.connectorFactory!.create('http://127.0.0.1:1/', first.audience);
    const b = await second.connectorFactory!.create('http://127.0.0.1:1/', second.audience);
    const c = await second.connectorFactory!.create('http://127.0.0.1:2/', second.audience);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(await auth.createUserTokenClient(first.claimsIdentity)).toBe(await auth.createUserTokenClient(second.claimsIdentity));
  });
});

/** A stand-in channel on this machine that records the replies a bot posts to it. */
function fakeChannel(): Promise<{ url: string; replies: { path: string; body: { text?: string } }[]; close: () => Promise<void> }> {
  const replies: { path: string; body: { text?: string } }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (d) => (data += d));
    req.on('end', () => {
      replies.push({ path: req.url ?? '', body: JSON.parse(data || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `r${replies.length}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, replies, close: () => new Promise((r) => server.close(() => r())) }),
    ),
  );
}

describe('when a channel sends turns that are answered by posting back to it', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let channel: Awaited<ReturnType<typeof fakeChannel>>;
  beforeAll(async () => {
    channel = await fakeChannel();
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
    await channel.close();
  });

  it('then every turn’s replies reach the channel', async () => {
    for (const [i, text] of ['菜单', '求助电话'].entries()) {
      const r = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, id: `m${i}`, serviceUrl: channel.url, conversation: { id: 'conv-out' }, from: { id: 'u-out' }, recipient: { id: 'bot' }, text }),
      });
      expect(r.status).toBe(200);
    }
    expect(channel.replies.length).toBeGreaterThanOrEqual(2);
    expect(channel.replies.every((r) => r.path.startsWith('/v3/conversations/conv-out/activities'))).toBe(true);
    expect(channel.replies.some((r) => /110|96110/.test(JSON.stringify(r.body)))).toBe(true);
  });
});
