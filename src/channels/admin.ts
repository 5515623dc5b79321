/**
 * The staff dashboard and content reload, behind ADMIN_TOKEN.
 *
 * GET  /admin                 dashboard (Authorization: Bearer <token>, or the login cookie)
 * POST /admin/login           form field `token` → HttpOnly SameSite=Strict cookie, 303 to /admin
 * POST /admin/logout          clears the cookie
 * POST /admin/shared/:id      form field `status` (used | dismissed | new) for a shared message
 * GET  /admin/export.csv      ?what=triage|types|quiz|classes|scenarios|shared&days=N
 * POST /admin/reload          reload knowledge/ and scenarios/; JSON result, problems as `file:line: path: message`
 *
 * Unset token: every route answers 403. Wrong or missing token: 401. Tokens are compared as
 * SHA-256 digests with crypto.timingSafeEqual (equal lengths, constant time). The cookie
 * holds an expiry and an HMAC made with the token, never the token itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { csvLine } from '../classes/report.js';
import type { Content } from '../content/load.js';
import type { ReloadResult } from '../content/live.js';
import { formatProblem } from '../content/yaml-file.js';
import type { Logger } from '../log.js';
import { createDashboardRepo, dayLabel, dayOf, DAY_MS, SHARED_STATUSES, type DashboardRepo, type SharedRow } from '../store/dashboard.js';
import type { Store } from '../store/types.js';
import { COLORS, esc, hbars, heatTable, page, pct, rateColor, sendCsv, sendHtml as sendPage, stackedColumns } from './html.js';
import type { RouteContext } from './server.js';

export const ADMIN_COOKIE = 'fanzha_admin';
const SESSION_MS = 8 * 3_600_000;
const DAY_CHOICES = [7, 30, 90, 365] as const;
const VERDICTS = ['high-risk', 'suspicious', 'low-risk'] as const;
const VERDICT_ZH: Record<string, string> = { 'high-risk': '高度疑似', suspicious: '可疑', 'low-risk': '未见明显迹象' };
const AUDIENCE_ZH: Record<string, string> = { primary: '小学', middle: '中学', university: '大学' };
const STATUS_ZH: Record<SharedRow['status'], string> = { new: '待处理', used: '已采用', dismissed: '已忽略' };

export interface AdminDeps {
  /** ADMIN_TOKEN; undefined turns the dashboard off. */
  token: string | undefined;
  store: Store;
  content(): Content;
  reload(): ReloadResult | Promise<ReloadResult>;
  now(): number;
  log?: Logger;
  /** Mark the cookie Secure (the service is reached over https). */
  secureCookie?: boolean;
  /** Write buffered counts before a page or export reads them. */
  beforeRead?: () => Promise<void>;
}

/** Admin pages post forms to themselves: browsers send Origin: null under no-referrer, so use same-origin. */
const sendHtml = (res: Response, status: number, html: string, extra: Record<string, string> = {}) => sendPage(res, status, html, { 'Referrer-Policy': 'same-origin', ...extra });

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two strings of any length (compares their SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function sessionMac(token: string, exp: number): string {
  return createHmac('sha256', token).update(`fanzha-admin-session:${exp}`).digest('base64url');
}

export function sessionCookieValue(token: string, now: number): string {
  const exp = now + SESSION_MS;
  return `${exp}.${sessionMac(token, exp)}`;
}

/** A genuine cookie past its expiry is just a lapsed login, not a guess: it is not counted as a failure. */
function cookieState(value: string, token: string, now: number): 'ok' | 'expired' | 'bad' {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return 'bad';
  const exp = Number(m[1]);
  // Compare first (constant time), then check the expiry.
  if (!safeEqual(m[2], sessionMac(token, exp))) return 'bad';
  return exp > now ? 'ok' : 'expired';
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

type Auth = 'off' | 'ok' | 'missing' | 'wrong';

/** Failed logins per client address: 10 per 10 minutes. */
class FailureWindow {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly limit = 10,
    private readonly windowMs = 10 * 60_000,
  ) {}
  blocked(key: string, now: number) {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list.length >= this.limit;
  }
  fail(key: string, now: number) {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.hits.clear();
  }
}

export function adminRoutes(deps: AdminDeps) {
  return (server: Server, ctx: RouteContext) => {
    const log = deps.log ?? ctx.log;
    const dash = createDashboardRepo(deps.store);
    const failures = new FailureWindow();
    const clientKey = (req: Request) => req.socket?.remoteAddress ?? 'unknown';

    function authOf(req: Request): Auth {
      const token = deps.token;
      if (!token) return 'off';
      const header = req.headers.authorization;
      if (typeof header === 'string' && header.length) {
        const m = /^Bearer\s+(.+)$/i.exec(header.trim());
        return m && safeEqual(m[1], token) ? 'ok' : 'wrong';
      }
      const cookie = readCookie(req, ADMIN_COOKIE);
      if (cookie === undefined || cookie === '') return 'missing';
      const state = cookieState(cookie, token, deps.now());
      return state === 'ok' ? 'ok' : state === 'expired' ? 'missing' : 'wrong';
    }

    /** Cookie-authenticated form posts must come from this site (SameSite=Strict does most of this). */
    function sameOrigin(req: Request): boolean {
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || origin === 'null') return origin === undefined;
      try {
        return new URL(origin).host === req.headers.host;
      } catch {
        return false;
      }
    }

    function refuse(req: Request, res: Response, auth: Auth, html: boolean) {
      if (auth === 'wrong') failures.fail(clientKey(req), deps.now());
      if (auth === 'off') {
        if (html) sendHtml(res, 403, page({ title: '管理后台未开启', heading: '管理后台未开启', body: '<section><p>服务器没有设置 ADMIN_TOKEN，管理后台已关闭。请在环境变量里设置一个至少 16 个字符的 ADMIN_TOKEN 后重启。</p></section>' }));
        else {
          res.status(403);
          res.json({ error: 'forbidden' });
        }
        return;
      }
      if (html) sendHtml(res, 401, loginPage(auth === 'wrong' ? '口令不对，请重新输入。' : undefined), { 'WWW-Authenticate': 'Bearer realm="fanzha-admin"' });
      else {
        res.header('WWW-Authenticate', 'Bearer realm="fanzha-admin"');
        res.status(401);
        res.json({ error: 'unauthorized' });
      }
    }

    /** Wraps a handler: token checks, failure limit, error page. */
    const guarded =
      (html: boolean, fn: (req: Request, res: Response) => Promise<void>) =>
      async (req: Request, res: Response) => {
        try {
          if (failures.blocked(clientKey(req), deps.now())) {
            res.status(429);
            res.json({ error: 'too many requests' });
            return;
          }
          const auth = authOf(req);
          if (auth !== 'ok') return refuse(req, res, auth, html);
          await fn(req, res);
        } catch (err) {
          log.error({ err: { message: (err as Error).message } }, 'admin request failed');
          if (!res.headersSent) {
            res.status(500);
            res.json({ error: 'internal error' });
          }
        }
      };

    const days = (req: Request) => {
      const d = Number((req.query as Record<string, string> | undefined)?.days);
      return (DAY_CHOICES as readonly number[]).includes(d) ? d : 30;
    };

    server.get('/admin', guarded(true, async (req, res) => {
      const d = days(req);
      const statusQ = String((req.query as Record<string, string> | undefined)?.shared ?? 'new');
      const status = (SHARED_STATUSES as readonly string[]).includes(statusQ) ? (statusQ as SharedRow['status']) : 'new';
      await deps.beforeRead?.();
      sendHtml(res, 200, await dashboardPage(dash, deps.content(), deps.now(), d, status));
    }));

    server.post('/admin/login', async (req: Request, res: Response) => {
      const now = deps.now();
      if (!deps.token) return refuse(req, res, 'off', true);
      if (failures.blocked(clientKey(req), now)) {
        res.status(429);
        res.json({ error: 'too many requests' });
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const given = typeof body.token === 'string' ? body.token : '';
      if (!sameOrigin(req) || !given || !safeEqual(given, deps.token)) return refuse(req, res, 'wrong', true);
      const cookie = `${ADMIN_COOKIE}=${sessionCookieValue(deps.token, now)}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${deps.secureCookie ? '; Secure' : ''}`;
      res.writeHead(303, { Location: '/admin', 'Set-Cookie': cookie, 'Cache-Control': 'no-store' });
      res.end();
    });

    server.post('/admin/logout', async (_req: Request, res: Response) => {
      res.writeHead(303, { Location: '/admin', 'Set-Cookie': `${ADMIN_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`, 'Cache-Control': 'no-store' });
      res.end();
    });

    server.post('/admin/shared/:id', guarded(true, async (req, res) => {
      const id = Number(req.params?.id);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const status = String(body.status ?? '');
      if (!sameOrigin(req)) {
        res.status(403);
        res.json({ error: 'forbidden' });
        return;
      }
      if (!Number.isSafeInteger(id) || !(SHARED_STATUSES as readonly string[]).includes(status)) {
        res.status(400);
        res.json({ error: 'bad request' });
        return;
      }
      const ok = await dash.setSharedStatus(id, status as SharedRow['status']);
      const back = typeof body.back === 'string' && /^(new|used|dismissed)$/.test(body.back) ? body.back : 'new';
      res.writeHead(ok ? 303 : 404, { Location: `/admin?shared=${back}#shared`, 'Cache-Control': 'no-store' });
      res.end();
    }));

    server.get('/admin/export.csv', guarded(false, async (req, res) => {
      const what = String((req.query as Record<string, string> | undefined)?.what ?? 'triage');
      const d = days(req);
      const since = deps.now() - d * DAY_MS;
      await deps.beforeRead?.();
      const content = deps.content();
      const typeName = (t: string | null) => (t ? (content.fraudTypeById.get(t as never)?.name.zh ?? t) : '');
      const groupName = (g: string | null) => (g ? (content.groupById.get(g)?.name ?? g) : '未选择');
      let lines: string[];
      switch (what) {
        case 'triage':
          lines = [csvLine(['日期', '判断', '条数']), ...(await dash.triageByDay(since)).map((r) => csvLine([dayLabel(r.day), VERDICT_ZH[r.verdict], r.n]))];
          break;
        case 'types':
          lines = [csvLine(['诈骗类型', '判断', '条数']), ...(await dash.triageByType(since)).map((r) => csvLine([typeName(r.fraudType) || '（未归类）', VERDICT_ZH[r.verdict], r.n]))];
          break;
        case 'quiz':
          lines = [csvLine(['人群', '诈骗类型', '作答', '答对', '正确率%']), ...(await dash.quizByGroupAndType(since)).map((r) => csvLine([groupName(r.group), typeName(r.fraudType), r.n, r.correct, ((r.correct / r.n) * 100).toFixed(1)]))];
          break;
        case 'classes':
          lines = [csvLine(['年级', '诈骗类型', '作答', '答对', '正确率%']), ...(await dash.classesByAudienceAndType(since)).map((r) => csvLine([AUDIENCE_ZH[r.audience] ?? r.audience, typeName(r.fraudType), r.n, r.correct, ((r.correct / r.n) * 100).toFixed(1)]))];
          break;
        case 'scenarios':
          lines = [csvLine(['情景', '标题', '玩过', '被骗', '被骗率%']), ...(await dash.scenariosMostFailed(since, 1000)).map((r) => csvLine([r.itemId, content.scenarioById.get(r.itemId)?.title ?? '', r.attempts, r.failed, ((r.failed / r.attempts) * 100).toFixed(1)]))];
          break;
        case 'shared': {
          const rows = [...(await dash.shared('new', 5000)), ...(await dash.shared('used', 5000)), ...(await dash.shared('dismissed', 5000))];
          lines = [csvLine(['编号', '时间', '状态', '判断', '诈骗类型', '内容（已去除个人信息）']), ...rows.map((r) => csvLine([r.id, new Date(r.at).toISOString(), STATUS_ZH[r.status], VERDICT_ZH[r.verdict] ?? r.verdict, typeName(r.fraudType), r.text]))];
          break;
        }
        default:
          res.status(400);
          res.json({ error: 'bad request' });
          return;
      }
      sendCsv(res, `fanzha-${what}-${d}d.csv`, '\uFEFF' + lines.join('\r\n') + '\r\n');
    }));

    server.post('/admin/reload', guarded(false, async (req, res) => {
      if (!req.headers.authorization && !sameOrigin(req)) {
        res.status(403);
        res.json({ error: 'forbidden' });
        return;
      }
      const r = await deps.reload();
      if (r.ok) {
        log.info({ changed: r.changed }, 'content reload requested by staff');
        res.status(200);
        res.json({ ok: true, changed: r.changed, ms: Math.round(r.ms), fingerprint: deps.content().fingerprint.slice(0, 12) });
      } else {
        res.status(422);
        res.json({ ok: false, problems: r.problems.map(formatProblem), fingerprint: deps.content().fingerprint.slice(0, 12) });
      }
    }));
  };
}

function loginPage(error?: string): string {
  return page({
    title: '反诈助手 · 管理后台登录',
    heading: '反诈助手 · 管理后台',
    body: `<section style="max-width:420px"><h2>登录</h2>${error ? `<p class="no">${esc(error)}</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="username" value="staff" autocomplete="username">
<p><label>管理口令（ADMIN_TOKEN）<br><input type="password" name="token" autocomplete="current-password" required style="width:100%;padding:6px"></label></p>
<p><button class="btn" type="submit">登录</button></p>
</form><p class="muted">登录状态保存在本浏览器 8 小时。</p></section>`,
  });
}

async function dashboardPage(dash: DashboardRepo, content: Content, now: number, d: number, sharedStatus: SharedRow['status']): Promise<string> {
  const since = now - d * DAY_MS;
  const typeName = (t: string | null) => (t ? (content.fraudTypeById.get(t as never)?.name.zh ?? t) : '（未归类）');
  const [byDay, byType, quiz, classes, scenarios, shared, sharedCounts] = await Promise.all([
    dash.triageByDay(since),
    dash.triageByType(since),
    dash.quizByGroupAndType(since),
    dash.classesByAudienceAndType(since),
    dash.scenariosMostFailed(since, 10),
    dash.shared(sharedStatus, 200),
    dash.sharedCounts(),
  ]);
  const series = VERDICTS.map((v) => ({ name: VERDICT_ZH[v], color: COLORS.verdict[v] }));
  const sections: string[] = [];
  const total = byDay.reduce((n, r) => n + r.n, 0);
  const high = byDay.filter((r) => r.verdict === 'high-risk').reduce((n, r) => n + r.n, 0);
  const answered = quiz.reduce((n, r) => n + r.n, 0);
  const right = quiz.reduce((n, r) => n + r.correct, 0);
  sections.push(
    `<nav class="tabs">统计范围：${DAY_CHOICES.map((x) => `<a href="/admin?days=${x}" class="${x === d ? 'on' : ''}">近 ${x} 天</a>`).join('')}
<form class="inline" method="post" action="/admin/logout"><button class="btn secondary small" type="submit">退出登录</button></form></nav>
<div class="tiles" style="margin-top:12px">
<div class="tile"><b>${total}</b><span>次识别</span></div>
<div class="tile"><b>${high}</b><span>次判为高度疑似诈骗</span></div>
<div class="tile"><b>${answered}</b><span>道题被作答（正确率 ${pct(answered ? right / answered : null)}）</span></div>
<div class="tile"><b>${sharedCounts.new}</b><span>条分享消息待处理</span></div>
</div>`,
  );

  // Triage volume over time, by verdict.
  const firstDay = dayOf(since) + 1;
  const lastDay = dayOf(now);
  const dayCols: { label: string; parts: number[] }[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const rows = byDay.filter((r) => r.day === day);
    dayCols.push({ label: dayLabel(day).slice(5), parts: VERDICTS.map((v) => rows.find((r) => r.verdict === v)?.n ?? 0) });
  }
  sections.push(`<section><h2>每天识别的消息（按判断）</h2>${stackedColumns(dayCols, { series, title: '每天识别的消息' })}<p><a href="/admin/export.csv?what=triage&days=${d}">导出 CSV</a></p></section>`);

  // By fraud type and verdict.
  const typeIds = [...new Set(byType.map((r) => r.fraudType))];
  const typeRows = typeIds
    .map((t) => ({ t, parts: VERDICTS.map((v) => byType.find((r) => r.fraudType === t && r.verdict === v)?.n ?? 0) }))
    .sort((a, b) => b.parts.reduce((x, y) => x + y, 0) - a.parts.reduce((x, y) => x + y, 0));
  const maxType = Math.max(1, ...typeRows.map((r) => r.parts.reduce((x, y) => x + y, 0)));
  sections.push(
    `<section><h2>按诈骗类型</h2>${hbars(
      typeRows.map((r) => ({ label: typeName(r.t), values: r.parts, note: `${r.parts.reduce((x, y) => x + y, 0)} 次` })),
      { max: maxType, series, title: '按诈骗类型和判断统计的识别次数', labelWidth: 230 },
    )}<p><a href="/admin/export.csv?what=types&days=${d}">导出 CSV</a></p></section>`,
  );

  // Quiz results by group and fraud type.
  const groups = [...new Set(quiz.map((r) => r.group))].sort((a, b) => String(a).localeCompare(String(b)));
  const quizTypes = content.fraudTypes.map((t) => t.id).filter((t) => quiz.some((r) => r.fraudType === t));
  const groupName = (g: string | null) => (g ? (content.groupById.get(g)?.name ?? g) : '未选择人群');
  const perType = quizTypes.map((t) => {
    const rows = quiz.filter((r) => r.fraudType === t);
    const n = rows.reduce((x, r) => x + r.n, 0);
    const c = rows.reduce((x, r) => x + r.correct, 0);
    return { t, n, rate: n ? c / n : 0 };
  });
  sections.push(
    `<section><h2>答题结果：按诈骗类型和人群</h2>${hbars(
      perType.sort((a, b) => a.rate - b.rate).map((r) => ({ label: typeName(r.t), values: [r.rate], colors: [rateColor(r.rate)], note: `${pct(r.rate)}（${r.n} 次）` })),
      { max: 1, title: '各类骗局的答题正确率（从低到高）', labelWidth: 230 },
    )}<h3>人群 × 诈骗类型 正确率</h3>${heatTable(
      groups.map(groupName),
      quizTypes.map((t) => typeName(t)),
      groups.map((g) =>
        quizTypes.map((t) => {
          const r = quiz.find((x) => x.group === g && x.fraudType === t);
          return r ? { rate: r.correct / r.n, n: r.n } : null;
        }),
      ),
      '人群',
    )}<p><a href="/admin/export.csv?what=quiz&days=${d}">导出 CSV</a></p>
<h3>课堂答题：年级 × 诈骗类型</h3>${heatTable(
      ['primary', 'middle', 'university'].filter((a) => classes.some((r) => r.audience === a)).map((a) => AUDIENCE_ZH[a]),
      content.fraudTypes.map((t) => t.id).filter((t) => classes.some((r) => r.fraudType === t)).map((t) => typeName(t)),
      ['primary', 'middle', 'university']
        .filter((a) => classes.some((r) => r.audience === a))
        .map((a) =>
          content.fraudTypes
            .map((t) => t.id)
            .filter((t) => classes.some((r) => r.fraudType === t))
            .map((t) => {
              const r = classes.find((x) => x.audience === a && x.fraudType === t);
              return r ? { rate: r.correct / r.n, n: r.n } : null;
            }),
        ),
      '年级',
    )}<p><a href="/admin/export.csv?what=classes&days=${d}">导出 CSV</a></p></section>`,
  );

  // Scenarios most failed.
  sections.push(
    `<section><h2>最容易被骗的情景</h2>${hbars(
      scenarios.map((s) => ({
        label: content.scenarioById.get(s.itemId)?.title ?? s.itemId,
        values: [s.failed / s.attempts],
        colors: [COLORS.bad],
        note: `${pct(s.failed / s.attempts)}（${s.failed}/${s.attempts}）`,
      })),
      { max: 1, title: '情景被骗率（玩到“被骗”结局的比例）', labelWidth: 260 },
    )}<p><a href="/admin/export.csv?what=scenarios&days=${d}">导出 CSV</a></p></section>`,
  );

  // Shared messages queue.
  const tabs = SHARED_STATUSES.map((s) => `<a href="/admin?days=${d}&shared=${s}#shared" class="${s === sharedStatus ? 'on' : ''}">${STATUS_ZH[s]}（${sharedCounts[s]}）</a>`).join('');
  const actions = (r: SharedRow) =>
    SHARED_STATUSES.filter((s) => s !== r.status)
      .map(
        (s) =>
          `<form class="inline" method="post" action="/admin/shared/${r.id}"><input type="hidden" name="status" value="${s}"><input type="hidden" name="back" value="${sharedStatus}"><button class="btn small ${s === 'used' ? '' : 'secondary'}" type="submit">${s === 'used' ? '标为已采用' : s === 'dismissed' ? '忽略' : '放回待处理'}</button></form>`,
      )
      .join(' ');
  sections.push(
    `<section id="shared"><h2>居民分享的消息（已去除个人信息，经本人同意）</h2><nav class="tabs">${tabs}</nav>
${
  shared.length
    ? `<table><tr><th>时间</th><th>判断</th><th>类型</th><th>内容</th><th>操作</th></tr>${shared
        .map(
          (r) =>
            `<tr><td class="muted">${esc(new Date(r.at).toISOString().slice(0, 16).replace('T', ' '))}</td><td style="color:${COLORS.verdict[r.verdict] ?? '#333'}">${esc(VERDICT_ZH[r.verdict] ?? r.verdict)}</td><td>${esc(typeName(r.fraudType))}</td><td class="msg">${esc(r.text)}</td><td>${actions(r)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">没有这类消息。</p>'
}<p class="muted">把有用的消息改写成新的例子或情景（见 docs/authoring.md），然后标为「已采用」。</p><p><a href="/admin/export.csv?what=shared">导出 CSV</a></p></section>`,
  );

  return page({
    title: '反诈助手 · 管理后台',
    heading: '反诈助手 · 管理后台',
    sub: `内容版本 ${content.fingerprint.slice(0, 12)} · ${content.scenarios.length} 个情景 · ${content.questions.length} 道题 · 统计近 ${d} 天`,
    body: sections.join('\n'),
  });
}
