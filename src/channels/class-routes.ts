/**
 * GET /class-report/:token      the teacher's class report: numbers, charts, each nickname's score
 * GET /class-report/:token.csv  the same as one spreadsheet table
 *
 * The token is the only key (256 random bits; only its hash is stored). Unknown, malformed
 * and replaced tokens all get the same 404, so the page says nothing about which exist.
 */
import type { Request, Response, Server } from 'restify';
import { classZh as C } from '../bot/class-strings.zh.js';
import { buildReport, displayCode, reportCsv, type ClassReport } from '../classes/index.js';
import type { Content } from '../content/load.js';
import type { FraudTypeId } from '../content/schema.js';
import type { Logger } from '../log.js';
import type { ClassRepo } from '../store/classes.js';
import type { RouteContext } from './server.js';
import { COLORS, esc, hbars, page, pct, rateColor, sendCsv, sendHtml, stackedColumns } from './html.js';

export interface ClassRouteDeps {
  repo: ClassRepo;
  content(): Content;
  now(): number;
  log?: Logger;
}

const DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const STATUS: Record<ClassReport['status'], string> = { open: '进行中', closed: '已结束', expired: '已过期' };

export function classRoutes(deps: ClassRouteDeps) {
  return (server: Server, ctx: RouteContext) => {
    const log = deps.log ?? ctx.log;
    server.get('/class-report/:token', async (req: Request, res: Response) => {
      const raw = String(req.params?.token ?? '');
      const csv = raw.endsWith('.csv');
      const token = csv ? raw.slice(0, -4) : raw;
      try {
        const session = await deps.repo.byReportToken(token);
        if (!session) {
          sendHtml(res, 404, page({ title: '报告不存在', heading: '找不到这份课堂报告', body: '<section><p>链接不对，或者老师已经换了新的报告链接。请在反诈助手里发「课堂报告」，再点「换一个报告链接」。</p></section>' }));
          return;
        }
        const now = deps.now();
        const { students, answers } = await deps.repo.reportData(session.id);
        const report = buildReport(session, students, answers, now);
        if (csv) {
          sendCsv(res, `class-${session.code}.csv`, reportCsv(report));
          return;
        }
        sendHtml(res, 200, reportPage(report, token, deps.content()));
      } catch (err) {
        log.error({ err: { message: (err as Error).message } }, 'class report failed');
        sendHtml(res, 500, page({ title: '出错了', heading: '报告暂时打不开', body: '<section><p>请稍后刷新再试。</p></section>' }));
      }
    });
  };
}

export function reportPage(r: ClassReport, token: string, content: Pick<Content, 'fraudTypeById'>): string {
  const typeName = (t: FraudTypeId) => content.fraudTypeById.get(t)?.name.zh ?? t;
  const code = displayCode(r.code);
  const tiles = [
    [`${r.joined}`, '人加入'],
    [`${r.finished}`, '人完成全部题目'],
    [r.averageScore === null ? '—' : `${r.averageScore.toFixed(1)} / ${r.questionCount}`, `平均分（${pct(r.averageRate)}）`],
    ...(r.prePost ? [[r.prePost.gain === null ? '—' : `${r.prePost.gain >= 0 ? '+' : ''}${Math.round(r.prePost.gain * 100)}`, '课后比课前提高（百分点）']] : []),
  ];
  const sections: string[] = [];
  sections.push(`<div class="tiles">${tiles.map(([b, s]) => `<div class="tile"><b>${esc(b)}</b><span>${esc(s)}</span></div>`).join('')}</div>`);

  // Each question's correct rate.
  sections.push(`<section><h2>每道题的正确率</h2>${hbars(
    r.questions.map((q) => ({
      label: `第${q.index + 1}题 · ${typeName(q.fraudType)}`,
      values: [q.rate ?? 0],
      colors: [rateColor(q.rate)],
      note: q.rate === null ? '无人作答' : `${pct(q.rate)}（${q.correct}/${q.answered}）`,
    })),
    { max: 1, title: '每道题的正确率', labelWidth: 230 },
  )}</section>`);

  // Weakest fraud types.
  const weak = r.weakest.length ? `最需要加强：${r.weakest.map((t) => `${typeName(t.fraudType)}（${pct(t.rate)}）`).join('、')}` : r.types.length ? '各类骗局都掌握得不错。' : '';
  sections.push(`<section><h2>各类骗局的掌握情况</h2><p>${esc(weak)}</p>${hbars(
    r.types.map((t) => ({ label: typeName(t.fraudType), values: [t.rate], colors: [rateColor(t.rate)], note: `${pct(t.rate)}（${t.correct}/${t.answered}）` })),
    { max: 1, title: '各类骗局的正确率（从弱到强）', labelWidth: 230 },
  )}</section>`);

  // Pre/post gain.
  if (r.prePost) {
    const pp = r.prePost;
    const series = [
      { name: '课前', color: COLORS.light },
      { name: '课后', color: COLORS.primary },
    ];
    const rows = [
      ...(pp.pairs ? [{ label: `全体（${pp.pairs} 人）`, values: [pp.preRate ?? 0, pp.postRate ?? 0], note: `${pct(pp.preRate)} → ${pct(pp.postRate)}` }] : []),
      ...pp.perItem.map((it) => ({ label: `小测第${it.index + 1}题 · ${typeName(it.fraudType)}`, values: [it.preRate ?? 0, it.postRate ?? 0], note: `${pct(it.preRate)} → ${pct(it.postRate)}` })),
    ];
    const status = pp.postOpen ? `${pp.pairs} 人前后都做了（课前做了 ${pp.preTakers} 人）。进步只按前后都做了的同学算。` : `课后小测还没开放（课前做了 ${pp.preTakers} 人）。`;
    sections.push(`<section><h2>课前 → 课后</h2><p class="muted">${esc(status)}</p>${hbars(rows, { max: 1, series, title: '课前课后小测正确率', labelWidth: 230, format: (v) => pct(v) })}</section>`);
  }

  // Score distribution.
  if (r.students.length) {
    const dist = Array.from({ length: r.questionCount + 1 }, (_, s) => ({ label: `${s}分`, parts: [r.students.filter((x) => x.finished && x.score === s).length] }));
    sections.push(`<section><h2>得分分布（完成的同学）</h2>${stackedColumns(dist, { series: [{ name: '人数', color: COLORS.primary }], title: '得分分布', height: 200 })}</section>`);
  }

  // Each nickname's score.
  const head = `<tr><th>昵称</th><th class="num">得分</th><th class="num">已答</th>${r.prePost ? '<th class="num">课前</th><th class="num">课后</th>' : ''}<th>每题</th></tr>`;
  const body = r.students
    .map(
      (s) =>
        `<tr><td>${esc(s.nickname)}</td><td class="num">${s.score} / ${s.total}</td><td class="num">${s.answered}${s.finished ? '' : ' <span class="muted">未完成</span>'}</td>${
          r.prePost ? `<td class="num">${s.pre ?? '—'}</td><td class="num">${s.post ?? '—'}</td>` : ''
        }<td>${s.marks.map((m) => (m === null ? '<span class="muted">·</span>' : m ? '<span class="ok">✓</span>' : '<span class="no">✗</span>')).join(' ')}</td></tr>`,
    )
    .join('');
  sections.push(
    `<section><h2>每位同学的得分</h2>${r.students.length ? `<table>${head}${body}</table>` : '<p class="muted">还没有同学加入。</p>'}<p><a class="btn" href="/class-report/${esc(token)}.csv">下载 CSV（可用 Excel 打开）</a></p></section>`,
  );

  // The questions, for going over them in class.
  sections.push(
    `<section><h2>题目和答案</h2><table><tr><th>#</th><th>题目</th><th>正确答案</th><th class="num">正确率</th></tr>${r.questions
      .map((q) => `<tr><td>${q.index + 1}</td><td class="msg">${esc(q.prompt)}</td><td>${esc(q.options[q.correctOption])}</td><td class="num">${pct(q.rate)}</td></tr>`)
      .join('')}</table></section>`,
  );

  const sub = `课堂码 ${code} · ${C.audience[r.audience]} · ${r.questionCount} 道题 · ${STATUS[r.status]} · 开课于 ${DATE.format(new Date(r.createdAt))}`;
  return page({
    title: `课堂报告 ${code}`,
    heading: '反诈课堂报告',
    sub,
    body: sections.join('\n') + `<p class="muted">这个页面只显示昵称，不含真实姓名。链接请只给自己用；发「课堂报告」→「换一个报告链接」可以让旧链接失效。${r.status === 'open' ? '课堂进行中，页面每 30 秒自动刷新。' : ''}</p>`,
    refreshSeconds: r.status === 'open' ? 30 : undefined,
  });
}
