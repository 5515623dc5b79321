/**
 * A whole class through the real server (port 0, POST /api/messages, expectReplies):
 * a teacher opens a class with pre/post tests, 40 students join in the same second while a
 * second class runs at the same time, everyone answers, and the report (chat, web page and
 * CSV) is checked against the answers the students actually gave.
 */
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/load.js';
import { correctIndex, questionView } from '../../src/learning/quiz.js';
import { PROJECT_ROOT, startTestApp } from '../helpers/app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
interface Att {
  contentType: string;
  contentUrl?: string;
  content?: { title?: string; subtitle?: string; text?: string; buttons?: { title: string; value: unknown }[] };
}
interface Act {
  text?: string;
  attachments?: Att[];
  suggestedActions?: { actions: { title: string; value: unknown }[] };
}

const content = loadContentOrThrow(PROJECT_ROOT);
/** Right option for a question as the card shows it, found from the content (not from the class code). */
const rightByPrompt = new Map<string, number>();
for (const q of content.questions) rightByPrompt.set(questionView(q).prompt, correctIndex(q));

let seq = 0;
let turns = 0;
let app: TestApp;
let offset = 0; // moves the server clock forward (expiry)

async function say(user: string, input: string | { value: unknown; text?: string }): Promise<Act[]> {
  const body = {
    type: 'message',
    id: `m${++seq}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1',
    deliveryMode: 'expectReplies',
    conversation: { id: `conv-${user}` },
    from: { id: user, name: user },
    recipient: { id: 'bot', name: 'fanzha' },
    ...(typeof input === 'string' ? { text: input } : { text: input.text ?? '', value: input.value }),
  };
  const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${user}: ${JSON.stringify(input)}`).toBe(200);
  turns++;
  const json = (await res.json()) as { activities?: Act[] };
  // Read text as a person sees it: Markdown hard breaks ("  \n") are plain line breaks.
  const plain = (t?: string) => t?.replace(/ {2}\n/g, '\n');
  for (const a of json.activities ?? []) {
    a.text = plain(a.text);
    for (const x of a.attachments ?? []) if (x.content) x.content.text = plain(x.content.text);
  }
  return json.activities ?? [];
}

const allText = (acts: Act[]) =>
  acts
    .flatMap((a) => [a.text ?? '', ...(a.attachments ?? []).flatMap((x) => [x.content?.title ?? '', x.content?.subtitle ?? '', x.content?.text ?? ''])])
    .filter(Boolean)
    .join('\n');
const cardsOf = (acts: Act[]) => acts.flatMap((a) => (a.attachments ?? []).filter((x) => x.content).map((x) => x.content!));
const buttonsOf = (acts: Act[]) => cardsOf(acts).flatMap((c) => c.buttons ?? []);

/** The question card in a turn: its prompt (as the content has it) and its buttons. */
function questionIn(acts: Act[]) {
  const card = cardsOf(acts).find((c) => /第 \d+\/\d+ 题/.test(c.title ?? ''));
  if (!card) return undefined;
  const m = /^下面这条消息，是诈骗吗？\n\n「([\s\S]*)」$/.exec(card.text ?? '');
  const prompt = m ? m[1] : (card.text ?? '').split('\n\n')[0];
  const right = rightByPrompt.get(prompt);
  expect(right, `question not found in content: ${prompt.slice(0, 40)}`).toBeDefined();
  return { title: card.title!, prompt, right: right!, buttons: card.buttons! };
}

function rng(seed: number) {
  return () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
}

interface Opened {
  code: string;
  link: string;
  reportPath: string;
  acts: Act[];
}

async function openClass(teacher: string, audience: string, types: 'top' | string[], count: number, prePost: boolean): Promise<Opened> {
  const t1 = await say(teacher, '开设课堂');
  expect(buttonsOf(t1).map((b) => b.title)).toEqual(['小学', '中学', '大学']);
  const pick = async (title: string, acts: Act[]) => {
    const b = buttonsOf(acts).find((x) => x.title === title || x.title === `✓ ${title}`);
    expect(b, `button ${title}`).toBeDefined();
    return say(teacher, { value: b!.value, text: b!.title });
  };
  let acts = await pick(audience, t1);
  if (types === 'top') acts = await pick('本地最常见（推荐）', acts);
  else {
    for (const t of types) acts = await pick(t, acts);
    acts = await pick('选好了', acts);
  }
  acts = await pick(`${count} 道题`, acts);
  acts = await pick(prePost ? '加上课前课后小测' : '不用了', acts);
  const all = allText(acts);
  const code = /加入 ([A-Z2-9]{6})」/.exec(all)?.[1];
  expect(code, all).toBeDefined();
  const link = /(http:\/\/localhost:\d+\/\?join=[A-Z2-9]{6})/.exec(all)![1];
  const reportPath = /http:\/\/localhost:\d+(\/class-report\/[A-Za-z0-9_-]{43})/.exec(all)![1];
  return { code: code!, link, reportPath, acts };
}

interface Kid {
  id: string;
  nickname: string;
  right: Record<'pre' | 'main' | 'post', number[]>;
  final?: string;
}

/** Answer questions until none is shown; returns the last turn. Each answer: right with probability p. */
async function play(kid: Kid, first: Act[], p: number, rand: () => number): Promise<Act[]> {
  let acts = first;
  for (let guard = 0; guard < 40; guard++) {
    const q = questionIn(acts);
    if (!q) return acts;
    const phase = q.title.startsWith('课前') ? 'pre' : q.title.startsWith('课后') ? 'post' : 'main';
    const wantRight = rand() < p;
    const choice = wantRight ? q.right : (q.right + 1) % q.buttons.length;
    kid.right[phase].push(choice === q.right ? 1 : 0);
    // Half press the button, half type the number, as students do.
    acts = rand() < 0.5 ? await say(kid.id, { value: q.buttons[choice].value, text: q.buttons[choice].title }) : await say(kid.id, String(choice + 1));
    if (phase === 'main') expect(allText(acts)).toContain(choice === q.right ? '✅ 答对了' : '❌ 答错了');
    else expect(allText(acts)).toContain('已记下');
  }
  throw new Error('too many questions');
}

beforeAll(async () => {
  app = await startTestApp({ CLASS_SESSION_HOURS: '3' }, { now: () => Date.now() + offset });
});
afterAll(() => app?.close());

describe('when a teacher runs a class of 40 through the real server while another class runs', () => {
  const A: Kid[] = Array.from({ length: 40 }, (_, i) => ({ id: `a-student-${i}`, nickname: `A班${i + 1}号`, right: { pre: [], main: [], post: [] } }));
  const B: Kid[] = Array.from({ length: 12 }, (_, i) => ({ id: `b-student-${i}`, nickname: `B班${i + 1}号`, right: { pre: [], main: [], post: [] } }));
  let classA: Opened;
  let classB: Opened;

  it('then each teacher gets a join code, a join link, a QR code of that link and a private report link', async () => {
    [classA, classB] = await Promise.all([
      openClass('teacher-a', '中学', 'top', 8, true),
      openClass('teacher-b', '小学', ['刷单返利类', '网络游戏产品虚假交易类'], 5, false),
    ]);
    expect(classA.code).not.toBe(classB.code);
    expect(classA.link).toBe(`http://localhost:${app.port}/?join=${classA.code}`);
    const img = classA.acts.flatMap((a) => a.attachments ?? []).find((x) => x.contentType === 'image/png');
    expect(img?.contentUrl).toMatch(/^data:image\/png;base64,/);
    expect(img?.contentUrl).toBe(await QRCode.toDataURL(classA.link, { errorCorrectionLevel: 'M', margin: 2, width: 320 }));
    expect(allText(classA.acts)).toContain('只给你自己看');
  });

  it('then 40 students joining in the same second plus a second class lose no answers, and every score is right', async () => {
    const t0 = Date.now();
    const turns0 = turns;
    const joinTurns = await Promise.all([...A.map((k) => say(k.id, `加入 ${classA.code.toLowerCase().slice(0, 3)} ${classA.code.slice(3)}`)), ...B.map((k) => say(k.id, `加入${classB.code}`))]);
    const joinMs = Date.now() - t0;
    for (const t of joinTurns) expect(allText(t)).toContain('先起一个昵称');
    const nickTurns = await Promise.all([...A, ...B].map((k) => say(k.id, k.nickname)));
    nickTurns.slice(0, 40).forEach((t) => expect(allText(t)).toContain('先做 3 道课前小测'));
    // Everyone answers at once: pre-test and main quiz (class A), the whole quiz (class B).
    const ends = await Promise.all([...A, ...B].map((k, i) => play(k, nickTurns[i], i < 40 ? 0.3 + (i % 5) * 0.1 : 0.6, rng(1000 + i))));
    ends.slice(0, 40).forEach((t) => expect(allText(t)).toContain('等老师讲完'));
    ends.slice(40).forEach((t, i) => expect(allText(t)).toContain(`你答对了 ${B[i].right.main.reduce((a, b) => a + b, 0)}/5 题`));

    // Progress in the teacher's chat.
    expect(allText(await say('teacher-a', '课堂进度'))).toContain('40 人加入，40 人完成');
    expect(allText(await say('teacher-b', '课堂进度'))).toContain('12 人加入，12 人完成');

    // While waiting for the post-test a student can use the bot, and "后测" says it is not open yet.
    expect(allText(await say(A[0].id, '求助电话'))).toContain('96110');
    expect(allText(await say(A[0].id, '后测'))).toContain('课后小测还没开放');

    // The teacher opens the post-test after the lesson; students do it (the lesson made them better).
    const opened = await say('teacher-a', { value: buttonsOf(await say('teacher-a', '课堂进度')).find((b) => b.title === '开放课后小测')!.value, text: '开放课后小测' });
    expect(allText(opened)).toContain('课后小测已开放');
    const postEnds = await Promise.all(A.map(async (k, i) => play(k, await say(k.id, '后测'), 0.9, rng(5000 + i))));
    postEnds.forEach((t, i) => {
      const main = A[i].right.main.reduce((a, b) => a + b, 0);
      expect(allText(t)).toContain(`${A[i].nickname}，你答对了 ${main}/8 题`);
      expect(allText(t)).toContain(`课前小测 ${A[i].right.pre.reduce((a, b) => a + b, 0)}/3，课后小测 ${A[i].right.post.reduce((a, b) => a + b, 0)}/3`);
    });
    const ms = Date.now() - t0;
    console.log(`40 + 12 students joined in ${joinMs} ms; ${turns - turns0} turns in ${ms} ms (${Math.round(((turns - turns0) / ms) * 1000)} turns/s)`);

    // Every answer stored once: 40 × (3 + 8 + 3) + 12 × 5.
    const n = await app.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM class_answers');
    expect(n?.n).toBe(40 * 14 + 12 * 5);
  }, 180_000);

  it('then the report page and CSV show exactly the numbers the students produced', async () => {
    const res = await fetch(`${app.url}${classA.reportPath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<svg');
    expect(html).toContain('40</b><span>人加入');
    for (const k of A) expect(html).toContain(k.nickname);
    expect(html).not.toContain('B班1号');

    const csv = await (await fetch(`${app.url}${classA.reportPath}.csv`)).text();
    const rows = csv.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    expect(rows[0].slice(0, 7)).toEqual(['昵称', '得分', '已答', '题数', '完成', '课前小测', '课后小测']);
    const byNick = new Map(rows.slice(1, -1).map((r) => [r[0], r]));
    expect(byNick.size).toBe(40);
    for (const k of A) {
      const r = byNick.get(k.nickname)!;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(r.slice(1, 7)).toEqual([String(sum(k.right.main)), '8', '8', '是', String(sum(k.right.pre)), String(sum(k.right.post))]);
      expect(r.slice(7)).toEqual(k.right.main.map(String));
    }
    // Each question's correct rate and the pre/post rates.
    const rate = (xs: number[]) => ((xs.reduce((a, b) => a + b, 0) / xs.length) * 100).toFixed(1);
    const last = rows[rows.length - 1];
    for (let q = 0; q < 8; q++) expect(last[7 + q]).toBe(rate(A.map((k) => k.right.main[q])));
    expect(last[5]).toBe(rate(A.flatMap((k) => k.right.pre)));
    expect(last[6]).toBe(rate(A.flatMap((k) => k.right.post)));

    // The chat report agrees: average over finishers.
    const avg = A.reduce((n, k) => n + k.right.main.reduce((a, b) => a + b, 0), 0) / 40;
    expect(allText(await say('teacher-a', '课堂报告'))).toContain(`平均分：${avg.toFixed(1)} / 8`);
  });

  it('then a student who presses an answer button twice gets "already answered", and the first answer stands', async () => {
    const c = await openClass('teacher-c', '大学', 'top', 5, false);
    await say('double-tapper', `加入 ${c.code}`);
    const first = await say('double-tapper', '双击小能手');
    const q = questionIn(first)!;
    const wrong = (q.right + 1) % q.buttons.length;
    const a1 = await say('double-tapper', { value: q.buttons[wrong].value, text: q.buttons[wrong].title });
    expect(allText(a1)).toContain('❌ 答错了');
    const a2 = await say('double-tapper', { value: q.buttons[q.right].value, text: q.buttons[q.right].title });
    expect(allText(a2)).toContain('这道题你已经答过了');
    expect(questionIn(a2)!.title).toContain('第 2/5 题');
    const rows = await app.store.all<{ correct: number }>(
      `SELECT a.correct FROM class_answers a JOIN class_students s ON s.id = a.student_id WHERE s.nickname = '双击小能手'`,
    );
    expect(rows).toEqual([{ correct: 0 }]);
  });

  it('then closing the class gives the teacher a summary, and the closed code gets a clear answer', async () => {
    const closed = await say('teacher-b', '结束课堂');
    expect(allText(closed)).toContain('已收卷，课堂结束。12 人加入，12 人完成');
    const late = await say('latecomer', `加入 ${classB.code}`);
    expect(allText(late)).toContain('这个课堂已经结束了');
  });

  it('then after the session hours the code has expired and says so', async () => {
    offset = 3 * 3_600_000 + 1000;
    try {
      const late = await say('latecomer-2', `加入 ${classA.code}`);
      expect(allText(late)).toContain('这个课堂码已经过期了');
      expect(allText(await say('teacher-a', '课堂进度'))).toContain('课堂已过期');
    } finally {
      offset = 0;
    }
  });

  it('then guessing codes is limited to 5 wrong codes per user per 10 minutes', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) replies.push(allText(await say('guesser', `加入 ZZZ${'23456789'[i]}${'23456789'[i]}${'23456789'[i]}`)));
    expect(replies[0]).toContain('没有找到这个课堂码');
    expect(replies[0]).toContain('还可以试 4 次');
    expect(replies[5]).toContain('试错次数太多');
    // Even the right code waits now: that is the point of the limit.
    expect(allText(await say('guesser', `加入 ${classA.code}`))).toContain('试错次数太多');
    // Another user is not affected.
    expect(allText(await say('honest', `加入 ${classB.code}`))).toContain('已经结束');
  });
});
