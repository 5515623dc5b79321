/**
 * The class conversation through the real bot (TestAdapter, real content and store):
 * typed set-up, nickname rules, leaving and coming back, teacher words, stale buttons.
 */
import type { Activity, HeroCard } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { botHarness, type BotHarness } from '../helpers/bot.js';

let h: BotHarness | undefined;
let clock = Date.UTC(2025, 2, 3, 1);
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Text of a turn, including card titles, texts and button titles (image replies skipped). */
function shown(replies: Partial<Activity>[]): string {
  const parts: string[] = [];
  for (const r of replies) {
    if (r.text) parts.push(r.text);
    for (const a of r.attachments ?? []) {
      const c = a.content as HeroCard | undefined;
      if (c) parts.push(c.title ?? '', c.subtitle ?? '', c.text ?? '', ...(c.buttons ?? []).map((b) => `[${b.title}]`));
    }
  }
  return parts.join('\n');
}

async function start() {
  h = await botHarness({ now: () => clock });
  const harness = h;
  return async (user: string, input: string | { value: unknown; text?: string }) => {
    harness.adapter.conversation.user = { id: user, name: user };
    harness.adapter.conversation.conversation = { id: `c-${user}`, isGroup: false, conversationType: 'personal', name: '' };
    return shown(await harness.say(input));
  };
}

async function openClass(as: Awaited<ReturnType<typeof start>>, teacher = 'teacher', prePost = '不用了'): Promise<string> {
  await as(teacher, '开设课堂');
  await as(teacher, '初中');
  await as(teacher, '本地最常见');
  await as(teacher, '5');
  const made = await as(teacher, prePost);
  return /加入 ([A-Z2-9]{6})」/.exec(made)![1];
}

describe('class sessions in the chat', () => {
  it('when a teacher sets up a class by typing words and numbers, then every step understands them', async () => {
    const as = await start();
    expect(await as('teacher', '开设课堂')).toContain('给哪个年级');
    expect(await as('teacher', '高中')).toContain('考哪些骗局');
    let t = await as('teacher', '刷单返利类');
    expect(t).toContain('已选：刷单返利类');
    expect(t).toContain('[选好了]');
    t = await as('teacher', '网络游戏产品虚假交易类');
    expect(t).toContain('已选：刷单返利类、网络游戏产品虚假交易类');
    expect(await as('teacher', '好了')).toContain('出几道题');
    expect(await as('teacher', '12道')).toContain('课前、课后');
    t = await as('teacher', '要');
    expect(t).toContain('课堂开好了');
    expect(t).toContain('中学 · 12 道题 · 刷单返利类、网络游戏产品虚假交易类 · 含课前课后小测');
    expect(t).toMatch(/class-report\/[A-Za-z0-9_-]{43}/);
    expect(t).toContain('[开放课后小测]');
  });

  it('when the teacher types something unclear or "退出" during set-up, then the step is asked again or set-up is cancelled', async () => {
    const as = await start();
    await as('teacher', '开设课堂');
    expect(await as('teacher', '幼儿园')).toContain('没认出你的选择');
    expect(await as('teacher', '退出')).toContain('不开课堂了');
    expect(await as('teacher', '课堂进度')).toContain('你还没有开设课堂');
  });

  it('when a student picks a nickname that is a real name, a phone number or taken, then they are asked for another', async () => {
    const as = await start();
    const code = await openClass(as);
    await as('s1', `加入 ${code}`);
    expect(await as('s1', '李华')).toContain('像真实姓名');
    expect(await as('s1', '13800000000')).toContain('不要放电话');
    expect(await as('s1', '小熊猫')).toContain('第 1/5 题');
    await as('s2', `加入${code.toLowerCase()}`);
    expect(await as('s2', '小 熊猫')).toContain('已经有同学用了');
  });

  it('when a student leaves mid-quiz and joins again, then they carry on at the next question with the same nickname', async () => {
    const as = await start();
    const code = await openClass(as);
    await as('s1', `加入 ${code}`);
    await as('s1', '小熊猫');
    expect(await as('s1', '1')).toContain('第 2/5 题');
    expect(await as('s1', '退出')).toContain('你已经离开课堂');
    expect(await as('s1', '2')).not.toContain('第 3/5 题'); // no longer in class mode
    const back = await as('s1', `加入 ${code}`);
    expect(back).toContain('小熊猫，欢迎回来');
    expect(back).toContain('第 2/5 题');
  });

  it('when a student types something that is not an answer, then they are reminded how to answer and see the question again', async () => {
    const as = await start();
    const code = await openClass(as);
    await as('s1', `加入 ${code}`);
    await as('s1', '小熊猫');
    const t = await as('s1', '我不知道');
    expect(t).toMatch(/请点按钮作答，或者发 1～\d 的数字/);
    expect(t).toContain('第 1/5 题');
  });

  it('when a student says the teacher words, then nothing happens to the class', async () => {
    const as = await start();
    const code = await openClass(as);
    await as('s1', `加入 ${code}`);
    await as('s1', '小熊猫');
    expect(await as('s1', '下课')).toContain('请点按钮作答');
    expect(await as('teacher', '课堂进度')).toContain('1 人加入，0 人完成');
  });

  it('when the class has expired, then a student mid-quiz is told so with their score, and the teacher sees it', async () => {
    const as = await start();
    const code = await openClass(as);
    await as('s1', `加入 ${code}`);
    await as('s1', '小熊猫');
    await as('s1', '1');
    clock += 3 * 3_600_000;
    const t = await as('s1', '1');
    expect(t).toContain('课堂时间到了');
    expect(t).toMatch(/你答对了 [01] 题（答了 1 题）/);
    expect(await as('teacher', '课堂进度')).toContain('课堂已过期');
    expect(await as('s3', `加入 ${code}`)).toContain('已经过期');
  });

  it('when a stale class button arrives outside any class, then the bot says so kindly instead of failing', async () => {
    const as = await start();
    expect(await as('someone', { value: { a: 'class', op: 'answer', p: 'main', q: 0, i: 1 }, text: '是诈骗' })).toContain('你已经离开课堂');
    expect(await as('someone', { value: { a: 'class', op: 'count', v: '8' }, text: '8 道题' })).toContain('给哪个年级');
  });

  it('when a teacher asks for a new report link, then a different link is given and the old one stops working', async () => {
    const as = await start();
    await as('teacher', '开设课堂');
    await as('teacher', '大学');
    await as('teacher', '1');
    await as('teacher', '5 道题');
    const made = await as('teacher', '不用了');
    const first = /class-report\/([A-Za-z0-9_-]{43})/.exec(made)![1];
    const again = await as('teacher', { value: { a: 'class', op: 'link' }, text: '换一个报告链接' });
    const second = /class-report\/([A-Za-z0-9_-]{43})/.exec(again)![1];
    expect(second).not.toBe(first);
    const repo = (h!.core.services.classes as unknown as { repo: import('../../src/store/classes.js').ClassRepo }).repo;
    expect(await repo.byReportToken(first)).toBeUndefined();
    expect(await repo.byReportToken(second)).toBeDefined();
  });
});
