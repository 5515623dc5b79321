import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerLine, processJsonl } from '../../src/cli/triage.js';
import { exampleLabel } from '../../src/content/schema.js';
import { ROOT, realTriage } from './helpers.js';

const BIN = path.join(ROOT, 'bin/fanzha.mjs');

function fanzha(args: string[], stdin?: string | Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, FANZHA_ROOT: ROOT } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

const CONTRACT_KEYS = ['confidence', 'fraudType', 'id', 'signals', 'verdict'];

describe('when another tool pipes JSON lines into fanzha triage --jsonl', () => {
  it('then every input line gets exactly one output line, in order, and stdout holds nothing else', async () => {
    const lines = [
      JSON.stringify({ id: 'a1', text: '您的快递丢失了，我们给您三倍赔偿，请打开屏幕共享配合操作退款' }),
      'this is not json',
      JSON.stringify({ id: 'a2', text: '' }),
      JSON.stringify({ id: 'a3' }),
      JSON.stringify({ id: 42, text: 'x' }),
      '[1,2,3]',
      '',
      '{"id": "a4", "text": "妈，我晚上回家吃饭"}\r',
      JSON.stringify({ id: 'a5', text: '兼职刷单日结，先垫付后返佣金 '.repeat(8000) }),
      JSON.stringify({ id: 'a6', text: '\u0000\u202e' }),
    ];
    const r = await fanzha(['triage', '--jsonl'], lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.pop()).toBe(''); // final newline, no extra line
    expect(out).toHaveLength(lines.length);
    const parsed = out.map((l) => JSON.parse(l) as Record<string, unknown>);

    expect(Object.keys(parsed[0]).sort()).toEqual(CONTRACT_KEYS);
    expect(parsed[0]).toMatchObject({ id: 'a1', verdict: 'high-risk', fraudType: 'fake-customer-service' });
    expect(parsed[0].signals).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'screen-sharing', evidence: expect.any(String) })]));
    for (const s of parsed[0].signals as object[]) expect(Object.keys(s).sort()).toEqual(['evidence', 'id']);

    expect(parsed[1]).toEqual({ id: null, error: expect.any(String) });
    expect(parsed[2]).toMatchObject({ id: 'a2', verdict: 'low-risk', fraudType: null, confidence: 0, signals: [] });
    expect(parsed[3]).toEqual({ id: 'a3', error: expect.any(String) });
    expect(parsed[4]).toEqual({ id: null, error: expect.any(String) });
    expect(parsed[5]).toEqual({ id: null, error: expect.any(String) });
    expect(parsed[6]).toEqual({ id: null, error: expect.any(String) });
    expect(parsed[7]).toMatchObject({ id: 'a4', verdict: 'low-risk', fraudType: null });
    expect(parsed[8]).toMatchObject({ id: 'a5', verdict: 'high-risk', fraudType: 'order-brushing' });
    expect(parsed[9]).toMatchObject({ id: 'a6', verdict: 'low-risk' });
    for (const p of parsed) {
      if ('verdict' in p) {
        expect(p.confidence).toBeGreaterThanOrEqual(0);
        expect(p.confidence).toBeLessThanOrEqual(1);
        if (p.verdict === 'low-risk') expect(p.fraudType).toBeNull();
        else expect(p.fraudType).not.toBeNull();
      }
    }
  }, 60_000);

  it('then an empty input gives no output and exit 0', async () => {
    const r = await fanzha(['triage', '--jsonl'], '');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  }, 60_000);
});

describe('when a --jsonl line is bad or huge (in-process)', () => {
  const engine = realTriage();
  const run = async (input: Buffer | string, max?: number) => {
    const out: string[] = [];
    // Feed the input in small chunks so that lines cross chunk boundaries (and UTF-8 characters too).
    const buf = Buffer.from(input);
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 7) chunks.push(buf.subarray(i, i + 7));
    await processJsonl(Readable.from(chunks), (l) => out.push(l), engine, max);
    return out.map((l) => JSON.parse(l) as Record<string, unknown>);
  };

  it('then a line that is not JSON gives an error line and the rest is still processed', async () => {
    const out = await run('{"id":"x1","text":"安全账户"}\n{oops\n{"id":"x2","text":"周末一起吃饭"}');
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ id: 'x1' });
    expect(out[1]).toEqual({ id: null, error: expect.any(String) });
    expect(out[2]).toMatchObject({ id: 'x2', verdict: 'low-risk' });
  });

  it('then a broken line that starts with an id keeps its id in the error', () => {
    expect(JSON.parse(answerLine('{"id":"k9","text":"unterminated', engine))).toEqual({ id: 'k9', error: expect.any(String) });
  });

  it('then a line longer than the bound is skipped without buffering it, with its id when readable', async () => {
    const long = JSON.stringify({ id: 'big', text: '字'.repeat(2000) });
    const out = await run(`${long}\n{"id":"after","text":"你好"}\n`, 1000);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ id: 'big', error: expect.stringContaining('1000') });
    expect(out[1]).toMatchObject({ id: 'after', verdict: 'low-risk' });
  });

  it('then a final line without a newline is still answered, and a UTF-8 BOM is ignored', async () => {
    const out = await run('\ufeff{"id":"b","text":"你好"}');
    expect(out).toEqual([expect.objectContaining({ id: 'b', verdict: 'low-risk' })]);
  });
});

describe('when a resident runs fanzha triage "text"', () => {
  it('then a readable Chinese verdict is printed', async () => {
    const r = await fanzha(['triage', '我是你领导，换新号了，明天来我办公室，先帮我转2万给一个朋友，别告诉别人']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/判断：高风险/);
    expect(r.stdout).toContain('冒充领导熟人类');
    expect(r.stdout).toContain('危险信号');
    expect(r.stdout).toContain('现在该怎么做');
  }, 60_000);

  it('then no text gives a usage hint on stderr and exit 2', async () => {
    const r = await fanzha(['triage'], '');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('fanzha triage');
  }, 60_000);
});

describe('when the held-out file is used for evaluation', () => {
  it('then it has 80+ labelled lines with unique ids and valid labels', () => {
    const lines = readFileSync(path.join(ROOT, 'test/fixtures/heldout.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(80);
    const ids = new Set<string>();
    for (const l of lines) {
      const o = JSON.parse(l) as { id: string; text: string; label: string };
      expect(typeof o.text).toBe('string');
      expect(exampleLabel.safeParse(o.label).success, o.label).toBe(true);
      expect(ids.has(o.id)).toBe(false);
      ids.add(o.id);
    }
  });

  it('then fanzha eval --data reports the targets as JSON', async () => {
    const r = await fanzha(['eval', '--data', 'test/fixtures/heldout.jsonl', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { n: number; macroF1: number; scamRecall: number; benignHigh: number };
    expect(report.n).toBeGreaterThanOrEqual(80);
    expect(report.scamRecall).toBeGreaterThanOrEqual(0.9);
    expect(report.benignHigh).toBeLessThanOrEqual(0.05);
  }, 60_000);
});
