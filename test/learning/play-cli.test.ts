import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MINI_FILES, writeMiniContent } from '../content/mini-content.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function play(root: string, file: string, input: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['play', file], { cwd: root, stdin: Readable.from([input]), out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const SC = 'scenarios/test-scenario.yaml';

describe('when a content author plays a scenario in the terminal', () => {
  it('then piped choices walk to the ending, with feedback, the lesson and the path taken', async () => {
    const r = await play(writeMiniContent(), SC, '2\n1\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('情景：测试情景');
    expect(r.out).toContain('【对方】我是公安局的，你涉嫌洗钱。');
    expect(r.out).toContain('  1. 挂断');
    expect(r.out).toContain('✘ 有风险：危险。');
    expect(r.out).toContain('—— 结局「lost」：被骗了（被骗 50,000 元）');
    expect(r.out).toContain('教训：没有安全账户。');
    expect(r.out).toContain('走过的路：n1→2 n2→1 lost');
  });

  it('then the safe choice names the signals it teaches by their Chinese names', async () => {
    const r = await play(writeMiniContent(), SC, '1\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('✔ 明智的选择：对，挂断最安全。');
    expect(r.out).toContain('风险信号：安全账户');
    expect(r.out).toContain('躲过了骗局');
  });

  it('then a choice that is not offered is refused and asked again', async () => {
    const r = await play(writeMiniContent(), SC, '7\n好的\n\n1\n');
    expect(r.code).toBe(0);
    expect(r.out.match(/没有这个选项哦。请在 1 到 2 之间选一个/g)).toHaveLength(2);
    expect(r.out).toContain('躲过了骗局');
  });

  it('then input that ends before an ending says where it stopped and exits 1', async () => {
    const r = await play(writeMiniContent(), SC, '2\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/输入结束了.*n2/);
  });

  it('then a broken scenario file is reported as file:line: path: message', async () => {
    const root = writeMiniContent({ [SC]: MINI_FILES[SC].replace('next: lost', 'next: nowhere') });
    const r = await play(root, SC, '1\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^scenarios\/test-scenario\.yaml:\d+: nodes\.n2\.choices\.0\.next: 「nowhere」既不是节点也不是结局$/m);
  });

  it('then problems in other files do not stop the author from playing theirs', async () => {
    const root = writeMiniContent({ 'knowledge/advice.yaml': null });
    const r = await play(root, SC, '1\n');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/其他内容文件还有 1 处问题/);
  });

  it('then a missing file or a file outside scenarios/ is a clear error', async () => {
    const root = writeMiniContent();
    expect((await play(root, 'scenarios/nope.yaml', '')).code).toBe(1);
    const q = await play(root, 'scenarios/quiz/test.yaml', '');
    expect(q.code).toBe(2);
    expect(q.err).toMatch(/只能试玩 scenarios\//);
  });

  it('then a real scenario of the project can be played to an ending', async () => {
    const file = readdirSync(path.join(ROOT, 'scenarios')).find((f) => f.endsWith('.yaml'))!;
    const r = await play(ROOT, `scenarios/${file}`, '1\n'.repeat(30));
    expect(r.err).not.toMatch(/^scenarios\/.*:\d+:/m);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/—— 结局「/);
  });
});
