/**
 * `fanzha new scenario --type <fraud-type> [--id ID] [--out DIR]`: write a valid starting
 * scenario to edit. The draft is built from the fraud type's own file (its scripts, signals,
 * groups and advice), so it passes `fanzha validate` as written and reads sensibly even
 * before it is edited; the comments in it say what to change.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FRAUD_TYPE_IDS, id as idSchema, type FraudTypeId } from '../content/schema.js';
import { option, positionals, UsageError, type Io } from './io.js';

const USAGE = '用法：fanzha new scenario --type <诈骗类型> [--id 情景id] [--out 文件夹]';

interface TypeInfo {
  name: string;
  scripts: string[];
  signals: string[];
  groups: string[];
  during: string[];
  before: string[];
  after: string[];
}

/** What the draft borrows from knowledge/: the type file, checked against signals.yaml and groups.yaml. */
function typeInfo(root: string, type: FraudTypeId): TypeInfo {
  const read = (rel: string): unknown => {
    try {
      return parse(readFileSync(path.join(root, rel), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const t = (read(`knowledge/fraud-types/${type}.yaml`) ?? {}) as {
    name?: { zh?: string };
    scripts?: unknown[];
    signals?: unknown[];
    groups?: unknown[];
    advice?: { before?: unknown[]; during?: unknown[]; after?: unknown[] };
  };
  const signalIds = new Set(((read('knowledge/signals.yaml') as { signals?: { id?: string }[] } | undefined)?.signals ?? []).map((s) => s.id));
  const groupIds = new Set(((read('knowledge/groups.yaml') as { groups?: { id?: string }[] } | undefined)?.groups ?? []).map((g) => g.id));
  const strings = (v: unknown[] | undefined, max: number) => (v ?? []).filter((x): x is string => typeof x === 'string' && x.trim().length > 0 && [...x].length <= max);
  const signals = strings(t.signals, 64).filter((s) => signalIds.has(s));
  const groups = strings(t.groups, 64).filter((g) => groupIds.has(g));
  return {
    name: typeof t.name?.zh === 'string' ? t.name.zh : type,
    scripts: strings(t.scripts, 480),
    signals: signals.length ? signals : [...['urgent-pressure', 'transfer-to-stranger'].filter((s) => signalIds.has(s))],
    groups: groups.length ? groups : groupIds.has('general') ? ['general'] : [],
    during: strings(t.advice?.during, 380),
    before: strings(t.advice?.before, 380),
    after: strings(t.advice?.after, 380),
  };
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
const q = (s: string) => JSON.stringify(s);
const list = (xs: string[]) => `[${xs.join(', ')}]`;

export function scenarioTemplate(id: string, type: FraudTypeId, t: TypeInfo): string {
  const s1 = t.scripts[0] ?? '你好，我这边有个事情要跟你核实一下，耽误你两分钟。';
  const s2 = t.scripts[1] ?? '这件事今天必须办完，晚了就来不及了，你先按我说的操作。';
  const sig = t.signals.slice(0, 2);
  const safeTip = t.during[0] ?? '先停下来，不转账、不点链接，打 96110 问一问。';
  const safeTip2 = t.during[1] ?? safeTip;
  const lesson = t.before[0] ?? '遇到要你转账、交钱的事，先停一停，找家人商量，或者打 96110 咨询。';
  const afterLoss = t.after[0] ?? '被骗后马上打 110 或 96110，保留聊天记录和转账凭证。';
  return `# 新情景草稿：${t.name}
# 由 \`fanzha new scenario --type ${type}\` 生成。它现在就能通过检查，但内容是按这个诈骗类型的
# 通用说法拼出来的：请把对话改成一个具体、真实感强的故事（你是谁、在哪儿、对方怎么一步步骗），
# 改完运行 \`npx fanzha validate\`。字段说明和完整示例见 docs/authoring.md。
# 人名、电话、链接一律用明显假的：王姐、小李、138****0000、尾号1234、jd-tuikuan.cc。

id: ${id}                # 永久 id，和文件名一致；发布后不要再改
version: 1               # 发布后每次改动内容都要加 1（老进度会提示“情景已更新”）
fraudType: ${type}
groups: ${list(t.groups.slice(0, 2))}   # 最该玩这一关的人群（groups.yaml 里的 id）
difficulty: 1            # 1 容易 / 2 中等 / 3 难
title: ${q(`${t.name}：练一练`.slice(0, 40))}
intro: ${q('你在手机上遇到一个陌生人，他说的话听起来挺有道理。看看你能不能在转账之前识破他。')}
start: contact           # 第一个节点

nodes:
  contact:
    bubbles:             # 这一步大家说的话：from 是 scammer / friend / family / bank / police / official / narrator / system / me
      - from: scammer
        name: 陌生人
        text: ${q(s1)}
    choices:             # 2～4 个选项；每个都要有 feedback，讲清楚为什么对或错
      - text: 听起来挺正规，照他说的做
        feedback: ${q('对方的身份你还没有核实过。骗子最会装成“正规”的样子，先让你放下戒心。')}
        safe: false
        signals: ${list(sig)}
        next: pressure
      - text: 先停下，打 96110 问一问
        feedback: ${q(safeTip)}
        safe: true
        signals: ${list(sig.slice(0, 1))}
        next: end-safe
  pressure:
    bubbles:
      - from: scammer
        name: 陌生人
        text: ${q(s2)}
      - from: narrator
        text: 对方一直催你，说晚了就来不及了。
    choices:
      - text: 怕耽误事，赶紧照做
        feedback: ${q('一催再催、不给你时间想，正是骗局的标志。钱一转出去就很难追回。')}
        safe: false
        signals: ${list(sig.slice(-1))}
        next: end-lost
      - text: 挂断，自己找官方电话核实
        feedback: ${q(safeTip2)}
        safe: true
        next: end-safe

endings:                 # 每条路都要走到一个结局；outcome 是 avoided（识破）或 lost（被骗）
  end-safe:
    outcome: avoided
    title: 识破了骗局
    text: 你没有照对方说的做，钱和信息都保住了。
    lesson: ${q(lesson)}
  end-lost:
    outcome: lost
    loss: 5000           # 损失金额（元），按这类案件常见的数目写
    title: 钱被骗走了
    text: 你按对方说的做了，钱转出去以后，对方就再也联系不上了。
    lesson: ${q(afterLoss)}
`;
}

export async function run(args: string[], io: Io): Promise<number> {
  const [what] = positionals(args, ['type', 'id', 'out', 'root']);
  if (what !== 'scenario') throw new UsageError(`${USAGE}\n目前只能生成 scenario（情景）。`);
  const type = option(args, 'type');
  if (!type) throw new UsageError(`${USAGE}\n缺少 --type。`);
  if (!(FRAUD_TYPE_IDS as readonly string[]).includes(type)) {
    throw new UsageError(`不认识的诈骗类型「${type.slice(0, 40)}」。可以用的类型：\n  ${FRAUD_TYPE_IDS.join('\n  ')}`);
  }
  const root = path.resolve(io.cwd, option(args, 'root') ?? '.');
  const id = option(args, 'id') ?? `${type}-new`;
  const idCheck = idSchema.safeParse(id);
  if (!idCheck.success) throw new UsageError(`情景 id「${id.slice(0, 64)}」不合格式：只能用小写字母、数字和连字符，2～64 个字符（如 ${type}-campus-loan）。`);
  const outDir = path.resolve(io.cwd, option(args, 'out') ?? path.join(root, 'scenarios'));
  const file = path.join(outDir, `${id}.yaml`);
  const shown = path.relative(io.cwd, file) || file;
  if (existsSync(file)) {
    io.err(`文件已经存在，没有覆盖：${shown}\n换一个 --id，或者直接编辑这个文件。`);
    return 1;
  }
  const published = path.join(root, 'scenarios', `${id}.yaml`);
  if (published !== file && existsSync(published)) {
    io.err(`已经有 id 为「${id}」的情景：${path.relative(io.cwd, published) || published}\n情景 id 不能重复，换一个 --id。`);
    return 1;
  }
  const text = scenarioTemplate(id, type as FraudTypeId, typeInfo(root, type as FraudTypeId));
  mkdirSync(outDir, { recursive: true });
  let fd: number;
  try {
    fd = openSync(file, 'wx'); // never overwrite, even if the file appeared just now
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err(`文件已经存在，没有覆盖：${shown}`);
      return 1;
    }
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  io.out(shown);
  io.err(`已生成情景草稿：${shown}\n改好对话和选项后运行 npx fanzha validate 检查。写作指南：docs/authoring.md`);
  return 0;
}
