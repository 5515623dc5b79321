import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadContent } from '../content/load.js';
import { formatProblem } from '../content/yaml-file.js';
import { option, positionals, UsageError, type Io } from './io.js';

/** `fanzha validate [--root DIR]`: exit 0 when all content is valid, else one line per problem. */
export async function run(args: string[], io: Io): Promise<number> {
  const extra = positionals(args, ['root']);
  if (extra.length) {
    throw new UsageError(
      `fanzha validate 检查的是整个内容文件夹，不接受单个文件（${extra[0].slice(0, 80)}）。` +
        '把新文件放进 scenarios/ 或 knowledge/ 里再运行 fanzha validate，或者用 --root 指定另一个内容文件夹。',
    );
  }
  const root = path.resolve(io.cwd, option(args, 'root') ?? '.');
  const t0 = performance.now();
  const result = loadContent(root);
  const ms = performance.now() - t0;
  if (!result.ok) {
    for (const p of result.problems) io.out(formatProblem(p));
    io.err(`共 ${result.problems.length} 处问题`);
    return 1;
  }
  const c = result.content;
  io.err(
    `内容全部有效：${c.fraudTypes.length} 个诈骗类型，${c.signals.length} 个风险信号，${c.groups.length} 个人群，` +
      `${c.examples.length} 条例子，${c.scenarios.length} 个情景，${c.questions.length} 道题（${c.files} 个文件，${ms.toFixed(0)} 毫秒）`,
  );
  return 0;
}
