import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startTestApp } from '../helpers/app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

let seq = 0;
function activity(over: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `a${++seq}`,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    conversation: { id: 'conv-1' },
    from: { id: 'user-1', name: '居民' },
    recipient: { id: 'bot', name: 'fanzha' },
    text: '菜单',
    ...over,
  };
}

async function post(app: TestApp, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: { activities?: { text?: string; attachments?: { content: { title?: string; text?: string } }[] }[]; error?: string } = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, text, json };
}

function expectNoInternals(body: string) {
  expect(body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error:|TypeError|stack/);
}

describe('POST /api/messages in development mode', () => {
  let app: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '6', MAX_BODY_BYTES: '200000' }, { log: createLogger('debug', sink) });
  });
  afterAll(() => app.close());

  it('when a message arrives with expectReplies, then the replies come back in the response', async () => {
    const r = await post(app, activity({ from: { id: 'u-menu' } }));
    expect(r.status).toBe(200);
    expect(r.json.activities?.length).toBeGreaterThan(0);
  });

  it('when someone GETs the endpoint, then 405', async () => {
    const res = await fetch(`${app.url}/api/messages`);
    expect(res.status).toBe(405);
    expectNoInternals(await res.text());
  });

  it('when the body is not JSON, then 400 without parser details', async () => {
    const r = await post(app, '{"type": "message", oops');
    expect(r.status).toBe(400);
    expectNoInternals(r.text);
    expect(r.text).not.toContain('Unexpected');
  });

  it.each([
    ['an array', []],
    ['a string', 'hello'],
    ['null', null],
  ])('when the body is %s, then 400', async (_name, body) => {
    const r = await post(app, JSON.stringify(body));
    expect(r.status).toBe(400);
  });

  it('when the activity has no type, then 400', async () => {
    const a = activity();
    delete (a as Record<string, unknown>).type;
    expect((await post(app, a)).status).toBe(400);
  });

  it('when the body is over the limit, then 413', async () => {
    const r = await post(app, activity({ text: '钱'.repeat(100_000) }));
    expect(r.status).toBe(413);
    expectNoInternals(r.text);
  });

  it('when the JSON is nested thousands deep, then 400 and the server stays up', async () => {
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    const body = JSON.stringify(activity()).replace(/}$/, `,"channelData":${deep}}`);
    expect((await post(app, body)).status).toBe(400);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('when from.id is missing or huge, then 400', async () => {
    expect((await post(app, activity({ from: { name: 'x' } }))).status).toBe(400);
    expect((await post(app, activity({ from: { id: 'x'.repeat(5_000) } }))).status).toBe(400);
  });

  it('when the activity type is unknown, then it is accepted quietly', async () => {
    const r = await post(app, activity({ type: 'somethingNew', from: { id: 'u-unknown' } }));
    expect(r.status).toBe(200);
  });

  it('when a message has no text, then the bot answers with the menu', async () => {
    const r = await post(app, activity({ text: undefined, from: { id: 'u-notext' } }));
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json)).toMatch(/想做什么|反诈助手/);
  });

  it('when someone pastes 100 KB of text, then they get a verdict about the first part', async () => {
    const body = activity({ text: '我是公安局的，你涉嫌洗钱，把钱转到安全账户。'.repeat(4_500).slice(0, 60_000), from: { id: 'u-long' } });
    const r = await post(app, body);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json)).toMatch(/消息太长，只分析了前 \d+ 个字/);
  });

  it('when the serviceUrl is not this machine, then development mode refuses it', async () => {
    const r = await post(app, activity({ serviceUrl: 'https://example.org/bot', from: { id: 'u-ssrf' } }));
    expect(r.status).toBe(403);
  });

  it('when one user sends two answers at the same moment, then exactly one is recorded', async () => {
    const from = { id: 'u-race' };
    await post(app, activity({ from, text: '你好', conversation: { id: 'c-race' } }));
    await post(app, activity({ from, text: '每日一题', conversation: { id: 'c-race' } }));
    const [a, b] = await Promise.all([
      post(app, activity({ from, text: '1', conversation: { id: 'c-race' } })),
      post(app, activity({ from, text: '1', conversation: { id: 'c-race' } })),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const answers = await app.store.answers(app.store.userKey('emulator', 'u-race'));
    expect(answers).toHaveLength(1);
  });

  it('when one user floods the bot, then they get one kind message and then 429s, and others are unaffected', async () => {
    const from = { id: 'u-flood' };
    const statuses: number[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await post(app, activity({ from, text: '菜单', conversation: { id: 'c-flood' } }));
      statuses.push(r.status);
      texts.push(JSON.stringify(r.json));
    }
    expect(statuses.slice(0, 7)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(texts[6]).toContain('你发得太快了');
    expect(statuses.slice(7)).toEqual([429, 429]);
    expect((await post(app, activity({ from: { id: 'u-other' } }))).status).toBe(200);
  });

  it('then the logs never contain the text people sent or their raw ids', () => {
    const all = logLines.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain('安全账户');
    expect(all).not.toContain('u-flood');
    expect(all).not.toContain('居民');
  });
});

describe('POST /api/messages with channel authentication', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ NODE_ENV: 'production', MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-password' });
  });
  afterAll(() => app.close());

  it('when a request has no token, then 401 and no reply is sent anywhere', async () => {
    const r = await post(app, activity({ deliveryMode: undefined, serviceUrl: 'https://example.org/' }));
    expect(r.status).toBe(401);
    expectNoInternals(r.text);
  });

  it('when a request has a forged token, then 401', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.c2lnbmF0dXJl';
    const r = await post(app, activity({ deliveryMode: undefined, serviceUrl: 'https://example.org/' }), { authorization: `Bearer ${forged}` });
    expect(r.status).toBe(401);
  });
});

describe('starting the service', () => {
  it('when NODE_ENV=production and no app id is set, then it refuses with a clear message', async () => {
    await expect(startTestApp({ NODE_ENV: 'production' })).rejects.toThrow(/生产模式.*MicrosoftAppId/);
  });
});
