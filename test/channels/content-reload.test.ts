/**
 * Hot reload while people are mid-conversation: the server watches a copy of knowledge/
 * and scenarios/ (CONTENT_ROOT); a valid edit is live within seconds without a restart and
 * without breaking a scenario or a class in progress; an invalid edit keeps the old content
 * serving and logs every problem as `file:line: path: message`; POST /admin/reload says the same.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { PROJECT_ROOT, startTestApp } from '../helpers/app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
interface Act {
  text?: string;
  attachments?: { contentType: string; content?: { title?: string; text?: string; buttons?: { title: string; value: unknown }[] } }[];
}
const TOKEN = 'reload-token-0123456789abcdef';

let app: TestApp;
let root: string;
const logs: string[] = [];
let seq = 0;

async function say(user: string, input: string | { value: unknown; text?: string }): Promise<Act[]> {
  const body = {
    type: 'message',
    id: `r${++seq}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1',
    deliveryMode: 'expectReplies',
    conversation: { id: `conv-${user}` },
    from: { id: user },
    recipient: { id: 'bot' },
    ...(typeof input === 'string' ? { text: input } : { text: input.text ?? '', value: input.value }),
  };
  const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { activities?: Act[] }).activities ?? [];
}
const allText = (acts: Act[]) =>
  acts.flatMap((a) => [a.text ?? '', ...(a.attachments ?? []).flatMap((x) => [x.content?.title ?? '', x.content?.text ?? '', ...(x.content?.buttons ?? []).map((b) => `[${b.title}]`)])]).join('\n');
const buttonsOf = (acts: Act[]) => acts.flatMap((a) => (a.attachments ?? []).flatMap((x) => x.content?.buttons ?? []));
const press = (user: string, acts: Act[], match: (title: string) => boolean) => {
  const b = buttonsOf(acts).find((x) => match(x.title));
  expect(b, buttonsOf(acts).map((x) => x.title).join(' | ')).toBeDefined();
  return say(user, { value: b!.value, text: b!.title });
};
async function fingerprint(): Promise<string> {
  return ((await (await fetch(`${app.url}/healthz`)).json()) as { content: string }).content;
}
async function waitForChange(from: string, ms: number): Promise<number | undefined> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if ((await fingerprint()) !== from) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'fanzha-content-'));
  cpSync(path.join(PROJECT_ROOT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
  cpSync(path.join(PROJECT_ROOT, 'scenarios'), path.join(root, 'scenarios'), { recursive: true });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  app = await startTestApp({ CONTENT_ROOT: root, CONTENT_WATCH: '1', ADMIN_TOKEN: TOKEN }, { log: createLogger('info', sink) });
});
afterAll(() => app?.close());

describe('when staff edit content while residents and a class are mid-conversation', () => {
  const resident = 'reload-resident';
  const student = 'reload-student';
  let scenarioTurn: Act[];
  let classTurn: Act[];

  it('then a valid change is live within seconds, and the scenario and the class in progress carry on', async () => {
    // A resident is in the middle of a scenario; a student is in the middle of a class quiz.
    await say(resident, '你好');
    scenarioTurn = await say(resident, { value: { a: 'scenario', id: 'order-brushing-student-likes' }, text: '点个赞' });
    expect(allText(scenarioTurn)).toContain('兼职客服小雅');
    await say('reload-teacher', '开设课堂');
    await say('reload-teacher', '中学');
    await say('reload-teacher', '本地最常见');
    await say('reload-teacher', '5 道题');
    const made = allText(await say('reload-teacher', '不用了'));
    const code = /加入 ([A-Z2-9]{6})」/.exec(made)![1];
    await say(student, `加入 ${code}`);
    classTurn = await say(student, '小刺猬');
    expect(allText(classTurn)).toContain('第 1/5 题');
    classTurn = await say(student, '1');
    expect(allText(classTurn)).toContain('第 2/5 题');

    // Staff rename a fraud type.
    const before = await fingerprint();
    const file = path.join(root, 'knowledge/fraud-types/game-trading.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('zh: 网络游戏产品虚假交易类', 'zh: 游戏账号装备虚假交易类'));
    const ms = await waitForChange(before, 10_000);
    expect(ms, 'content did not reload within 10 s').toBeDefined();
    console.log(`valid change live after ${ms} ms (watch debounce 400 ms + load + retrain)`);
    expect(allText(await say('reload-newcomer', '了解诈骗类型'))).toContain('游戏账号装备虚假交易类');

    // Both conversations continue where they were.
    scenarioTurn = await press(resident, scenarioTurn, (t) => t.includes('不回复'));
    expect(allText(scenarioTurn)).not.toContain('更新过');
    expect(allText(scenarioTurn)).toMatch(/做得好|结局/);
    classTurn = await say(student, '1');
    expect(allText(classTurn)).toMatch(/答对了|答错了/);
    expect(allText(classTurn)).toContain('第 3/5 题');
  });

  it('then an invalid change keeps the old content serving, logs file:line problems, and the class goes on', async () => {
    const before = await fingerprint();
    const file = path.join(root, 'scenarios/romance-middle-aged-woman-investment.yaml');
    const good = readFileSync(file, 'utf8');
    appendFileSync(file, '\nextra_field: 1\n');
    const lineNo = good.split('\n').length + 1;
    // The watcher reloads in a worker thread; wait until it has logged what is wrong.
    const problemsLogged = () => logs.filter((l) => l.includes('content problem')).map((l) => JSON.parse(l).problem as string);
    for (let waited = 0; waited < 10_000 && problemsLogged().length === 0; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(await fingerprint()).toBe(before);
    const problems = problemsLogged();
    expect(problems).toContain(`scenarios/romance-middle-aged-woman-investment.yaml:${lineNo}: extra_field: 不认识的字段「extra_field」（字段名写错了？）`);
    expect(logs.some((l) => l.includes('still serving the previous content'))).toBe(true);

    // The bot still answers from the old (valid) content, and the class carries on.
    expect(allText(await say('reload-newcomer', '了解诈骗类型'))).toContain('刷单返利类');
    classTurn = await say(student, '2');
    expect(allText(classTurn)).toMatch(/答对了|答错了/);
    expect(allText(classTurn)).toContain('第 4/5 题');

    // Staff can ask for the problems directly.
    const r = await fetch(`${app.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(422);
    const body = (await r.json()) as { ok: boolean; problems: string[]; fingerprint: string };
    expect(body.ok).toBe(false);
    expect(body.fingerprint).toBe(before);
    expect(body.problems.every((p) => /^[^:]+\.ya?ml:\d+: [^:]+: .+/.test(p) || /^[^:]+:\d+: /.test(p))).toBe(true);
    expect(body.problems[0]).toMatch(/^scenarios\/romance-middle-aged-woman-investment\.yaml:\d+: extra_field: /);

    // Fixing the file brings the change in (and POST /admin/reload reports it).
    writeFileSync(file, good.replace('version: 1', 'version: 2'));
    const ok = await fetch(`${app.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { ok: boolean }).ok).toBe(true);
    expect(await waitForChange(before, 5_000)).toBeDefined();
  });
});
