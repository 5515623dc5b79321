/**
 * The staff dashboard through the real server: refused when ADMIN_TOKEN is unset, refused
 * without the token and with a wrong one, and usable with a Bearer token or the login cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_COOKIE, safeEqual, sessionCookieValue } from '../../src/channels/admin.js';
import { startTestApp } from '../helpers/app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
const TOKEN = 'staff-token-0123456789-abcdef';

async function get(app: TestApp, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
async function post(app: TestApp, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('when ADMIN_TOKEN is not set', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('then the dashboard, exports, login and reload are all refused with 403', async () => {
    expect((await get(app, '/admin')).status).toBe(403);
    expect((await get(app, '/admin')).text).toContain('ADMIN_TOKEN');
    expect((await get(app, '/admin', { authorization: 'Bearer anything-at-all-123' })).status).toBe(403);
    expect((await get(app, '/admin/export.csv?what=triage')).status).toBe(403);
    expect((await post(app, '/admin/login', 'token=anything')).status).toBe(403);
    expect((await post(app, '/admin/reload', '', { authorization: 'Bearer anything-at-all-123' })).status).toBe(403);
  });
});

describe('when ADMIN_TOKEN is set', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ADMIN_TOKEN: TOKEN });
    const now = Date.now();
    await app.services.insights.recordTriage({ at: now - 86_400_000, verdict: 'high-risk', fraudType: 'order-brushing', group: 'student' });
    await app.services.insights.recordTriage({ at: now, verdict: 'suspicious', fraudType: 'fake-customer-service', group: null });
    await app.services.insights.shareMessage({ at: now, text: '【某快递】您的包裹丢失，点击 t.cn/xxxx 办理双倍理赔', verdict: 'suspicious', fraudType: 'fake-customer-service' });
    const student = app.store.userKey('test', 's1');
    await app.store.saveProfile(student, { group: 'student' });
    await app.store.recordAnswer(student, { kind: 'question', itemId: 'q-ob-001', version: 1, fraudType: 'order-brushing', correct: false, at: now });
    await app.store.recordAnswer(student, { kind: 'scenario', itemId: 'order-brushing-student-likes', version: 1, fraudType: 'order-brushing', correct: false, at: now });
  });
  afterAll(() => app.close());

  it('then without a token the page answers 401 with a login form and no data', async () => {
    const r = await get(app, '/admin');
    expect(r.status).toBe(401);
    expect(r.text).toContain('<form method="post" action="/admin/login">');
    expect(r.text).not.toContain('t.cn/xxxx');
    expect((await get(app, '/admin/export.csv?what=shared')).status).toBe(401);
    expect((await post(app, '/admin/reload', '')).status).toBe(401);
  });

  it('then a wrong token, a token of another length or a forged cookie is refused with 401', async () => {
    expect((await get(app, '/admin', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` })).status).toBe(401);
    expect((await get(app, '/admin', { authorization: 'Bearer short' })).status).toBe(401);
    expect((await get(app, '/admin', { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` })).status).toBe(401);
    expect((await get(app, '/admin', { cookie: `${ADMIN_COOKIE}=${sessionCookieValue('some-other-token-123456', Date.now())}` })).status).toBe(401);
    expect((await get(app, '/admin', { cookie: `${ADMIN_COOKIE}=${sessionCookieValue(TOKEN, Date.now() - 9 * 3_600_000)}` })).status).toBe(401); // expired
    expect((await post(app, '/admin/reload', '', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
  });

  it('then the right Bearer token shows charts of triage, quiz results, failed scenarios and the shared queue', async () => {
    const r = await get(app, '/admin', { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((r.text.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    for (const s of ['每天识别的消息', '按诈骗类型', '答题结果', '最容易被骗的情景', '居民分享的消息', '刷单返利类', 't.cn/xxxx']) expect(r.text).toContain(s);
  });

  it('then logging in with the form sets an HttpOnly SameSite=Strict cookie that opens the dashboard', async () => {
    expect((await post(app, '/admin/login', 'token=nope')).status).toBe(401);
    const r = await post(app, '/admin/login', `token=${encodeURIComponent(TOKEN)}`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin');
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toContain(TOKEN);
    const value = cookie.split(';')[0];
    expect((await get(app, '/admin', { cookie: value })).status).toBe(200);
    // A tampered cookie is refused.
    expect((await get(app, '/admin', { cookie: value.slice(0, -2) + (value.endsWith('AA') ? 'BB' : 'AA') })).status).toBe(401);
  });

  it('then a shared message can be marked used, but not from another site', async () => {
    const id = (await app.store.get<{ id: number }>('SELECT id FROM shared_messages'))!.id;
    const cross = await post(app, `/admin/shared/${id}`, 'status=used', { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const r = await post(app, `/admin/shared/${id}`, 'status=used', { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(303);
    expect((await app.store.get<{ status: string }>('SELECT status FROM shared_messages WHERE id = ?', [id]))?.status).toBe('used');
    expect((await get(app, '/admin?shared=used', { authorization: `Bearer ${TOKEN}` })).text).toContain('t.cn/xxxx');
  });

  it('then each CSV export downloads with a header row', async () => {
    for (const [what, head] of [
      ['triage', '日期,判断,条数'],
      ['types', '诈骗类型,判断,条数'],
      ['quiz', '人群,诈骗类型,作答,答对,正确率%'],
      ['classes', '年级,诈骗类型,作答,答对,正确率%'],
      ['scenarios', '情景,标题,玩过,被骗,被骗率%'],
      ['shared', '编号,时间,状态,判断,诈骗类型,内容（已去除个人信息）'],
    ]) {
      const r = await get(app, `/admin/export.csv?what=${what}&days=30`, { authorization: `Bearer ${TOKEN}` });
      expect(r.status, what).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/csv');
      expect(r.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(head);
    }
    const quiz = await get(app, '/admin/export.csv?what=quiz', { authorization: `Bearer ${TOKEN}` });
    expect(quiz.text).toContain('学生,刷单返利类,1,0,0.0');
  });

  it('then POST /admin/reload with the token reloads the content and says whether it changed', async () => {
    const r = await post(app, '/admin/reload', '', { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ ok: true, changed: false });
  });
});

describe('when someone keeps guessing the admin token', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ADMIN_TOKEN: TOKEN });
  });
  afterAll(() => app.close());

  it('then after 10 wrong tries from one address even the right token waits (429)', async () => {
    for (let i = 0; i < 10; i++) expect((await get(app, '/admin', { authorization: `Bearer guess-${i}-0123456789abc` })).status).toBe(401);
    expect((await get(app, '/admin', { authorization: `Bearer ${TOKEN}` })).status).toBe(429);
  });
});

describe('comparing tokens', () => {
  it('when strings differ in length or content, then safeEqual says no without throwing; equal strings pass', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('令牌', '令牌')).toBe(true);
  });
});
