/**
 * `fanzha play scenarios/<file>.yaml`: play one scenario in the terminal, for the people who
 * write them. The file goes through the same loader as the product; choices are read as
 * numbers, one per line, so a walk can be piped in: `printf '2\n1\n' | fanzha play …`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadContent, type Content } from '../content/load.js';
import { scenarioSchema, type Scenario } from '../content/schema.js';
import { formatProblem, readYamlFile } from '../content/yaml-file.js';
import { applyChoice, parseChoice, startScenario, type NodeView } from '../learning/index.js';
import { UsageError, positionals, type Io } from './io.js';

const STARS = ['', '★', '★★', '★★★'];

export async function run(args: string[], io: Io): Promise<number> {
  const [file] = positionals(args);
  if (!file) throw new UsageError('用法: fanzha play scenarios/<文件>.yaml');
  const abs = path.resolve(io.cwd, file);
  if (!existsSync(abs)) {
    io.err(`找不到文件：${file}`);
    return 1;
  }
  // The content root is the folder above scenarios/ (so files of another checkout work too).
  const dir = path.dirname(abs);
  if (path.basename(dir) !== 'scenarios') {
    throw new UsageError(`只能试玩 scenarios/ 文件夹里的情景文件（题库在 scenarios/quiz/，不能试玩）：${file}`);
  }
  const root = path.dirname(dir);
  const id = path.basename(abs).replace(/\.ya?ml$/, '');

  const loaded = loadContent(root);
  let scenario: Scenario | undefined;
  let content: Content | undefined;
  if (loaded.ok) {
    content = loaded.content;
    scenario = content.scenarioById.get(id);
  } else {
    // Problem paths are relative to the content root (older loaders: to the working directory).
    const mine = loaded.problems.filter((p) => path.resolve(root, p.file) === abs || path.resolve(process.cwd(), p.file) === abs);
    if (mine.length) {
      for (const p of mine) io.err(formatProblem(p));
      io.err(`这个情景有 ${mine.length} 处问题，改好再试玩。`);
      return 1;
    }
    // This file is fine; problems elsewhere should not stop its author.
    const read = readYamlFile(abs, file);
    const parsed = scenarioSchema.safeParse(read.data);
    if (parsed.success) scenario = parsed.data;
    io.err(`（其他内容文件还有 ${loaded.problems.length} 处问题，不影响试玩这个情景；用 fanzha validate 查看）`);
  }
  if (!scenario) {
    io.err(`没能读出情景「${id}」：文件名要和 id 一致（${id}.yaml 里写 id: ${id}）。`);
    return 1;
  }

  const one = { scenarioById: new Map([[scenario.id, scenario]]) };
  const started = startScenario(one, scenario.id, Date.now());
  if (started.kind !== 'started') {
    io.err(started.message);
    return 1;
  }
  const typeName = content?.fraudTypeById.get(scenario.fraudType)?.name.zh ?? scenario.fraudType;
  const signalName = (sid: string) => content?.signalById.get(sid)?.name ?? sid;
  io.out(`情景：${scenario.title}（${typeName}，难度 ${STARS[scenario.difficulty]}，v${scenario.version}）`);
  io.out(scenario.intro);

  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    let state = started.state;
    let node: NodeView = started.node;
    showNode(io, node);
    for (;;) {
      const line = await lines.next();
      if (line.done) {
        io.err(`输入结束了，情景还没走完（停在节点「${state.nodeId}」，第 ${node.step} 步）。`);
        return 1;
      }
      if (line.value.trim() === '') continue;
      const pick = parseChoice(line.value, node.choices.length);
      const r = applyChoice(one, state, pick ?? -1, Date.now());
      if (r.kind === 'refused') {
        io.out(r.message);
        io.out(`请选择（1-${node.choices.length}）：`);
        continue;
      }
      if (r.kind === 'stale' || r.kind === 'finished') {
        io.err(r.message);
        return 1;
      }
      io.out('');
      io.out(`${r.feedback.safe ? '✔ 明智的选择' : '✘ 有风险'}：${r.feedback.feedback}`);
      if (r.feedback.signals.length) io.out(`  风险信号：${r.feedback.signals.map(signalName).join('、')}`);
      state = r.state;
      if (r.kind === 'next') {
        node = r.node;
        showNode(io, node);
        continue;
      }
      const e = r.ending;
      io.out('');
      io.out(`—— 结局「${e.id}」：${e.title}（${e.outcome === 'avoided' ? '躲过了骗局' : `被骗${e.loss ? ` ${e.loss.toLocaleString('zh-CN')} 元` : ''}`}）`);
      io.out(e.text);
      io.out(`教训：${e.lesson}`);
      const s = r.summary;
      io.out(
        `共做了 ${s.decisions} 个选择，其中 ${s.safeDecisions} 个是安全的` +
          (s.signals.length ? `；学到的风险信号：${s.signals.map(signalName).join('、')}` : '') +
          '。',
      );
      io.out(`走过的路：${[...state.steps.map((st) => `${st.nodeId}→${st.choice + 1}`), state.nodeId].join(' ')}`);
      return 0;
    }
  } finally {
    rl.close();
  }
}

function showNode(io: Io, node: NodeView) {
  io.out('');
  io.out(`—— 第 ${node.step} 步（节点「${node.nodeId}」）`);
  for (const b of node.bubbles) io.out(`【${b.name}】${b.text}`);
  for (const c of node.choices) io.out(`  ${c.index + 1}. ${c.text}`);
  io.out(`请选择（1-${node.choices.length}）：`);
}
