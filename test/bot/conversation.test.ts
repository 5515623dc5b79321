import { ActivityTypes, TestAdapter } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { botHarness, buttons, cards, shown, type BotHarness } from '../helpers/bot.js';

const SCAM_CALL =
  '刚才有个自称京东客服的人打电话给我，说我买的东西有质量问题要给我退款理赔，让我下载一个会议软件，打开屏幕共享，再把收到的验证码念给他。';
const BENIGN = '各位家长好，本周五下午三点在学校报告厅开家长会，请准时参加，不需要缴纳任何费用。';

let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('when a resident opens the chat for the first time', () => {
  it('then the bot greets them, explains what it does and asks for their group', async () => {
    h = await botHarness();
    const replies = await h.say({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'resident-1', name: '居民' }], recipient: { id: 'bot', name: 'bot' } });
    const all = shown(replies);
    expect(all).toContain('反诈助手');
    expect(all).toContain('学生');
    expect(all).toContain('老年人');
    expect(buttons(replies).map((b) => b.value)).toContainEqual({ a: 'group', id: 'elderly' });
  });

  it('then pressing a group button saves it and shows the menu with tips for that group', async () => {
    h = await botHarness();
    await h.say('你好');
    const replies = await h.say({ value: { a: 'group', id: 'elderly' }, text: '老年人' });
    expect(shown(replies)).toMatch(/已记下：老年人/);
    expect(buttons(replies).map((b) => b.title)).toEqual(['这是诈骗吗', '情景闯关', '每日一题', '了解诈骗类型', '我的进度', '求助电话', '删除我的数据']);
    const userKey = h.core.store.userKey('test', 'resident-1');
    expect((await h.core.store.getProfile(userKey))?.group).toBe('elderly');
  });

  it('then answering the welcome card with a number picks that group', async () => {
    h = await botHarness();
    const welcome = await h.say({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'resident-1', name: '居民' }], recipient: { id: 'bot', name: 'bot' } });
    const idx = buttons(welcome).findIndex((b) => (b.value as { id?: string }).id === 'elderly');
    expect(shown(await h.say(String(idx + 1)))).toMatch(/已记下：老年人/);
  });

  it('then coming back in a new conversation gets a short hello, the menu and "continue"', async () => {
    h = await botHarness();
    await h.say('你好');
    const list = await h.say('情景闯关');
    const first = buttons(list).find((b) => (b.value as { a: string }).a === 'scenario')!;
    await h.say({ value: first.value, text: first.title });
    h.adapter.conversation.conversation = { id: 'a-new-conversation', isGroup: false, conversationType: 'personal', name: '' };
    const replies = await h.say({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'resident-1', name: '居民' }], recipient: { id: 'bot', name: 'bot' } });
    expect(shown(replies)).toContain('欢迎回来');
    expect(buttons(replies)[0]).toEqual({ title: '继续上次', value: { a: 'continue' } });
    expect(shown(replies)).not.toContain('先说说你属于哪一类人');
  });

  it('then typing the number of a group works as well as pressing it', async () => {
    h = await botHarness();
    const first = await h.say('你好');
    const idx = buttons(first).findIndex((b) => (b.value as { id?: string }).id === 'student');
    const replies = await h.say(String(idx + 1));
    expect(shown(replies)).toMatch(/已记下：学生/);
  });
});

describe('when a resident uses the menu by typing', () => {
  it.each([
    ['菜单', /想做什么/],
    ['帮助', /情景闯关：模拟一次真实骗局/],
    ['求助电话', /96110/],
    ['了解诈骗类型', /刷单返利类/],
  ])('then "%s" gets the right answer', async (said, expected) => {
    h = await botHarness();
    await h.say('你好');
    expect(shown(await h.say(said))).toMatch(expected);
  });

  it('then picking a fraud type by number explains how it unfolds', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say('了解诈骗类型');
    const replies = await h.say('1');
    expect(cards(replies)[0].title).toBe('刷单返利类');
    expect(shown(replies)).toContain('骗局是这样展开的');
  });
});

describe('when a resident pastes a suspicious message', () => {
  it('then a scam call description gets a warning card with red flags quoted from the text and what to do', async () => {
    h = await botHarness();
    await h.say('你好');
    const replies = await h.say(SCAM_CALL);
    const card = cards(replies)[0];
    expect(card.title).toMatch(/^(⚠️|❗)/);
    expect(card.text).toMatch(/发现 \d+ 个危险信号/);
    expect(card.text).toMatch(/「[^」]*(屏幕共享|验证码|会议)[^」]*」/);
    expect(shown(replies)).toMatch(/转发给家人|是|不是/);
  });

  it('then a few words with a common red flag get a warning whose kind of scam is "not clear yet", not a guess', async () => {
    h = await botHarness();
    await h.say('你好');
    const card = cards(await h.say('对方要我的验证码'))[0];
    expect(card.title).toMatch(/^(⚠️|❗)/);
    expect(card.subtitle).toContain('类型：还说不准');
    expect(card.subtitle).not.toContain('最像');
    expect(card.text).toContain('原话多贴一些');
  });

  it('then the verdict carries a tip written for their group', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say({ value: { a: 'group', id: 'elderly' }, text: '老年人' });
    const card = cards(await h.say(SCAM_CALL))[0];
    const tips = h.core.live.current.content.groupById.get('elderly')!.tips;
    expect(card.text).toContain('给老年人的提醒：');
    expect(tips.some((t) => card.text!.includes(t))).toBe(true);
  });

  it('then an ordinary school notice is not called safe, only "no known signs"', async () => {
    h = await botHarness();
    await h.say('你好');
    const replies = await h.say(BENIGN);
    const card = cards(replies)[0];
    expect(card.title).toBe('暂未发现明显的诈骗迹象');
    expect(card.text).toContain('96110');
    expect(shown(replies)).not.toMatch(/安全的|很安全|放心/);
  });

  it('then an uncertain message gets up to three yes/no questions, and "yes" answers raise the verdict', async () => {
    h = await botHarness();
    await h.say('你好');
    const first = await h.say('刚才有人打电话说我的快递丢了，要赔我钱');
    expect(cards(first)[0].title).toMatch(/^❗/);
    expect(shown(first)).toContain('问你几个问题');
    let replies = first;
    let asked = 0;
    expect(buttons(first)[0]).toEqual({ title: '是', value: { a: 'followup', yes: true } });
    while (buttons(replies).some((b) => (b.value as { a: string }).a === 'followup') && asked < 5) {
      asked++;
      replies = await h.say(asked === 1 ? '1' : '是');
    }
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThanOrEqual(3);
    expect(shown(replies)).toContain('结合你的回答，重新判断如下');
    expect(cards(replies)[0].title).toBe('⚠️ 高度疑似诈骗');
  });

  it('then answering "no" to every question does not turn an uncertain message into a high-risk one', async () => {
    h = await botHarness();
    await h.say('你好');
    let replies = await h.say('刚才有人打电话说我的快递丢了，要赔我钱');
    for (let i = 0; i < 3 && buttons(replies).some((b) => (b.value as { a: string }).a === 'followup'); i++) replies = await h.say('不是');
    expect(cards(replies)[0].title).not.toBe('⚠️ 高度疑似诈骗');
  });

  it('then "转发给家人" gives a short warning text to copy', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say(SCAM_CALL);
    const replies = await h.say({ value: { a: 'forward' }, text: '转发给家人' });
    expect(shown(replies)).toContain('复制下面这段话');
    expect(replies.length).toBeGreaterThanOrEqual(2);
  });

  it('then an image gets a kind note that only text can be checked', async () => {
    h = await botHarness();
    await h.say('你好');
    const replies = await h.say({ type: ActivityTypes.Message, attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1/x.png' }] });
    expect(shown(replies)).toContain('暂时只能看文字');
  });

  it('then phone numbers in the pasted text never reach the store', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say('我是公安局的王警官，你的身份证涉嫌洗钱，马上把钱转到安全账户，有问题打我电话13812345678');
    await h.say({ value: { a: 'share', yes: true }, text: '愿意分享' });
    const rows = await h.core.store.all<{ text: string }>('SELECT text FROM shared_messages');
    for (const r of rows) expect(r.text).not.toContain('13812345678');
    const state = await h.core.store.all<{ value: string }>('SELECT value FROM bot_state');
    for (const r of state) expect(r.value).not.toContain('13812345678');
  });
});

describe('when a resident says money has already gone', () => {
  it('then the card leads with stopping payment and calling 110/96110 and the bank, and asks no questions', async () => {
    h = await botHarness();
    await h.say('你好');
    const replies = await h.say('我已经按他说的转了五万块过去了，现在联系不上他了，咋个办？');
    const card = cards(replies)[0];
    expect(card.title).toBe('🚨 钱已经转出去了？马上这样做');
    const afterLoss = h.core.live.current.content.advice.afterLoss;
    expect(card.text).toContain(afterLoss[0]);
    expect(card.text).toMatch(/(^|[^0-9])110([^0-9]|$)/);
    expect(card.text).toContain('银行');
    expect(shown(replies)).not.toContain('问你几个问题');
    expect(buttons(replies)[0]).toEqual({ title: '求助电话', value: { a: 'hotlines' } });
  });
});

describe('when a resident types something that is not a message to check', () => {
  it.each([
    ['你好', /你好！收到可疑的消息/],
    ['谢谢', /不客气/],
    ['😀🙏👍', /只看到了表情或符号/],
    ['这个是不是骗子哦', /把那条消息的原文复制过来/],
    ['约炮、裸聊类', /骗局是这样展开的/],
    ['回到菜单', /想做什么/],
  ])('then "%s" gets a fitting answer, not a verdict', async (said, expected) => {
    h = await botHarness();
    await h.say('你好');
    await h.say({ value: { a: 'group', id: 'general' }, text: '其他居民' });
    const replies = await h.say(said);
    expect(shown(replies)).toMatch(expected);
    expect(shown(replies)).not.toMatch(/高度疑似诈骗|有可疑之处|暂未发现明显/);
  });

  it('then two-digit numbers pick the 10th to 13th fraud type', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say('了解诈骗类型');
    const replies = await h.say('13');
    expect(cards(replies)[0].title).toBe(h.core.live.current.content.fraudTypes[12].name.zh);
  });
});

describe('when a resident plays a scenario', () => {
  it('then they can play it to an ending with buttons, and the answer is saved', async () => {
    h = await botHarness();
    await h.say('你好');
    const list = await h.say('情景闯关');
    const first = buttons(list).find((b) => (b.value as { a: string }).a === 'scenario')!;
    let replies = await h.say({ value: first.value, text: first.title });
    expect(shown(replies)).toContain('你会怎么做');
    for (let step = 0; step < 12 && !/结局/.test(shown(replies)); step++) {
      const choice = buttons(replies).find((b) => (b.value as { a: string }).a === 'choice')!;
      replies = await h.say({ value: choice.value, text: choice.title });
      expect(shown(replies)).toMatch(/做得对|有风险/);
    }
    expect(shown(replies)).toMatch(/结局：(被骗|成功识破)/);
    const answers = await h.core.store.answers(h.core.store.userKey('test', 'resident-1'));
    expect(answers).toHaveLength(1);
    expect(answers[0].kind).toBe('scenario');
  });

  it('then a choice that is not offered is refused politely and the question is shown again', async () => {
    h = await botHarness();
    await h.say('你好');
    const list = await h.say('情景闯关');
    const first = buttons(list).find((b) => (b.value as { a: string }).a === 'scenario')!;
    await h.say({ value: first.value, text: first.title });
    const replies = await h.say({ value: { a: 'choice', i: 7 }, text: '8' });
    expect(shown(replies)).toMatch(/没有这个选项|请|选/);
    expect(shown(replies)).toContain('你会怎么做');
  });

  it('then after a restart "继续" picks up at the same step', async () => {
    h = await botHarness();
    await h.say('你好');
    const list = await h.say('情景闯关');
    const first = buttons(list).find((b) => (b.value as { a: string }).a === 'scenario')!;
    const started = await h.say({ value: first.value, text: first.title });
    const dataDir = h.dataDir;
    await h.close();
    h = await botHarness({ dataDir });
    const replies = await h.say('继续');
    expect(shown(replies)).toContain('还没玩完');
    const bubbleBefore = started.find((r) => r.text?.startsWith('【'))?.text;
    expect(shown(replies)).toContain(bubbleBefore!.slice(0, 20));
  });
});

describe('when a resident answers the daily question', () => {
  it('then a right or wrong answer gets an explanation and is recorded', async () => {
    h = await botHarness();
    await h.say('你好');
    const q = await h.say('每日一题');
    expect(cards(q)[0].title).toBe('每日一题');
    const replies = await h.say('1');
    expect(cards(replies)[0].title).toMatch(/答对了|答错了/);
    const answers = await h.core.store.answers(h.core.store.userKey('test', 'resident-1'));
    expect(answers.map((a) => a.kind)).toEqual(['question']);
    expect(shown(await h.say('我的进度'))).toMatch(/已掌握 \d+\/13 类骗局/);
  });
});

describe('when a resident asks to delete their data', () => {
  it('then after confirming, their profile, answers and state are gone', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say({ value: { a: 'group', id: 'student' }, text: '学生' });
    await h.say('每日一题');
    await h.say('1');
    const key = h.core.store.userKey('test', 'resident-1');
    expect(await h.core.store.answers(key)).toHaveLength(1);
    expect(shown(await h.say('删除我的数据'))).toContain('不能恢复');
    expect(shown(await h.say('确认删除'))).toContain('已经删除');
    expect(await h.core.store.getProfile(key)).toBeUndefined();
    expect(await h.core.store.answers(key)).toHaveLength(0);
    const left = await h.core.store.all('SELECT key_hash FROM bot_state');
    expect(left).toHaveLength(0);
  });

  it('then the state of their earlier conversations goes too, and other people keep theirs', async () => {
    const harness = (h = await botHarness());
    // An earlier conversation of the same user (a web page reload starts a new one) with a pasted message in it.
    const earlier = new TestAdapter((ctx) => harness.core.bot.run(ctx));
    earlier.conversation.user = { id: 'resident-1', name: '居民' };
    earlier.conversation.conversation = { id: 'earlier-conversation', isGroup: false, conversationType: 'personal', name: '' };
    await earlier.receiveActivity({ type: ActivityTypes.Message, text: '有人让我把钱转到安全账户配合调查' });
    // Someone else's conversation.
    const other = new TestAdapter((ctx) => harness.core.bot.run(ctx));
    other.conversation.user = { id: 'resident-2', name: '居民' };
    other.conversation.conversation = { id: 'other-conversation', isGroup: false, conversationType: 'personal', name: '' };
    await other.receiveActivity({ type: ActivityTypes.Message, text: '每日一题' });
    const othersRows = (await h.core.store.all<{ n: number }>('SELECT count(*) AS n FROM bot_state'))[0].n - 2;

    await h.say('删除我的数据');
    expect(shown(await h.say('确认删除'))).toContain('已经删除');
    const left = await h.core.store.all<{ value: string }>('SELECT value FROM bot_state');
    expect(left).toHaveLength(othersRows);
    expect(left.map((r) => r.value).join()).not.toContain('安全账户');
  });

  it('then saying no keeps everything', async () => {
    h = await botHarness();
    await h.say('你好');
    await h.say({ value: { a: 'group', id: 'student' }, text: '学生' });
    await h.say('删除我的数据');
    expect(shown(await h.say('不'))).toContain('没有删除');
    expect(await h.core.store.getProfile(h.core.store.userKey('test', 'resident-1'))).toBeDefined();
  });
});

describe('when a client sends odd input', () => {
  it('then a button value from an old or forged card is answered kindly', async () => {
    h = await botHarness();
    await h.say('你好');
    expect(shown(await h.say({ value: { a: 'launch-missiles' }, text: '' }))).toContain('按钮已经过期');
  });

  it('then a message with no text gets the menu', async () => {
    h = await botHarness();
    await h.say('你好');
    expect(shown(await h.say({ type: ActivityTypes.Message }))).toContain('想做什么');
  });
});
