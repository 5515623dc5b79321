/**
 * The one loader for knowledge/ and scenarios/, used by tests, the CLI and the server.
 * It reads every file, validates it with the strict zod schemas, cross-checks references
 * and scenario graphs, and returns either the whole content or every problem at once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { zhCN } from 'zod/v4/locales';
import { checkPattern } from './regex-check.js';
import {
  BENIGN,
  FRAUD_TYPE_IDS,
  adviceSchema,
  examplesFileSchema,
  followupsFileSchema,
  fraudTypeSchema,
  groupsFileSchema,
  quizFileSchema,
  scenarioSchema,
  signalsFileSchema,
  type Advice,
  type Calming,
  type Example,
  type Followup,
  type FraudType,
  type FraudTypeId,
  type Group,
  type Question,
  type Scenario,
  type Signal,
} from './schema.js';
import { readYamlFile, type PathKey, type Problem, type SourceFile } from './yaml-file.js';

z.config(zhCN());

/** Groups the product relies on (onboarding buttons, class sessions, fallbacks). */
export const REQUIRED_GROUPS = ['student', 'middle-aged-woman', 'public-servant', 'elderly', 'young-job-seeker', 'general'] as const;

export interface Content {
  root: string;
  /** In the order of FRAUD_TYPE_IDS. */
  fraudTypes: FraudType[];
  fraudTypeById: ReadonlyMap<FraudTypeId, FraudType>;
  signals: Signal[];
  signalById: ReadonlyMap<string, Signal>;
  calming: Calming[];
  followups: Followup[];
  groups: Group[];
  groupById: ReadonlyMap<string, Group>;
  advice: Advice;
  examples: Example[];
  scenarios: Scenario[];
  scenarioById: ReadonlyMap<string, Scenario>;
  questions: Question[];
  questionById: ReadonlyMap<string, Question>;
  /** sha256 over every file's path and bytes: changes whenever any content changes. */
  fingerprint: string;
  files: number;
}

export type LoadResult = { ok: true; content: Content; problems: [] } | { ok: false; problems: Problem[] };

export class ContentError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`内容有 ${problems.length} 处问题`);
  }
}

/** Load or throw ContentError (for start-up paths that cannot go on without content). */
export function loadContentOrThrow(root: string): Content {
  const r = loadContent(root);
  if (!r.ok) throw new ContentError(r.problems);
  return r.content;
}

interface Parsed<T> {
  source: SourceFile;
  value: T;
}

export function loadContent(root: string): LoadResult {
  const problems: Problem[] = [];
  const hash = createHash('sha256');
  let files = 0;
  // Paths in problems are relative to the content root, e.g. knowledge/signals.yaml.
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/') || abs;

  function parse<S extends z.ZodType>(abs: string, schema: S): Parsed<z.output<S>> | undefined {
    files++;
    const read = readYamlFile(abs, rel(abs));
    hash.update(path.relative(root, abs)).update('\0');
    hash.update(JSON.stringify(read.data ?? null)).update('\0');
    if (read.problems.length) {
      problems.push(...read.problems);
      return undefined;
    }
    const parsed = schema.safeParse(read.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const p = issue.path as PathKey[];
        const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
        const where = keys.length ? [...p, keys[0]] : p;
        const missing = issue.code === 'invalid_type' && valueAt(read.data, p) === undefined;
        const message = keys.length
          ? `不认识的字段「${keys.join('、')}」（字段名写错了？）`
          : missing
            ? `缺少必填字段「${String(p[p.length - 1])}」`
            : issue.message;
        problems.push(read.source.problem(where, message));
      }
      return undefined;
    }
    return { source: read.source, value: parsed.data };
  }

  const yamlIn = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
          .map((d) => path.join(dir, d.name))
          .sort()
      : [];
  const required = (abs: string) => {
    if (!existsSync(abs)) {
      problems.push({ file: rel(abs), line: 1, path: '', message: '缺少这个文件' });
      return false;
    }
    return true;
  };

  const kDir = path.join(root, 'knowledge');
  const sDir = path.join(root, 'scenarios');

  // ---- signals, followups, groups, advice
  const signalsFile = required(path.join(kDir, 'signals.yaml')) ? parse(path.join(kDir, 'signals.yaml'), signalsFileSchema) : undefined;
  const followupsFile = required(path.join(kDir, 'followups.yaml')) ? parse(path.join(kDir, 'followups.yaml'), followupsFileSchema) : undefined;
  const groupsFile = required(path.join(kDir, 'groups.yaml')) ? parse(path.join(kDir, 'groups.yaml'), groupsFileSchema) : undefined;
  const adviceFile = required(path.join(kDir, 'advice.yaml')) ? parse(path.join(kDir, 'advice.yaml'), adviceSchema) : undefined;

  const signalIds = new Set<string>();
  if (signalsFile) {
    const { source, value } = signalsFile;
    uniqueIds(source, value.signals, ['signals'], problems);
    uniqueIds(source, value.calming, ['calming'], problems);
    value.signals.forEach((s, i) => {
      signalIds.add(s.id);
      checkMatchers(source, s, ['signals', i], problems);
    });
    value.calming.forEach((c, i) => checkMatchers(source, c, ['calming', i], problems));
  }
  const groupIds = new Set<string>();
  if (groupsFile) {
    const { source, value } = groupsFile;
    uniqueIds(source, value.groups, ['groups'], problems);
    value.groups.forEach((g) => groupIds.add(g.id));
    for (const g of REQUIRED_GROUPS) {
      if (!groupIds.has(g)) problems.push(source.problem(['groups'], `缺少必备的人群「${g}」`));
    }
  }
  // References can only be checked when the file they point into was itself readable.
  const refCheck = (ids: Set<string>, available: unknown, kind: string) => (source: SourceFile, list: readonly string[], at: PathKey[]) => {
    if (!available) return;
    list.forEach((v, i) => {
      if (!ids.has(v)) problems.push(source.problem([...at, i], `${kind}「${v}」不存在`));
    });
  };
  const checkSignals = refCheck(signalIds, signalsFile, '信号');
  const checkGroups = refCheck(groupIds, groupsFile, '人群');

  if (followupsFile) {
    const { source, value } = followupsFile;
    uniqueIds(source, value.followups, ['followups'], problems);
    value.followups.forEach((f, i) => checkSignals(source, f.signals, ['followups', i, 'signals']));
  }
  if (adviceFile) {
    const numbers = new Set(adviceFile.value.hotlines.map((h) => h.number));
    for (const n of ['110', '96110']) {
      if (!numbers.has(n)) problems.push(adviceFile.source.problem(['hotlines'], `求助电话里必须有 ${n}`));
    }
    uniqueIds(adviceFile.source, adviceFile.value.hotlines, ['hotlines'], problems);
    uniqueIds(adviceFile.source, adviceFile.value.rules, ['rules'], problems);
  }

  // ---- fraud types: exactly the 13 ids, file name = id
  const fraudTypeById = new Map<FraudTypeId, FraudType>();
  const fraudTypeFiles = new Set<string>();
  for (const abs of yamlIn(path.join(kDir, 'fraud-types'))) {
    const stem = path.basename(abs).replace(/\.ya?ml$/, '');
    fraudTypeFiles.add(stem);
    const parsed = parse(abs, fraudTypeSchema);
    if (!parsed) continue;
    const { source, value } = parsed;
    if (stem !== value.id) {
      problems.push(source.problem(['id'], `文件名「${stem}」和 id「${value.id}」不一致：文件应命名为 ${value.id}.yaml`));
      continue;
    }
    if (fraudTypeById.has(value.id)) {
      problems.push(source.problem(['id'], `诈骗类型「${value.id}」重复定义`));
      continue;
    }
    checkSignals(source, value.signals, ['signals']);
    checkGroups(source, value.groups, ['groups']);
    fraudTypeById.set(value.id, value);
  }
  // ---- examples
  const examples: Example[] = [];
  const exampleIds = new Map<string, string>();
  for (const abs of yamlIn(path.join(kDir, 'examples'))) {
    const parsed = parse(abs, examplesFileSchema);
    if (!parsed) continue;
    const { source, value } = parsed;
    value.examples.forEach((e, i) => {
      const seen = exampleIds.get(e.id);
      if (seen) {
        problems.push(source.problem(['examples', i, 'id'], `例子 id「${e.id}」重复（另见 ${seen}）`));
        return;
      }
      exampleIds.set(e.id, source.file);
      examples.push({ ...e, label: value.label, file: source.file });
    });
  }

  // ---- scenarios (one per file, file name = id)
  const scenarioById = new Map<string, Scenario>();
  for (const abs of yamlIn(sDir)) {
    const parsed = parse(abs, scenarioSchema);
    if (!parsed) continue;
    const { source, value } = parsed;
    const stem = path.basename(abs).replace(/\.ya?ml$/, '');
    if (stem !== value.id) {
      problems.push(source.problem(['id'], `文件名「${stem}」和 id「${value.id}」不一致：文件应命名为 ${value.id}.yaml`));
      continue;
    }
    if (scenarioById.has(value.id)) {
      problems.push(source.problem(['id'], `情景 id「${value.id}」重复`));
      continue;
    }
    checkGroups(source, value.groups, ['groups']);
    const before = problems.length;
    checkScenarioGraph(source, value, problems, checkSignals);
    if (problems.length === before) scenarioById.set(value.id, value);
  }

  // ---- quiz questions
  const questionById = new Map<string, Question>();
  for (const abs of yamlIn(path.join(sDir, 'quiz'))) {
    const parsed = parse(abs, quizFileSchema);
    if (!parsed) continue;
    const { source, value } = parsed;
    value.questions.forEach((q, i) => {
      const at: PathKey[] = ['questions', i];
      if (questionById.has(q.id)) {
        problems.push(source.problem([...at, 'id'], `题目 id「${q.id}」重复`));
        return;
      }
      if (q.kind === 'choice' && q.answer >= q.options.length) {
        problems.push(source.problem([...at, 'answer'], `答案序号 ${q.answer} 超出了选项范围（共 ${q.options.length} 个选项，从 0 开始数）`));
        return;
      }
      checkSignals(source, q.signals, [...at, 'signals']);
      checkGroups(source, q.groups, [...at, 'groups']);
      questionById.set(q.id, q);
    });
  }

  // ---- completeness
  const anchor = (sub: string) => ({ file: rel(path.join(kDir, sub)), line: 1, path: '' });
  for (const t of FRAUD_TYPE_IDS) {
    if (!fraudTypeById.has(t) && !fraudTypeFiles.has(t)) problems.push({ ...anchor('fraud-types'), message: `缺少诈骗类型文件 ${t}.yaml` });
  }
  const labelled = new Set(examples.map((e) => e.label));
  for (const t of [...FRAUD_TYPE_IDS, BENIGN]) {
    if (!labelled.has(t)) problems.push({ ...anchor('examples'), message: `「${t}」还没有任何例子` });
  }

  if (problems.length || !signalsFile || !followupsFile || !groupsFile || !adviceFile) {
    return { ok: false, problems: sortProblems(problems) };
  }
  const signals = signalsFile.value.signals;
  const groups = groupsFile.value.groups;
  const scenarios = [...scenarioById.values()];
  const questions = [...questionById.values()];
  return {
    ok: true,
    problems: [],
    content: {
      root,
      fraudTypes: FRAUD_TYPE_IDS.map((t) => fraudTypeById.get(t)!),
      fraudTypeById,
      signals,
      signalById: new Map(signals.map((s) => [s.id, s])),
      calming: signalsFile.value.calming,
      followups: followupsFile.value.followups,
      groups,
      groupById: new Map(groups.map((g) => [g.id, g])),
      advice: adviceFile.value,
      examples,
      scenarios,
      scenarioById,
      questions,
      questionById,
      fingerprint: hash.digest('hex'),
      files,
    },
  };
}

function valueAt(data: unknown, at: readonly PathKey[]): unknown {
  let v: unknown = data;
  for (const k of at) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k as string];
  }
  return v;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function uniqueIds(source: SourceFile, list: readonly { id: string }[], at: PathKey[], problems: Problem[]) {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (seen.has(item.id)) problems.push(source.problem([...at, i, 'id'], `id「${item.id}」重复`));
    seen.add(item.id);
  });
}

function checkMatchers(source: SourceFile, m: { keywords: string[]; patterns: string[] }, at: PathKey[], problems: Problem[]) {
  if (m.keywords.length === 0 && m.patterns.length === 0) {
    problems.push(source.problem(at, '至少要有一个关键词（keywords）或正则（patterns）'));
  }
  m.patterns.forEach((p, i) => {
    const v = checkPattern(p);
    if (!v.ok) problems.push(source.problem([...at, 'patterns', i], v.message));
  });
}

/**
 * A scenario must be a finite game: `start` and every `next` exist, node and ending ids
 * do not collide, every node and ending is reachable, there are no cycles (so every path
 * ends), and every node can reach an ending.
 */
function checkScenarioGraph(
  source: SourceFile,
  s: Scenario,
  problems: Problem[],
  checkSignals: (source: SourceFile, list: readonly string[], at: PathKey[]) => void,
) {
  const nodes = Object.keys(s.nodes);
  const endings = Object.keys(s.endings);
  if (endings.length === 0) problems.push(source.problem(['endings'], '至少要有一个结局'));
  for (const e of endings) {
    if (e in s.nodes) problems.push(source.problem(['endings', e], `结局「${e}」和一个节点同名`));
  }
  if (!(s.start in s.nodes)) {
    problems.push(source.problem(['start'], `起点「${s.start}」不是 nodes 里的节点`));
    return;
  }
  let broken = false;
  for (const n of nodes) {
    s.nodes[n].choices.forEach((c, i) => {
      checkSignals(source, c.signals, ['nodes', n, 'choices', i, 'signals']);
      if (!(c.next in s.nodes) && !(c.next in s.endings)) {
        broken = true;
        problems.push(source.problem(['nodes', n, 'choices', i, 'next'], `「${c.next}」既不是节点也不是结局`));
      }
    });
    s.nodes[n].choices.forEach((c, i) => {
      if (c.next === n) problems.push(source.problem(['nodes', n, 'choices', i, 'next'], '选项指回了自己所在的节点，会无限循环'));
    });
  }
  if (broken) return;
  // Reachability and cycles by depth-first search from the start.
  const state = new Map<string, 'open' | 'done'>();
  const cycleAt = new Set<string>();
  const visit = (n: string) => {
    state.set(n, 'open');
    for (const c of s.nodes[n].choices) {
      if (!(c.next in s.nodes)) {
        state.set(c.next, 'done');
        continue;
      }
      const st = state.get(c.next);
      if (st === 'open') cycleAt.add(n);
      else if (!st) visit(c.next);
    }
    state.set(n, 'done');
  };
  visit(s.start);
  for (const n of cycleAt) problems.push(source.problem(['nodes', n], `从节点「${n}」出发会绕回前面的节点，形成死循环；情景必须一路走到结局`));
  for (const n of nodes) if (!state.has(n)) problems.push(source.problem(['nodes', n], `节点「${n}」从起点走不到`));
  for (const e of endings) if (!state.has(e)) problems.push(source.problem(['endings', e], `结局「${e}」从起点走不到`));
  const reachesEnd = new Map<string, boolean>();
  const ends = (n: string, seen: Set<string>): boolean => {
    if (n in s.endings) return true;
    if (reachesEnd.has(n)) return reachesEnd.get(n)!;
    if (seen.has(n)) return false;
    seen.add(n);
    const r = s.nodes[n].choices.some((c) => ends(c.next, seen));
    reachesEnd.set(n, r);
    return r;
  };
  if (cycleAt.size === 0) {
    for (const n of nodes) if (state.has(n) && !ends(n, new Set())) problems.push(source.problem(['nodes', n], `节点「${n}」走不到任何结局`));
  }
}
