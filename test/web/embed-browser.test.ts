/**
 * Another site embeds Web Chat pointed at this service, with Web Chat's defaults (WebSocket
 * stream, not polling), in real headless Chromium. The embedding page is served from a
 * different origin, so the session, the Direct Line calls and the stream all cross origins.
 * Skipped without /usr/bin/chromium unless CI is set (then it fails), like the other browser tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = !!process.env.CI;

/** The embedding site's page: Web Chat from our server, a session, createDirectLine with defaults. */
function embedPage(service: string, bundle: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某中学网站</title></head>
<body><h1>某中学 · 反诈专栏</h1><div id="wc" style="height:600px"></div>
<script src="${service}${bundle}"></script>
<script>
(async () => {
  const r = await fetch('${service}/api/webchat/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const s = await r.json();
  window.WebChat.renderWebChat({ directLine: window.WebChat.createDirectLine({ token: s.token, domain: '${service}' + s.domain }), locale: 'zh-CN' }, document.getElementById('wc'));
})().catch((e) => console.error('embed failed: ' + e.message));
</script></body></html>`;
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('Web Chat embedded on another site, with its default WebSocket', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
    app = await startTestApp();
    const home = await (await fetch(`${app.url}/`)).text();
    const bundle = /src="(\/static\/webchat\.js[^"]*)"/.exec(home)?.[1];
    if (!bundle) throw new Error('the page does not load the Web Chat bundle');
    const html = embedPage(app.url, bundle);
    site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    // Another port is another origin.
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => site?.close(r));
    await app?.close();
  });

  it('when a resident chats there, then the greeting and the verdict arrive over the stream', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    const sockets: string[] = [];
    const polls: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (r) => {
      if (r.method() === 'GET' && /\/activities(\?|$)/.test(r.url())) polls.push(r.url());
    });

    await page.goto(siteUrl);
    await page.locator('.ac-pushButton[title="学生"]').waitFor({ timeout: 20_000 });
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.click();
    await box.fill('有人打电话说我涉嫌洗钱，让我把存款转到安全账户配合调查');
    await box.press('Enter');
    await expect
      .poll(async () => page.$$eval('.ac-adaptiveCard', (cards) => cards.map((c) => (c.querySelector('.ac-textBlock')?.textContent ?? '').trim()).find((t) => /^(⚠️|❗)/u.test(t)) ?? ''), { timeout: 15_000 })
      .toMatch(/^(⚠️|❗)/u);

    expect(sockets.some((u) => /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[A-Za-z0-9_-]{22}\/stream\?t=/.test(u))).toBe(true);
    expect(polls).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
