/**
 * `fanzha triage "text"`            a readable verdict in Chinese
 * `fanzha triage --json "text"`     the whole TriageResult as one JSON object
 * `fanzha triage --jsonl`           JSON lines in on stdin, JSON lines out (the design.md contract):
 *     in:  {"id": string, "text": string}
 *     out: {"id", "verdict", "fraudType", "confidence", "signals": [{"id", "evidence"}]}
 *     one output line per input line, same order, nothing else on stdout; a bad line gives
 *     {"id": <id or null>, "error": "..."} and the rest is still processed. Lines longer than
 *     1 MiB are not buffered: they are skipped to the next newline and answered with an error.
 * Options: --root DIR, --answers "followup-id=是,other-id=否" (re-judge with follow-up answers),
 *          --no-cache (train instead of reading .cache/triage-model.json).
 *
 * The trained model is cached in <root>/.cache/triage-model.json (see src/model-cache.ts), keyed by a hash of the
 * content and the training options, and rebuilt whenever any content changes.
 */
import path from 'node:path';
import { loadContent, type Content } from '../content/load.js';
import { formatProblem } from '../content/yaml-file.js';
import type { TriageEngine, TriageResult } from '../triage/index.js';
import { cachedEngine } from '../model-cache.js';
import { CLI, JSONL_ERRORS, VERDICT_HEADLINE } from '../triage/strings.zh.js';
import { typeIsClear } from '../triage/verdict.js';
import { flag, option, positionals, UsageError, type Io } from './io.js';

/** Longest accepted --jsonl line, in bytes. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Longest text accepted on stdin for a single verdict. */
const MAX_STDIN_BYTES = 1024 * 1024;

export async function run(args: string[], io: Io): Promise<number> {
  const root = path.resolve(io.cwd, option(args, 'root') ?? '.');
  const jsonl = flag(args, 'jsonl');
  const answers = parseAnswers(option(args, 'answers'));
  let text = positionals(args, ['root', 'answers']).join(' ');
  if (!jsonl && !text) {
    if ((io.stdin as NodeJS.ReadStream).isTTY) throw new UsageError(`${CLI.needText}\n${CLI.usage}`);
    text = await readAll(io.stdin, MAX_STDIN_BYTES);
    if (!text.trim()) throw new UsageError(`${CLI.needText}\n${CLI.usage}`);
  }

  const content = loadOrReport(root, io);
  if (!content) return 1;
  const engine = cachedEngine(content, path.join(root, '.cache'), { cache: !flag(args, 'no-cache') });

  if (jsonl) {
    await processJsonl(io.stdin, (line) => io.out(line), engine);
    return 0;
  }
  let result = engine.analyse(text);
  if (answers) result = engine.refine(result, answers);
  if (flag(args, 'json')) io.out(JSON.stringify(result));
  else printHuman(io, content, result);
  return 0;
}

function loadOrReport(root: string, io: Io): Content | null {
  const loaded = loadContent(root);
  if (loaded.ok) return loaded.content;
  for (const p of loaded.problems) io.err(formatProblem(p));
  io.err(`内容有 ${loaded.problems.length} 处问题，先运行 fanzha validate 修好`);
  return null;
}

function parseAnswers(v: string | undefined): Record<string, boolean> | null {
  if (v === undefined) return null;
  const out: Record<string, boolean> = {};
  for (const part of v.split(/[,，]/)) {
    const [k, a] = part.split('=').map((s) => s.trim());
    if (!k || a === undefined) throw new UsageError('--answers 的格式是 "追问id=是,追问id=否"');
    if (/^(是|有|对|yes|y|true|1)$/i.test(a)) out[k] = true;
    else if (/^(否|没有|不是|没|no|n|false|0)$/i.test(a)) out[k] = false;
    else throw new UsageError(`--answers 里「${k}」的回答要是“是”或“否”`);
  }
  return out;
}

async function readAll(stream: NodeJS.ReadableStream, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (size + b.length > max) {
      chunks.push(b.subarray(0, max - size));
      break;
    }
    chunks.push(b);
    size += b.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ------------------------------------------------------------------ --jsonl

/** The contract's output line for one result. */
export function jsonlLine(id: string, r: TriageResult): string {
  return JSON.stringify({
    id,
    verdict: r.verdict,
    fraudType: r.fraudType,
    confidence: r.confidence,
    signals: r.signals.map((s) => ({ id: s.id, evidence: s.evidence })),
  });
}

const errorLine = (id: string | null, error: string) => JSON.stringify({ id, error });

/** Answer one input line (without its newline). Never throws. */
export function answerLine(line: string, engine: Pick<TriageEngine, 'analyse'>): string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return errorLine(idFromBrokenLine(line), JSONL_ERRORS.notJson);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return errorLine(null, JSONL_ERRORS.notObject);
  const o = v as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id : null;
  if (id === null) return errorLine(null, JSONL_ERRORS.badId);
  if (typeof o.text !== 'string') return errorLine(id, JSONL_ERRORS.noText);
  try {
    return jsonlLine(id, engine.analyse(o.text));
  } catch {
    return errorLine(id, JSONL_ERRORS.failed);
  }
}

/** Best effort: the id of a line that is too long or broken, when it starts like {"id":"…". */
function idFromBrokenLine(head: string): string | null {
  const m = /^\s*\{\s*"id"\s*:\s*"((?:[^"\\\n]|\\.){0,200})"/.exec(head.slice(0, 300));
  if (!m) return null;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return null;
  }
}

/**
 * Split a byte stream into lines without ever holding more than MAX_LINE_BYTES of one line,
 * answer each in order. A final line without a newline still counts; an empty stream gives
 * no output.
 */
export async function processJsonl(stream: NodeJS.ReadableStream, write: (line: string) => void, engine: Pick<TriageEngine, 'analyse'>, maxLine = MAX_LINE_BYTES): Promise<void> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let head = '';
  let first = true;

  const finish = () => {
    if (overflow) {
      write(errorLine(idFromBrokenLine(head), JSONL_ERRORS.tooLong(maxLine)));
    } else {
      let line = Buffer.concat(parts, size).toString('utf8');
      if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      write(answerLine(line, engine));
    }
    first = false;
    parts = [];
    size = 0;
    overflow = false;
    head = '';
  };
  const append = (b: Buffer) => {
    if (overflow || b.length === 0) return;
    if (size + b.length > maxLine) {
      overflow = true;
      head = Buffer.concat([...parts, b.subarray(0, 400)]).subarray(0, 400).toString('utf8');
      parts = [];
      size = 0;
      return;
    }
    parts.push(b);
    size += b.length;
  };

  let pending = false; // bytes seen since the last newline
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(10, from);
      if (nl < 0) {
        if (from < buf.length) {
          append(buf.subarray(from));
          pending = true;
        }
        break;
      }
      append(buf.subarray(from, nl));
      finish();
      pending = false;
      from = nl + 1;
    }
  }
  if (pending) finish();
}

// ------------------------------------------------------------------ human output

function printHuman(io: Io, content: Content, r: TriageResult) {
  io.out(`${CLI.verdict}：${VERDICT_HEADLINE[r.verdict]}`);
  if (r.fraudType) {
    const name = content.fraudTypeById.get(r.fraudType)?.name.zh ?? r.fraudType;
    const pct = Math.round(r.confidence * 100);
    io.out(`${CLI.type}：${typeIsClear(r) ? `${name}（${CLI.confidence} ${pct}%）` : CLI.typeUnclear(name, pct)}`);
  }
  io.out(`${CLI.signals}：${r.signals.length ? '' : CLI.noSignals}`);
  for (const s of r.signals) io.out(`  · ${s.name} ——“${s.evidence}”`);
  io.out(`${CLI.explanation}：`);
  for (const line of r.explanation.split('\n')) io.out(`  ${line}`);
  io.out(`${CLI.actions}：`);
  r.actions.forEach((a, i) => io.out(`  ${i + 1}. ${a}`));
  if (r.followups.length) {
    io.out(`${CLI.followups}：`);
    for (const f of r.followups) io.out(`  · ${f.ask}  （fanzha triage --answers "${f.id}=是" …）`);
  }
  if (r.scenarioId) {
    const title = content.scenarioById.get(r.scenarioId)?.title;
    io.out(`${CLI.scenario}：${title ? `《${title}》` : ''}fanzha play scenarios/${r.scenarioId}.yaml`);
  }
  io.out(`${CLI.share}：`);
  io.out(`  ${r.shareText}`);
  if (r.text.length) io.out(`${CLI.text}：${r.text.length > 200 ? r.text.slice(0, 200) + '…' : r.text}`);
}
