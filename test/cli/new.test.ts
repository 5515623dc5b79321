import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadContent } from '../../src/content/load.js';
import { FRAUD_TYPE_IDS } from '../../src/content/schema.js';
import { PROJECT_ROOT } from '../helpers/app.js';

function contentCopy(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fanzha-new-'));
  cpSync(path.join(PROJECT_ROOT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
  cpSync(path.join(PROJECT_ROOT, 'scenarios'), path.join(root, 'scenarios'), { recursive: true });
  return root;
}

async function fanzha(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { cwd: root, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fanzha new scenario', () => {
  it('when a draft is made for every fraud type, then each file passes the same validation the server uses', async () => {
    const root = contentCopy();
    for (const t of FRAUD_TYPE_IDS) {
      const r = await fanzha(root, 'new', 'scenario', '--type', t);
      expect(r.code, r.err).toBe(0);
      expect(existsSync(path.join(root, 'scenarios', `${t}-new.yaml`))).toBe(true);
    }
    const loaded = loadContent(root);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    if (loaded.ok) expect(loaded.content.scenarioById.get('romance-new')?.fraudType).toBe('romance');
    expect((await fanzha(root, 'validate')).code).toBe(0);
  });

  it('when --id and --out are given, then the file is written there under that id, with comments explaining the fields', async () => {
    const root = contentCopy();
    const out = path.join(root, 'drafts');
    const r = await fanzha(root, 'new', 'scenario', '--type', 'game-trading', '--id', 'game-trading-free-skin-2', '--out', out);
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(out, 'game-trading-free-skin-2.yaml'), 'utf8');
    expect(text).toContain('id: game-trading-free-skin-2');
    expect(text).toContain('fraudType: game-trading');
    expect(text).toMatch(/# 永久 id/);
    expect(text).toContain('docs/authoring.md');
  });

  it('when the type is unknown, then it refuses and lists the valid types', async () => {
    const r = await fanzha(contentCopy(), 'new', 'scenario', '--type', 'crypto-scam');
    expect(r.code).toBe(2);
    expect(r.err).toContain('不认识的诈骗类型「crypto-scam」');
    expect(r.err).toContain('order-brushing');
  });

  it('when the file already exists, then it refuses and leaves the file untouched', async () => {
    const root = contentCopy();
    const file = path.join(root, 'scenarios', 'other-new.yaml');
    writeFileSync(file, '# my work\n');
    const r = await fanzha(root, 'new', 'scenario', '--type', 'other');
    expect(r.code).toBe(1);
    expect(r.err).toContain('文件已经存在，没有覆盖');
    expect(readFileSync(file, 'utf8')).toBe('# my work\n');
  });

  it('when the id is already used by a published scenario, then a draft elsewhere is refused too', async () => {
    const root = contentCopy();
    const r = await fanzha(root, 'new', 'scenario', '--type', 'game-trading', '--id', 'game-trading-student-free-skin', '--out', path.join(root, 'drafts'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('情景 id 不能重复');
  });

  it('when the id is not kebab-case or the kind is not "scenario", then it explains the usage', async () => {
    expect((await fanzha(contentCopy(), 'new', 'scenario', '--type', 'other', '--id', 'Bad_Id')).err).toContain('不合格式');
    expect((await fanzha(contentCopy(), 'new', 'question', '--type', 'other')).err).toContain('目前只能生成 scenario');
    expect((await fanzha(contentCopy(), 'new', 'scenario')).err).toContain('缺少 --type');
  });
});
