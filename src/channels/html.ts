/**
 * Small server-rendered pages (class report, staff dashboard): HTML escaping, a page shell
 * with inline CSS, and inline SVG charts written by hand. No scripts, no CDN: the pages work
 * offline, under a strict Content-Security-Policy, and print well.
 */
import type { Response } from 'restify';

export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const COLORS = {
  primary: '#1565c0',
  good: '#2e7d32',
  warn: '#ef6c00',
  bad: '#c62828',
  grey: '#9e9e9e',
  light: '#90caf9',
  verdict: { 'high-risk': '#c62828', suspicious: '#ef6c00', 'low-risk': '#2e7d32' } as Record<string, string>,
};

/** Green when most got it right, orange in between, red when most got it wrong. */
export function rateColor(rate: number | null): string {
  if (rate === null) return COLORS.grey;
  if (rate >= 0.8) return COLORS.good;
  if (rate >= 0.5) return COLORS.warn;
  return COLORS.bad;
}

export const pct = (r: number | null | undefined, digits = 0) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(digits)}%`);

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#222;background:#f5f7fa;line-height:1.5}
header{background:#1565c0;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.9}
main{max-width:1040px;margin:0 auto;padding:16px 24px 48px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px 20px;margin:16px 0}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:15px;margin:16px 0 8px}
.tiles{display:flex;flex-wrap:wrap;gap:12px}
.tile{flex:1 1 150px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:12px 16px}
.tile b{display:block;font-size:26px;color:#1565c0}
.tile span{color:#555;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e5e8ec;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f7;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#666;font-size:13px}
.ok{color:#2e7d32}.no{color:#c62828}
a{color:#1565c0}
.btn{display:inline-block;padding:6px 14px;border-radius:6px;background:#1565c0;color:#fff;text-decoration:none;border:0;font-size:14px;cursor:pointer}
.btn.secondary{background:#eceff1;color:#333}
.btn.small{padding:3px 10px;font-size:13px}
form.inline{display:inline}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:13px;margin:4px 0 8px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.msg{white-space:pre-wrap;word-break:break-all;max-width:560px}
nav.tabs a{margin-right:12px}
nav.tabs a.on{font-weight:700;text-decoration:none;color:#222}
svg text{font-family:inherit}
@media print{header{background:#fff;color:#000}section{box-shadow:none;border:1px solid #ddd}.btn{display:none}}
`;

export function page(o: { title: string; heading: string; sub?: string; body: string; refreshSeconds?: number }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
${o.refreshSeconds ? `<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ''}
<title>${esc(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(o.heading)}</h1>${o.sub ? `<p>${esc(o.sub)}</p>` : ''}</header>
<main>
${o.body}
</main>
</body>
</html>`;
}

/** Security headers for these pages: nothing but inline styles and data: images may load. */
export function sendHtml(res: Response, status: number, html: string, extra: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'X-Robots-Tag': 'noindex, nofollow',
    ...extra,
  });
  res.end(html);
}

export function sendCsv(res: Response, filename: string, csv: string) {
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(csv);
}

export function legend(series: { name: string; color: string }[]): string {
  return `<div class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join('')}</div>`;
}

function truncate(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : s;
}

export interface BarRow {
  label: string;
  /** One value per series. */
  values: number[];
  /** Text after the bars (defaults to the first value). */
  note?: string;
  /** Colour per series for this row (defaults to the series colour). */
  colors?: string[];
}

/**
 * Horizontal bars, one group per row (one bar per series). Values are drawn against `max`
 * (e.g. 1 for rates). An accessible <title> lists every row.
 */
export function hbars(rows: BarRow[], o: { max: number; series?: { name: string; color: string }[]; title: string; labelWidth?: number; width?: number; format?: (v: number) => string }): string {
  if (!rows.length) return `<p class="muted">暂无数据</p>`;
  const series = o.series ?? [{ name: '', color: COLORS.primary }];
  const width = o.width ?? 720;
  const labelW = o.labelWidth ?? 200;
  const noteW = 110;
  const barH = series.length > 1 ? 14 : 20;
  const gap = 10;
  const groupH = barH * series.length + 2 * (series.length - 1);
  const height = rows.length * (groupH + gap) + gap;
  const plotW = width - labelW - noteW;
  const fmt = o.format ?? ((v: number) => String(v));
  const max = o.max > 0 ? o.max : 1;
  let y = gap;
  const parts: string[] = [];
  // grid lines at 0, 25, 50, 75, 100 % of max
  for (let k = 0; k <= 4; k++) {
    const x = labelW + (plotW * k) / 4;
    parts.push(`<line x1="${x}" y1="0" x2="${x}" y2="${height}" stroke="#e5e8ec" stroke-width="1"/>`);
  }
  for (const r of rows) {
    parts.push(`<text x="${labelW - 8}" y="${y + groupH / 2 + 5}" text-anchor="end" font-size="13" fill="#333">${esc(truncate(r.label, 16))}</text>`);
    r.values.forEach((v, i) => {
      const w = Math.max(0, Math.min(1, v / max)) * plotW;
      const color = r.colors?.[i] ?? series[i]?.color ?? COLORS.primary;
      parts.push(`<rect x="${labelW}" y="${y + i * (barH + 2)}" width="${w.toFixed(1)}" height="${barH}" rx="3" fill="${color}"><title>${esc(`${r.label}${series[i]?.name ? ` · ${series[i].name}` : ''}：${fmt(v)}`)}</title></rect>`);
    });
    parts.push(`<text x="${labelW + plotW + 8}" y="${y + groupH / 2 + 5}" font-size="13" fill="#333">${esc(r.note ?? r.values.map(fmt).join(' → '))}</text>`);
    y += groupH + gap;
  }
  const desc = rows.map((r) => `${r.label} ${r.note ?? r.values.map(fmt).join('/')}`).join('；');
  return `${series.length > 1 ? legend(series) : ''}<svg role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px"><title>${esc(`${o.title}：${desc}`)}</title>${parts.join('')}</svg>`;
}

/** Vertical stacked columns (e.g. triage per day by verdict), with a y axis and a legend. */
export function stackedColumns(cols: { label: string; parts: number[] }[], o: { series: { name: string; color: string }[]; title: string; width?: number; height?: number }): string {
  if (!cols.length || cols.every((c) => c.parts.every((p) => p === 0))) return `<p class="muted">暂无数据</p>`;
  const width = o.width ?? 760;
  const height = o.height ?? 240;
  const left = 40;
  const bottom = 36;
  const top = 10;
  const plotH = height - bottom - top;
  const plotW = width - left - 10;
  const maxTotal = Math.max(1, ...cols.map((c) => c.parts.reduce((a, b) => a + b, 0)));
  const step = niceStep(maxTotal);
  const yMax = Math.ceil(maxTotal / step) * step;
  const colW = plotW / cols.length;
  const barW = Math.max(2, Math.min(36, colW * 0.7));
  const parts: string[] = [];
  for (let v = 0; v <= yMax; v += step) {
    const y = top + plotH - (v / yMax) * plotH;
    parts.push(`<line x1="${left}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="#e5e8ec"/><text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#666">${v}</text>`);
  }
  const labelEvery = Math.ceil(cols.length / 12);
  cols.forEach((c, i) => {
    const x = left + i * colW + (colW - barW) / 2;
    let y = top + plotH;
    c.parts.forEach((p, s) => {
      if (!p) return;
      const h = (p / yMax) * plotH;
      y -= h;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${o.series[s].color}"><title>${esc(`${c.label} ${o.series[s].name}：${p}`)}</title></rect>`);
    });
    if (i % labelEvery === 0) parts.push(`<text x="${(left + i * colW + colW / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11" fill="#666">${esc(c.label)}</text>`);
  });
  const total = cols.reduce((n, c) => n + c.parts.reduce((a, b) => a + b, 0), 0);
  return `${legend(o.series)}<svg role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px"><title>${esc(`${o.title}：共 ${total}`)}</title>${parts.join('')}</svg>`;
}

function niceStep(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}

/** A colour-coded grid (rows × columns of rates), as an HTML table. */
export function heatTable(rowLabels: string[], colLabels: string[], cells: ({ rate: number; n: number } | null)[][], caption: string): string {
  if (!rowLabels.length || !colLabels.length) return `<p class="muted">暂无数据</p>`;
  const bg = (r: number) => {
    // red (0) → yellow (0.5) → green (1), light enough for dark text
    const hue = Math.round(r * 120);
    return `hsl(${hue}, 70%, 80%)`;
  };
  const head = `<tr><th>${esc(caption)}</th>${colLabels.map((c) => `<th class="num">${esc(c)}</th>`).join('')}</tr>`;
  const body = rowLabels
    .map(
      (r, i) =>
        `<tr><th>${esc(r)}</th>${cells[i]
          .map((c) => (c ? `<td class="num" style="background:${bg(c.rate)}" title="${esc(`${r} · 答 ${c.n} 次`)}">${pct(c.rate)}<br><span class="muted">${c.n} 次</span></td>` : '<td class="num muted">—</td>'))
          .join('')}</tr>`,
    )
    .join('');
  return `<div style="overflow-x:auto"><table>${head}${body}</table></div>`;
}
