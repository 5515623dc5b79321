/**
 * The web chat page and its files over HTTP: what is served, compressed and cached, the
 * session endpoint in both Direct Line modes, and that nothing comes from a CDN or leaks the
 * Azure secret.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickEncoding } from '../../src/channels/web.js';
import { session, startEchoServer, type EchoServer } from '../channels/directline-helpers.js';
import { startTestApp } from '../helpers/app.js';

/** fetch() decompresses on its own; node:http shows the bytes on the wire. */
function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('the web chat page', () => {
  let srv: EchoServer;
  beforeAll(async () => {
    srv = await startEchoServer();
    await srv.web!.ready();
  });
  afterAll(async () => srv.close());

  it('when / is opened, then the page names the bot and the hotlines, in zh-CN, with a strict CSP and no CDN', async () => {
    const r = await raw(`${srv.url}/`, { 'Accept-Encoding': 'br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('no-cache');
    const html = zlib.brotliDecompressSync(r.body).toString('utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('反诈助手');
    expect(html).toMatch(/href="tel:110"/);
    expect(html).toMatch(/href="tel:96110"/);
    expect(html).toContain('name="viewport"');
    expect(html).toMatch(/src="\/static\/webchat\.js\?v=[0-9a-f]{10}" defer/);
    expect(html).not.toMatch(/\{\{|https?:\/\//);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|\*/);
  });

  it('when the Web Chat bundle is fetched, then it is the full bundle (hero cards), brotli-compressed and cached for a year', async () => {
    const url = srv.web!.bundle.url;
    const br = await raw(`${srv.url}${url}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(800 * 1024);
    const js = zlib.brotliDecompressSync(br.body).toString('utf8');
    expect(js).toContain('application/vnd.microsoft.card.hero');
    expect(js).toContain('createDirectLine');

    const gz = await raw(`${srv.url}${url}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(1100 * 1024);
    const plain = await raw(`${srv.url}${url}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(js);

    const again = await raw(`${srv.url}${url}`, { 'If-None-Match': String(br.headers.etag), 'Accept-Encoding': 'br' });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Without the right version the browser must revalidate.
    expect((await raw(`${srv.url}/static/webchat.js?v=old`)).headers['cache-control']).toBe('no-cache');
  });

  it("when the page's own files are fetched, then they are compressed, and unknown files are a friendly 404", async () => {
    for (const name of ['app.js', 'app.css', 'icon.svg']) {
      const r = await raw(`${srv.url}/static/${name}`, { 'Accept-Encoding': 'gzip' });
      expect(r.status, name).toBe(200);
      expect(r.headers['content-encoding'], name).toBe('gzip');
    }
    const js = zlib.gunzipSync((await raw(`${srv.url}/static/app.js`, { 'Accept-Encoding': 'gzip' })).body).toString();
    expect(js).not.toMatch(/https?:\/\//);
    expect(js).toContain("locale: 'zh-CN'");
    expect(js).toContain('sendTypingIndicator: true');
    const missing = await fetch(`${srv.url}/static/../../package.json`);
    expect(missing.status).toBe(404);
    const nope = await fetch(`${srv.url}/static/secret.key`);
    expect(nope.status).toBe(404);
    expect(await nope.json()).toEqual({ error: { code: 'NotFound', message: expect.any(String) } });
  });

  it('when a page asks for a session, then it gets a signed identity and a built-in Direct Line token, and keeps its user id', async () => {
    const first = await session(srv.url);
    expect(first).toMatchObject({ mode: 'builtin', domain: '/v3/directline', renewed: false, expiresIn: 1800 });
    expect(first.userId).toMatch(/^dl_/);
    const again = await session(srv.url, { identity: first.identity });
    expect(again.userId).toBe(first.userId);
    const r = await fetch(`${srv.url}/api/webchat/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identity: 5 }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('when Accept-Encoding is parsed, then q=0 refuses an encoding', () => {
    const both = { br: Buffer.from('b'), gzip: Buffer.from('g') };
    expect(pickEncoding('gzip, deflate, br', both)).toBe('br');
    expect(pickEncoding('br;q=0, gzip', both)).toBe('gzip');
    expect(pickEncoding('identity', both)).toBeUndefined();
    expect(pickEncoding(undefined, both)).toBeUndefined();
    expect(pickEncoding('br', { gzip: both.gzip })).toBeUndefined();
  });
});

describe('session limits', () => {
  it('when one address opens sessions in a flood, then 429', async () => {
    const srv = await startEchoServer({ web: { sessionsPerMinute: 5 } });
    try {
      const codes = [];
      for (let i = 0; i < 7; i++) codes.push((await fetch(`${srv.url}/api/webchat/session`, { method: 'POST' })).status);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await srv.close();
    }
  });
});

describe('WEBCHAT_DIRECTLINE=azure', () => {
  const SECRET = 'azure-direct-line-secret-DO-NOT-LEAK';
  let azure: http.Server;
  let azureUrl = '';
  const seen: { auth?: string; body: string }[] = [];
  let fail = false;
  let srv: EchoServer;

  beforeAll(async () => {
    // A stand-in for Azure's Direct Line token endpoint.
    azure = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body });
        if (fail || req.url !== '/v3/directline/tokens/generate') {
          res.writeHead(fail ? 500 : 404);
          res.end('{"error":{"code":"x","message":"internal azure detail"}}');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ conversationId: 'azconv', token: 'azure-token-123', expires_in: 3600 }));
      });
    });
    await new Promise<void>((r) => azure.listen(0, '127.0.0.1', r));
    azureUrl = `http://127.0.0.1:${(azure.address() as AddressInfo).port}/v3/directline`;
    srv = await startEchoServer({ web: { config: { WEBCHAT_DIRECTLINE: 'azure', DIRECTLINE_SECRET: SECRET, DIRECTLINE_DOMAIN: azureUrl }, directLine: undefined } });
  });
  afterAll(async () => {
    await srv.close();
    await new Promise((r) => azure.close(r));
  });

  it('when the page asks for a session, then the server exchanges the secret for a token and the page gets the Azure domain', async () => {
    const s = await session(srv.url);
    expect(s).toMatchObject({ mode: 'azure', domain: azureUrl, token: 'azure-token-123', expiresIn: 3600 });
    expect(s.conversationId).toBeUndefined();
    expect(seen.at(-1)!.auth).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ user: { id: s.userId } });
    const again = await session(srv.url, { identity: s.identity });
    expect(again.userId).toBe(s.userId);
    expect(JSON.parse(seen.at(-1)!.body).user.id).toBe(s.userId);
  });

  it('when anything is served to the browser, then the secret is not in it, and the CSP allows the Azure endpoint', async () => {
    const page = await fetch(`${srv.url}/`);
    const bodies = [await page.text(), await (await fetch(`${srv.url}/static/app.js`)).text(), JSON.stringify(await session(srv.url))];
    for (const b of bodies) expect(b).not.toContain(SECRET);
    expect(page.headers.get('content-security-policy')).toContain(new URL(azureUrl).origin);
  });

  it('when the whole service runs with WEBCHAT_DIRECTLINE=azure, then the built-in endpoints are off and sessions come from Azure', async () => {
    const app = await startTestApp({ WEBCHAT_DIRECTLINE: 'azure', DIRECTLINE_SECRET: SECRET, DIRECTLINE_DOMAIN: azureUrl });
    try {
      const s = await session(app.url);
      expect(s).toMatchObject({ mode: 'azure', domain: azureUrl, token: 'azure-token-123' });
      expect((await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${s.token}` } })).status).toBe(404);
      expect(await (await fetch(`${app.url}/`)).text()).toContain('反诈助手');
    } finally {
      await app.close();
    }
  });

  it('when Azure fails, then the page gets a friendly 502 without Azure internals', async () => {
    fail = true;
    try {
      const r = await fetch(`${srv.url}/api/webchat/session`, { method: 'POST' });
      expect(r.status).toBe(502);
      const body = await r.json();
      expect(body).toEqual({ error: { code: 'ServiceUnavailable', message: expect.stringMatching(/稍后/) } });
      expect(JSON.stringify(body)).not.toMatch(/internal azure detail|500/);
    } finally {
      fail = false;
    }
  });
});
