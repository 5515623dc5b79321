import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadContent } from '../../src/content/load.js';
import { MINI_FILES, writeMiniContent } from './mini-content.js';

/** Run `fanzha validate --root DIR` in-process and capture what it prints. */
async function validate(root: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['validate', '--root', root], { out: (l) => out.push(l), err: (l) => err.push(l), cwd: root });
  return { code, out, err };
}

/** Validate the mini content with one file replaced, and return the problem lines. */
async function problemsWith(file: string, body: string | null) {
  const root = writeMiniContent({ [file]: body });
  const r = await validate(root);
  expect(r.code).toBe(1);
  return r.out;
}

const FT = 'knowledge/fraud-types/order-brushing.yaml';

describe('when campaign staff validate content', () => {
  it('then valid content passes with exit 0 and a summary', async () => {
    const r = await validate(writeMiniContent());
    expect(r.code).toBe(0);
    expect(r.out).toEqual([]);
    expect(r.err.join('')).toMatch(/内容全部有效.*13 个诈骗类型/);
  });

  it('then malformed YAML is reported with file and line', async () => {
    const out = await problemsWith(FT, MINI_FILES[FT].replace('summary: 这是', 'summary: [这是'));
    expect(out.some((l) => /^knowledge\/fraud-types\/order-brushing\.yaml:\d+: \(文件\): YAML 格式有误/.test(l))).toBe(true);
  });

  it('then a duplicate key names the line of the second key', async () => {
    const out = await problemsWith(FT, MINI_FILES[FT] + 'share: 0.3\n');
    expect(out).toEqual([expect.stringMatching(/order-brushing\.yaml:\d+: \(文件\): 键重复了/)]);
    const line = Number(out[0].split(':')[1]);
    expect(line).toBe(MINI_FILES[FT].split('\n').length);
  });

  it('then an unknown field is named, at its own line', async () => {
    const out = await problemsWith(FT, MINI_FILES[FT].replace('share: 0.05', 'share: 0.05\nsahre: 0.1'));
    expect(out).toEqual(['knowledge/fraud-types/order-brushing.yaml:4: sahre: 不认识的字段「sahre」（字段名写错了？）']);
  });

  it('then a wrong type says what was expected', async () => {
    const out = await problemsWith(FT, MINI_FILES[FT].replace('share: 0.05', 'share: 很多'));
    expect(out).toEqual([expect.stringMatching(/^knowledge\/fraud-types\/order-brushing\.yaml:3: share: 无效输入：期望 数字/)]);
  });

  it('then a missing required field is reported at the object', async () => {
    const out = await problemsWith(FT, MINI_FILES[FT].replace('summary: 这是一个测试用的诈骗类型。\n', ''));
    expect(out).toEqual(['knowledge/fraud-types/order-brushing.yaml:1: summary: 缺少必填字段「summary」']);
  });

  it('then a reference to a signal or group that does not exist is reported', async () => {
    const out = await problemsWith(FT, MINI_FILES[FT].replace('signals: [safe-account, pay-first-fee]', 'signals: [safe-account, no-such-signal]').replace('groups: [general]', 'groups: [pensioners]'));
    expect(out).toEqual([
      expect.stringMatching(/order-brushing\.yaml:\d+: signals\.1: 信号「no-such-signal」不存在/),
      expect.stringMatching(/order-brushing\.yaml:\d+: groups\.0: 人群「pensioners」不存在/),
    ]);
  });

  it('then a duplicate id is reported', async () => {
    const body = MINI_FILES['knowledge/signals.yaml'].replace('  - id: pay-first-fee', '  - id: safe-account');
    const out = await problemsWith('knowledge/signals.yaml', body);
    expect(out).toContainEqual(expect.stringMatching(/signals\.yaml:\d+: signals\.1\.id: id「safe-account」重复/));
  });

  it('then an empty file is reported as empty', async () => {
    const out = await problemsWith('knowledge/followups.yaml', '  \n');
    expect(out).toEqual(['knowledge/followups.yaml:1: (文件): 文件是空的']);
  });

  it('then a file over the size bound is refused before parsing', async () => {
    const big = 'followups:\n' + '# padding\n'.repeat(60_000);
    const out = await problemsWith('knowledge/followups.yaml', big);
    expect(out).toEqual([expect.stringMatching(/followups\.yaml:1: \(文件\): 文件太大（\d+ KB）/)]);
  });

  it('then a YAML alias bomb is refused without expanding it', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const t0 = Date.now();
    const out = await problemsWith('knowledge/followups.yaml', bomb.join('\n') + '\n');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(out).toEqual([expect.stringMatching(/followups\.yaml:\d+: \(文件\): 内容文件不允许使用 YAML 别名/)]);
  });

  it('then a regular expression that does not compile is reported', async () => {
    const body = MINI_FILES['knowledge/signals.yaml'].replace("'(?:转|汇)到.{0,6}安全(?:账|帐)户'", "'(?:转|汇到'");
    const out = await problemsWith('knowledge/signals.yaml', body);
    expect(out).toEqual([expect.stringMatching(/signals\.yaml:\d+: signals\.0\.patterns\.0: 正则表达式写错了，无法编译/)]);
  });

  it('then a regular expression with nested quantifiers is refused as catastrophic', async () => {
    const body = MINI_FILES['knowledge/signals.yaml'].replace("'(?:转|汇)到.{0,6}安全(?:账|帐)户'", () => "'(a+)+$'");
    const out = await problemsWith('knowledge/signals.yaml', body);
    expect(out).toEqual([expect.stringMatching(/signals\.0\.patterns\.0: 正则表达式有嵌套的重复/)]);
  });

  it('then an overlapping alternation that backtracks exponentially is caught by the timed probe', async () => {
    const body = MINI_FILES['knowledge/signals.yaml'].replace("'(?:转|汇)到.{0,6}安全(?:账|帐)户'", () => "'^(a|a)*$'");
    const out = await problemsWith('knowledge/signals.yaml', body);
    expect(out).toEqual([expect.stringMatching(/signals\.0\.patterns\.0: 正则表达式.*(嵌套|回溯失控)/)]);
  });

  it('then a fraud-type file whose name and id disagree is reported', async () => {
    const root = writeMiniContent({ [FT]: null, 'knowledge/fraud-types/brushing.yaml': MINI_FILES[FT] });
    const r = await validate(root);
    expect(r.code).toBe(1);
    expect(r.out).toContain('knowledge/fraud-types/brushing.yaml:1: id: 文件名「brushing」和 id「order-brushing」不一致：文件应命名为 order-brushing.yaml');
    expect(r.out).toContainEqual(expect.stringContaining('缺少诈骗类型文件 order-brushing.yaml'));
  });

  it('then all problems across files are listed at once, sorted by file and line', async () => {
    const root = writeMiniContent({
      'knowledge/followups.yaml': '',
      [FT]: MINI_FILES[FT].replace('share: 0.05', 'share: 2'),
    });
    const r = await validate(root);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(/^knowledge\/followups\.yaml:1:/);
    expect(r.out[1]).toMatch(/^knowledge\/fraud-types\/order-brushing\.yaml:3: share:/);
    expect(r.err.join('')).toContain('共 2 处问题');
  });

  it('then a file that is not there is reported as missing, not as a crash', async () => {
    const out = await problemsWith('knowledge/advice.yaml', null);
    expect(out).toEqual(['knowledge/advice.yaml:1: (文件): 缺少这个文件']);
  });
});

describe('when someone passes a file to fanzha validate', () => {
  it('then it says the command checks the whole folder and how to check a new file', async () => {
    const err: string[] = [];
    const code = await main(['validate', 'scenarios/new.yaml'], { out: () => {}, err: (l) => err.push(l), cwd: writeMiniContent() });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/不接受单个文件.*放进 scenarios\//s);
  });
});

describe('when a scenario graph is broken', () => {
  const S = 'scenarios/test-scenario.yaml';
  it('then a `next` that goes nowhere is reported at that choice', async () => {
    const out = await problemsWith(S, MINI_FILES[S].replace('next: lost }', 'next: lots }'));
    expect(out).toEqual([expect.stringMatching(/test-scenario\.yaml:\d+: nodes\.n2\.choices\.0\.next: 「lots」既不是节点也不是结局/)]);
  });

  it('then a loop back to an earlier node is refused', async () => {
    const out = await problemsWith(S, MINI_FILES[S].replace('{ text: 转账, feedback: 公安没有安全账户。, safe: false, next: lost }', '{ text: 转账, feedback: 公安没有安全账户。, safe: false, next: n1 }'));
    expect(out.join('\n')).toMatch(/死循环/);
  });

  it('then an unreachable ending is reported', async () => {
    const out = await problemsWith(S, MINI_FILES[S].replace("{ text: 打 110 核实, feedback: 对。, safe: true, next: safe }", "{ text: 打 110 核实, feedback: 对。, safe: true, next: lost }").replace('{ text: 挂断, feedback: 对，挂断最安全。, safe: true, signals: [safe-account], next: safe }', '{ text: 挂断, feedback: 对，挂断最安全。, safe: true, signals: [safe-account], next: lost }'));
    expect(out).toEqual([expect.stringMatching(/endings\.safe: 结局「safe」从起点走不到/)]);
  });

  it('then a file name that differs from the scenario id is reported', async () => {
    const root = writeMiniContent({ [S]: null, 'scenarios/other-name.yaml': MINI_FILES[S] });
    const r = await validate(root);
    expect(r.out).toEqual([expect.stringContaining('other-name.yaml:1: id: 文件名「other-name」和 id「test-scenario」不一致')]);
  });

  it('then a quiz answer outside the options is reported', async () => {
    const Q = 'scenarios/quiz/test.yaml';
    const out = await problemsWith(Q, MINI_FILES[Q].replace('answer: 0', 'answer: 3'));
    expect(out).toEqual([expect.stringMatching(/quiz\/test\.yaml:\d+: questions\.1\.answer: 答案序号 3 超出了选项范围/)]);
  });
});

describe('when the server and tests load content', () => {
  it('then the loaded content is complete and fingerprinted', () => {
    const root = writeMiniContent();
    const a = loadContent(root);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.content.fraudTypes.map((t) => t.id)[0]).toBe('order-brushing');
    expect(a.content.scenarioById.get('test-scenario')?.start).toBe('n1');
    writeFileSync(path.join(root, 'knowledge/examples/benign.yaml'), 'label: benign\nexamples:\n  - { id: ex-b2, form: sms, text: 你好 }\n');
    const b = loadContent(root);
    expect(b.ok && b.content.fingerprint).not.toBe(a.content.fingerprint);
  });
});
