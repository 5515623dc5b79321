/**
 * The staff dashboard and a class report rendered by real headless Chromium, with
 * screenshots in artifacts/ (copied to docs/ for the README with UPDATE_DOCS_SCREENSHOT=1).
 * Skipped only when Chromium is missing and CI is unset; on CI a missing browser fails.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectQuizSet } from '../../src/classes/quiz-set.js';
import { createClassRepo } from '../../src/store/classes.js';
import { PROJECT_ROOT, startTestApp } from '../helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TOKEN = 'browser-token-0123456789abcdef';
const ARTIFACTS = path.join(PROJECT_ROOT, 'artifacts');
const DOCS = path.join(PROJECT_ROOT, 'docs');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.warn(`[pages-browser] skipped: Chromium not found at ${CHROMIUM} (install it with: apt-get install chromium). On CI this test fails instead.`);
}

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const NICKS = ['小熊猫', '三班学霸', '追风少年', '奶茶不加糖', '反诈小卫士', '星星', '橘子汽水', '闪电侠', '小番茄', '云朵', '阿木', '跳跳糖', '大白', '小鹿', '柠檬', '海盐', '飞鱼', '晚风', '小刺猬', '西瓜', '青团', '豆包', '木棉', '松果', '栗子', '白桃', '蓝鲸', '小满'];

/** A few weeks of activity, so the charts have something to draw. */
async function seed(app: TestApp): Promise<string> {
  let s = 42;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const now = Date.now();
  const content = app.live.current.content;
  const types = content.fraudTypes.map((t) => t.id);
  const weights = content.fraudTypes.map((t) => t.share);
  const pickType = () => {
    let r = rnd() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < types.length; i++) if ((r -= weights[i]) <= 0) return types[i];
    return types[0];
  };
  for (let d = 29; d >= 0; d--) {
    const n = 8 + Math.floor(rnd() * 20) + (d < 7 ? 10 : 0);
    for (let i = 0; i < n; i++) {
      const v = rnd();
      const verdict = v < 0.45 ? 'high-risk' : v < 0.75 ? 'suspicious' : 'low-risk';
      await app.services.insights.recordTriage({ at: now - d * 86_400_000 - Math.floor(rnd() * 80_000_000), verdict, fraudType: verdict === 'low-risk' && rnd() < 0.6 ? null : pickType(), group: null });
    }
  }
  const groups = ['student', 'elderly', 'middle-aged-woman', 'public-servant', 'young-job-seeker', 'general'];
  for (let u = 0; u < 60; u++) {
    const key = app.store.userKey('seed', `u${u}`);
    await app.store.saveProfile(key, { group: groups[u % groups.length] });
    for (let k = 0; k < 12; k++) {
      const q = content.questions[Math.floor(rnd() * content.questions.length)];
      await app.store.recordAnswer(key, { kind: 'question', itemId: q.id, version: q.version, fraudType: q.fraudType, correct: rnd() < 0.7, at: now - Math.floor(rnd() * 20 * 86_400_000) });
    }
    for (let k = 0; k < 2; k++) {
      const sc = content.scenarios[Math.floor(rnd() * content.scenarios.length)];
      await app.store.recordAnswer(key, { kind: 'scenario', itemId: sc.id, version: sc.version, fraudType: sc.fraudType, correct: rnd() < 0.55, at: now - Math.floor(rnd() * 20 * 86_400_000) });
    }
  }
  for (const [text, fraudType] of [
    ['【通知】您的ETC已失效，请点击 etc-gx.top 重新认证，逾期将影响通行。', 'other'],
    ['宝妈在家就能做，手机操作，每天1小时，日结200，加微信 [已隐藏] 了解。', 'order-brushing'],
    ['您好，我是抖音客服，您开通的百万保障会员下月扣费，需要关闭请加 QQ [已隐藏]。', 'fake-customer-service'],
  ] as const) {
    await app.services.insights.shareMessage({ at: now - Math.floor(rnd() * 5 * 86_400_000), text, verdict: 'suspicious', fraudType });
  }

  // A finished class of 28 with pre/post tests.
  const repo = createClassRepo(app.store);
  const set = selectQuizSet(content, { audience: 'middle', types: 'top', count: 8, prePost: true }, rnd);
  const teacher = app.store.userKey('seed', 'teacher');
  const { session, reportToken } = await repo.create({ teacherKey: teacher, spec: { audience: 'middle', types: 'top', count: 8, prePost: true }, items: set.items, testItems: set.testItems, now: now - 3_600_000, expiresAt: now + 2 * 3_600_000 });
  await repo.openPost(session.id, teacher, now - 600_000);
  for (let i = 0; i < NICKS.length; i++) {
    const j = await repo.join(session.id, app.store.userKey('seed', `kid${i}`), NICKS[i], now - 3_000_000);
    if (j.kind === 'nickname-taken') continue;
    const skill = 0.35 + rnd() * 0.5;
    const answer = async (phase: 'pre' | 'main' | 'post', items: typeof set.items, p: number) => {
      for (let k = 0; k < items.length; k++) {
        const right = rnd() < p;
        const item = items[k];
        await repo.answer(session.id, { studentId: j.student.id, phase, index: k, questionId: item.id, fraudType: item.fraudType, chosen: right ? item.correct : (item.correct + 1) % item.options.length, correct: right, at: now - 2_000_000 + k }, now - 2_000_000);
      }
    };
    await answer('pre', set.testItems, skill - 0.15);
    await answer('main', i < 25 ? set.items : set.items.slice(0, 4), skill);
    if (i < 23) await answer('post', set.testItems, skill + 0.25);
  }
  return reportToken;
}

describe.skipIf(!haveChromium && !process.env.CI)('the pages in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let reportToken: string;

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_TOKEN: TOKEN });
    reportToken = await seed(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    mkdirSync(DOCS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('when staff log in with the form, then the dashboard renders its charts with no script or style errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' });
    const first = await page.goto(`${app.url}/admin`);
    expect(first?.status()).toBe(401);
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=每天识别的消息');
    // From here on (logged in), any console error or CSP violation is a failure.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.reload();
    expect(await page.title()).toBe('反诈助手 · 管理后台');
    const svgs = await page.locator('svg').count();
    expect(svgs).toBeGreaterThanOrEqual(3);
    const box = await page.locator('section svg').first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    expect(await page.locator('#shared tr').count()).toBe(4); // header + 3 messages
    // The HttpOnly cookie is invisible to scripts.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // Mark a shared message as used straight from the page.
    await Promise.all([page.waitForURL(/shared=new/), page.locator('#shared button', { hasText: '标为已采用' }).first().click()]);
    expect(await page.locator('#shared tr').count()).toBe(3);
    const file = path.join(ARTIFACTS, 'admin-dashboard.png');
    await page.goto(`${app.url}/admin`);
    await page.screenshot({ path: file, fullPage: true });
    // Tests write only to artifacts/; UPDATE_DOCS_SCREENSHOT=1 refreshes the README's copy.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(file, path.join(DOCS, 'admin-dashboard.png'));
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('when a teacher opens the report link, then the class report renders its charts, scores and CSV link', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const res = await page.goto(`${app.url}/class-report/${reportToken}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('反诈课堂报告');
    expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(3);
    const text = await page.locator('body').innerText();
    expect(text).toContain('28\n人加入');
    expect(text).toContain('25\n人完成全部题目');
    expect(text).toContain('小熊猫');
    const csvHref = await page.locator('a', { hasText: '下载 CSV' }).getAttribute('href');
    expect(csvHref).toBe(`/class-report/${reportToken}.csv`);
    const file = path.join(ARTIFACTS, 'class-report.png');
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(file, path.join(DOCS, 'class-report.png'));
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
