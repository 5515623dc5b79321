/**
 * End to end in a real headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser download): the page at / with the real service behind it. Open it on a phone-sized
 * screen, press a menu button, paste a scam message, see the verdict card; reload and find
 * the conversation and the large-text setting still there.
 *
 * Without /usr/bin/chromium the test is skipped with a message, unless CI is set: then it fails.
 * A screenshot goes to artifacts/ (git-ignored); UPDATE_DOCS_SCREENSHOT=1 also copies it to
 * docs/screenshot-webchat.png for the README.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, startTestApp } from '../helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = !!process.env.CI;
const ARTIFACTS = path.join(PROJECT_ROOT, 'artifacts');

const SCAM =
  '【京东客服】您好，您购买的商品存在质量问题，我们将为您办理双倍退款。请点击 jd-tuikuan.cc 填写银行卡号和收到的验证码，逾期无法办理。';

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(`[browser test skipped] ${CHROMIUM} is missing: install it with \`apt-get install -y chromium fonts-noto-cjk\` (CI installs it and fails without it).`);
}

const isBig = (page: Page) => page.evaluate(() => document.documentElement.classList.contains('big'));

/** Titles of the hero cards on the page (Adaptive Cards render the title as the first text block). */
function cardTitles(page: Page): Promise<string[]> {
  return page.$$eval('.ac-adaptiveCard', (cards) => cards.map((c) => (c.querySelector('.ac-textBlock')?.textContent ?? '').trim()));
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('the web chat page in headless Chromium', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('when a resident opens the page, presses a menu button and pastes a scam message, then the verdict card shows', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });

    await page.goto(`${app.url}/`);
    // The header and the hotlines are there before anything else loads.
    expect((await page.locator('h1').textContent())?.trim()).toBe('反诈助手');
    expect(await page.locator('a[href="tel:110"]').isVisible()).toBe(true);
    expect(await page.locator('a[href="tel:96110"]').isVisible()).toBe(true);

    // The bot greets and offers the group buttons (a hero card with messageBack buttons).
    const student = page.locator('.ac-pushButton[title="学生"]');
    await student.waitFor({ timeout: 20_000 });
    await student.click();
    // The menu's suggested actions appear under the reply.
    await page.locator('.webchat__suggested-action', { hasText: '情景闯关' }).first().waitFor({ timeout: 10_000 });

    // The header's 菜单 button sends the menu request too.
    await page.click('#menu-button');
    await expect.poll(async () => page.locator('.webchat__bubble--from-user', { hasText: '菜单' }).count(), { timeout: 10_000 }).toBe(1);

    // Paste a suspicious message and send it.
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.click();
    await box.fill(SCAM);
    await box.press('Enter');
    await expect.poll(async () => (await cardTitles(page)).find((t) => /^(⚠️|❗)/u.test(t)) ?? '', { timeout: 15_000 }).toMatch(/^(⚠️|❗)/u);
    // The scam link quoted in the verdict is plain text, never a link to tap.
    expect(await page.locator('#chat a[href*="jd-tuikuan"]').count()).toBe(0);
    expect(await page.locator('#chat', { hasText: 'jd-tuikuan.cc' }).count()).toBe(1);

    // Show the pasted message and the top of the verdict card.
    await page.waitForTimeout(500);
    await page.locator('.webchat__bubble--from-user').last().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'webchat-verdict.png');
    await page.screenshot({ path: shot });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      mkdirSync(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
      copyFileSync(shot, path.join(PROJECT_ROOT, 'docs', 'screenshot-webchat.png'));
    }

    // Large text, then a reload: same identity, same conversation, and the setting is kept.
    await page.click('#big-button');
    expect(await isBig(page)).toBe(true);
    const identity = await page.evaluate(() => localStorage.getItem('fanzha.identity.v1'));
    expect(identity).toMatch(/^wi1\.dl_/);
    await page.reload();
    expect(await isBig(page)).toBe(true);
    expect(await page.getAttribute('#big-button', 'aria-pressed')).toBe('true');
    await expect.poll(async () => (await cardTitles(page)).some((t) => /^(⚠️|❗)/u.test(t)), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('fanzha.identity.v1'))).toBe(identity);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-large-text.png') });

    // A returning resident in a fresh conversation (the old one expired): no second onboarding,
    // the menu comes by itself, and no message appears in their name.
    await page.evaluate(() => localStorage.removeItem('fanzha.conversation.v1'));
    await page.reload();
    await page.locator('.webchat__suggested-action', { hasText: '情景闯关' }).first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.webchat__bubble--from-user').count()).toBe(0);
    expect(await page.locator('.ac-pushButton[title="学生"]').count()).toBe(0);

    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
  it('when a student opens a class join link, then the page joins for them and the address loses the code', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${app.url}/?join=zz9k2m`);
    // The page sends "加入 ZZ9K2M" as the student; this code does not exist, so the class flow says so.
    await page.locator('.webchat__bubble--from-user', { hasText: '加入 ZZ9K2M' }).waitFor({ timeout: 20_000 });
    await page.locator('#chat', { hasText: '没有找到这个课堂码' }).waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).search).toBe('');
    await context.close();
  }, 60_000);
  it('when a resident pastes a very long text, then it is cut to what the server takes and still gets a verdict', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.locator('.ac-pushButton[title="学生"]').waitFor({ timeout: 20_000 });
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.fill('你好，我是公安局的，你涉嫌洗钱，请把钱转到安全账户配合调查。'.repeat(400));
    await box.press('Enter');
    await expect.poll(async () => (await cardTitles(page)).find((t) => /^(⚠️|❗)/u.test(t)) ?? '', { timeout: 20_000 }).toMatch(/^(⚠️|❗)/u);
    expect(await page.locator('#chat', { hasText: '发送失败' }).count()).toBe(0);
    await context.close();
  }, 60_000);
});
