/**
 * The `fanzha` command. Each sub-command lives in its own module and is loaded on demand,
 * so `fanzha validate` does not pay for training the classifier.
 */
import path from 'node:path';
import type { Command, Io } from './io.js';
import { UsageError } from './io.js';

const COMMANDS: Record<string, { load: () => Promise<{ run: Command }>; help: string }> = {
  validate: { load: () => import('./validate.js'), help: 'validate [--root DIR]            检查 knowledge/ 和 scenarios/ 的内容' },
  triage: { load: () => import('./triage.js'), help: 'triage "短信内容" | --jsonl      判断一段消息是不是诈骗' },
  eval: { load: () => import('./eval.js'), help: 'eval [--data FILE.jsonl]         评估识别准确率' },
  play: { load: () => import('./play.js'), help: 'play scenarios/<文件>.yaml         在终端里试玩一个情景' },
  progress: { load: () => import('./progress.js'), help: 'progress --user ID               查看某个用户的学习进度' },
  new: { load: () => import('./new.js'), help: 'new scenario --type <诈骗类型>     生成一个新情景的起始文件' },
};

function usage(io: Io) {
  io.err('用法: fanzha <命令> [参数]');
  for (const c of Object.values(COMMANDS)) io.err(`  fanzha ${c.help}`);
}

export async function main(argv: string[], io?: Partial<Io>): Promise<number> {
  const full: Io = {
    stdin: process.stdin,
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    cwd: process.env.FANZHA_ROOT ? path.resolve(process.env.FANZHA_ROOT) : path.resolve(import.meta.dirname, '../..'),
    ...io,
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(full);
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    full.err(`没有这个命令：${name.slice(0, 40)}`);
    usage(full);
    return 2;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, full);
  } catch (err) {
    if (err instanceof UsageError) {
      full.err(err.message);
      return 2;
    }
    full.err(`出错了：${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
