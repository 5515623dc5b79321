/**
 * `fanzha eval [--data FILE.jsonl] [--folds K] [--seed N] [--errors] [--json] [--strict] [--no-extra] [--no-cache]`
 *
 * Without --data: stratified K-fold cross-validation over knowledge/examples/ (each fold's
 * classifier is trained without that fold's examples). With --data: the classifier is trained
 * on all examples and judged on the file's labelled lines {"id","text","label"}.
 * Prints per-type precision/recall/F1, macro-F1 over the 13 types, scam recall, benign false
 * alarms and a confusion table. --errors lists what was judged wrong (redacted text); --json prints
 * the report as one JSON object; --strict exits 1 when a target is missed; --no-extra trains on
 * the examples only (not on fraud-type scripts, scenario and quiz lines).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadContent, type Content } from '../content/load.js';
import { formatProblem } from '../content/yaml-file.js';
import { BENIGN, FRAUD_TYPE_IDS, exampleLabel, type ExampleLabel } from '../content/schema.js';
import { buildTriageEngine, type TriageOptions } from '../triage/index.js';
import { TARGETS, evaluate, predictedLabel, stratifiedFolds, type EvalReport, type Scored } from '../triage/metrics.js';
import { flag, option, UsageError, type Io } from './io.js';
import { cachedEngine } from '../model-cache.js';

const MAX_DATA_BYTES = 50 * 1024 * 1024;

interface Item {
  id: string;
  text: string;
  label: ExampleLabel;
}

export async function run(args: string[], io: Io): Promise<number> {
  const root = path.resolve(io.cwd, option(args, 'root') ?? '.');
  const dataFile = option(args, 'data');
  const k = Number(option(args, 'folds') ?? 5);
  const seed = Number(option(args, 'seed') ?? 1);
  if (!Number.isInteger(k) || k < 2 || k > 20) throw new UsageError('--folds 要是 2 到 20 之间的整数');
  if (!Number.isFinite(seed)) throw new UsageError('--seed 要是一个数字');
  const opts: TriageOptions = { extraTraining: !flag(args, 'no-extra') };

  const loaded = loadContent(root);
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(formatProblem(p));
    io.err(`内容有 ${loaded.problems.length} 处问题，先运行 fanzha validate 修好再评估`);
    return 1;
  }
  const content = loaded.content;
  const t0 = performance.now();
  let scored: Array<Scored & { text: string }>;
  let title: string;
  if (dataFile) {
    const items = readData(path.resolve(io.cwd, dataFile), io);
    if (!items.length) {
      io.err('数据文件里没有可用的行');
      return 1;
    }
    const engine = cachedEngine(content, path.join(root, '.cache'), { cache: !flag(args, 'no-cache'), options: opts });
    scored = items.map((it) => score(engine.analyse(it.text), it));
    title = `数据：${dataFile}（${items.length} 条；用全部 ${content.examples.length} 条例子训练）`;
  } else {
    scored = crossValidate(content, k, seed, opts);
    title = `数据：knowledge/examples/ 的 ${content.examples.length} 条例子，${k} 折分层交叉验证（种子 ${seed}）`;
  }
  const report = evaluate(scored);
  const ms = performance.now() - t0;

  if (flag(args, 'json')) {
    io.out(JSON.stringify({ ...report, ms: Math.round(ms) }));
  } else {
    printReport(io, title, report, ms);
    if (flag(args, 'errors')) printErrors(io, scored);
  }
  const met = report.scamRecall >= TARGETS.scamRecall && report.benignHigh <= TARGETS.benignHigh && report.macroF1 >= TARGETS.macroF1;
  return flag(args, 'strict') && !met ? 1 : 0;
}

function score(r: { verdict: Scored['verdict']; fraudType: Scored['fraudType']; text: string }, it: Item): Scored & { text: string } {
  return { id: it.id, label: it.label, verdict: r.verdict, fraudType: r.fraudType, text: r.text };
}

export function crossValidate(content: Content, k: number, seed: number, opts: TriageOptions = {}): Array<Scored & { text: string }> {
  const examples = content.examples;
  const folds = stratifiedFolds(examples, k, seed);
  const out: Array<Scored & { text: string }> = [];
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => folds[i] !== f);
    const engine = buildTriageEngine(content, { ...opts, examples: train });
    examples.forEach((e, i) => {
      if (folds[i] === f) out.push(score(engine.analyse(e.text), e));
    });
  }
  return out;
}

function readData(file: string, io: Io): Item[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`找不到数据文件：${file}`);
  }
  if (size > MAX_DATA_BYTES) throw new UsageError(`数据文件太大（超过 ${MAX_DATA_BYTES / 1024 / 1024} MB）`);
  const items: Item[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${path.basename(file)}:${i + 1}`;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        io.err(`${where}: 不是合法的 JSON，跳过`);
        return;
      }
      const o = v as Record<string, unknown>;
      const label = exampleLabel.safeParse(o?.label);
      if (!o || typeof o !== 'object' || typeof o.text !== 'string' || !label.success) {
        io.err(`${where}: 需要 {"id","text","label"}，label 是诈骗类型 id 或 benign，跳过`);
        return;
      }
      items.push({ id: typeof o.id === 'string' ? o.id : String(i + 1), text: o.text, label: label.data });
    });
  return items;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

function printReport(io: Io, title: string, r: EvalReport, ms: number) {
  const labels: ExampleLabel[] = [...FRAUD_TYPE_IDS, BENIGN];
  const w = Math.max(...labels.map((l) => l.length));
  io.out(title);
  io.out(`共 ${r.n} 条：诈骗 ${r.scams} 条，正常 ${r.benign} 条；用时 ${(ms / 1000).toFixed(1)} 秒`);
  io.out('');
  io.out(`${'label'.padEnd(w)}  precision  recall     F1  support   high  susp   low`);
  for (const m of r.perType) {
    if (m.support === 0 && m.label !== BENIGN) continue;
    const v = r.verdicts[m.label];
    io.out(
      `${m.label.padEnd(w)}  ${f3(m.precision).padStart(9)}  ${f3(m.recall).padStart(6)}  ${f3(m.f1).padStart(5)}  ${String(m.support).padStart(7)}` +
        `  ${String(v['high-risk']).padStart(5)} ${String(v.suspicious).padStart(5)} ${String(v['low-risk']).padStart(5)}`,
    );
  }
  io.out('');
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  io.out(`macro-F1（13 类）            ${f3(r.macroF1)}   目标 ≥ ${TARGETS.macroF1}  ${mark(r.macroF1 >= TARGETS.macroF1)}`);
  io.out(`诈骗检出率（非低风险）        ${pct(r.scamRecall)}   目标 ≥ ${pct(TARGETS.scamRecall)}  ${mark(r.scamRecall >= TARGETS.scamRecall)}`);
  io.out(`正常消息被判高风险            ${pct(r.benignHigh)}   目标 ≤ ${pct(TARGETS.benignHigh)}  ${mark(r.benignHigh <= TARGETS.benignHigh)}`);
  io.out(`正常消息被判可疑              ${pct(r.benignSuspicious)}`);
  io.out(`检出的诈骗中类型判对          ${pct(r.typeAccuracy)}`);
  io.out('');
  io.out('混淆表（行 = 真实标签，列 = 判断；benign 列 = 判为低风险）');
  const short = labels.map((_, i) => String(i + 1).padStart(4));
  io.out(`${''.padEnd(w + 4)}${short.join('')}`);
  labels.forEach((l, i) => {
    if (!Object.values(r.confusion[l]).some((n) => n > 0)) return;
    io.out(`${String(i + 1).padStart(2)} ${l.padEnd(w)} ${labels.map((p) => String(r.confusion[l][p] || '·').padStart(4)).join('')}`);
  });
}

function printErrors(io: Io, scored: ReadonlyArray<Scored & { text: string }>) {
  io.out('');
  io.out('判错的条目（已隐去个人信息）：');
  for (const s of scored) {
    const p = predictedLabel(s);
    const wrong = p !== s.label || (s.label === BENIGN && s.verdict !== 'low-risk');
    if (!wrong) continue;
    io.out(`  ${s.id}  真实=${s.label}  判断=${s.verdict}/${s.fraudType ?? '-'}  ${s.text.replace(/\s+/g, ' ').slice(0, 70)}`);
  }
}
