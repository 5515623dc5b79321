/**
 * Reading one YAML content file with source positions, so that every problem can be
 * reported as `file:line: path: message`.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';

/** A content file larger than this is refused before it is parsed. */
export const MAX_FILE_BYTES = 512 * 1024;

export interface Problem {
  file: string;
  line: number;
  /** Dotted path inside the file ("nodes.n2.choices.0.next"), or "" for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.path || '(文件)'}: ${p.message}`;
}

export type PathKey = string | number;

export function pathString(path: readonly PathKey[]): string {
  return path.map(String).join('.');
}

/** A parsed file that can still tell where a path is. */
export class SourceFile {
  constructor(
    readonly file: string,
    private readonly doc: Document | null,
    private readonly lines: LineCounter | null,
  ) {}

  /** Line (1-based) of the node at `path`, or of its nearest existing parent. */
  lineOf(path: readonly PathKey[]): number {
    if (!this.doc || !this.lines) return 1;
    for (let i = path.length; i >= 0; i--) {
      const node = this.doc.getIn(path.slice(0, i), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  problem(path: readonly PathKey[], message: string): Problem {
    return { file: this.file, line: this.lineOf(path), path: pathString(path), message };
  }
}

export interface ReadResult {
  source: SourceFile;
  /** Plain data, or undefined when the file could not be read as YAML. */
  data: unknown;
  problems: Problem[];
}

/**
 * Read and parse a YAML file. Never throws: size, syntax, duplicate keys, aliases,
 * multiple documents and empty files all become problems.
 */
export function readYamlFile(absPath: string, displayName: string): ReadResult {
  const fail = (message: string, line = 1): ReadResult => ({
    source: new SourceFile(displayName, null, null),
    data: undefined,
    problems: [{ file: displayName, line, path: '', message }],
  });
  let size: number;
  try {
    size = statSync(absPath).size;
  } catch {
    return fail('读不到这个文件');
  }
  if (size > MAX_FILE_BYTES) {
    return fail(`文件太大（${Math.ceil(size / 1024)} KB），单个内容文件不能超过 ${MAX_FILE_BYTES / 1024} KB，请拆成几个文件`);
  }
  let src: string;
  try {
    src = readFileSync(absPath, 'utf8');
  } catch {
    return fail('读不到这个文件');
  }
  if (src.trim() === '') return fail('文件是空的');

  const lines = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const source = new SourceFile(displayName, doc, lines);
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    const line = lines.linePos(err.pos[0]).line;
    problems.push({ file: displayName, line, path: '', message: yamlErrorMessage(err.code, err.message) });
  }
  if (problems.length) return { source, data: undefined, problems };

  // Content never needs anchors or aliases; refusing them outright also rules out alias bombs.
  let aliasLine = 0;
  visit(doc, {
    Alias(_key, node) {
      aliasLine = node.range ? lines.linePos(node.range[0]).line : 1;
      return visit.BREAK;
    },
  });
  if (aliasLine) {
    return {
      source,
      data: undefined,
      problems: [{ file: displayName, line: aliasLine, path: '', message: '内容文件不允许使用 YAML 别名（*name）：请把内容直接写出来' }],
    };
  }
  if (doc.contents === null) return { source, data: undefined, problems: [source.problem([], '文件是空的')] };

  let data: unknown;
  try {
    data = joinFoldedChinese(doc.toJS({ maxAliasCount: 0 }));
  } catch (err) {
    return { source, data: undefined, problems: [source.problem([], `无法读取内容：${(err as Error).message}`)] };
  }
  return { source, data, problems };
}

/** Han characters and CJK/full-width punctuation. */
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
const FOLD_SPACE = new RegExp(`([${CJK}])[ \\t]+(?=[${CJK}])`, 'gu');

/**
 * YAML folds a long `>` scalar by joining its lines with a space: right for English, a stray
 * gap in Chinese ("尝甜头， 再拉你进群"). Drop spaces between two Chinese characters or
 * punctuation marks in content text. Signal keywords and patterns are left exactly as written.
 */
function joinFoldedChinese(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return value.replace(FOLD_SPACE, '$1');
  if (Array.isArray(value)) return key === 'keywords' || key === 'patterns' ? value : value.map((v) => joinFoldedChinese(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = joinFoldedChinese(v, k);
    return out;
  }
  return value;
}

function yamlErrorMessage(code: string, message: string): string {
  const first = message.split('\n')[0];
  switch (code) {
    case 'DUPLICATE_KEY':
      return `键重复了：同一层里不能出现两个相同的键（${first}）`;
    case 'MULTIPLE_DOCS':
      return '一个文件只能有一个 YAML 文档（不要用 ---）';
    case 'TAB_AS_INDENT':
      return '缩进不能用 Tab，请用空格';
    default:
      return `YAML 格式有误：${first}`;
  }
}
