/**
 * The real service (startTestApp on port 0: real content, triage, store and bot) through the
 * built-in Direct Line, driven by the official botframework-directlinejs client with polling,
 * pressing buttons the way Web Chat does (messageBack: text + value + displayText).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { buttonsOf, session, TestClient, type DLActivity } from './directline-helpers.js';

type App = Awaited<ReturnType<typeof startTestApp>>;

const SCAM =
  '【京东客服】您好，您购买的商品存在质量问题，我们将为您办理双倍退款。请点击 jd-tuikuan.cc 填写银行卡号和收到的验证码，逾期无法办理。';

const title = (a: DLActivity) => ((a as { attachments?: { content?: { title?: string } }[] }).attachments?.[0]?.content?.title ?? '') as string;
const textOf = (a: DLActivity) => ((a as { text?: string }).text ?? '') as string;
const valueA = (b: { value?: unknown }) => (b.value && typeof b.value === 'object' ? (b.value as { a?: string }).a : undefined);

/** Press a button the way Web Chat does for messageBack. */
async function press(c: TestClient, b: { title: string; value?: unknown; text?: string; displayText?: string }) {
  await c.post({ text: b.text ?? b.title, value: b.value, channelData: { messageBack: { displayText: b.displayText ?? b.title } } } as never);
}

describe('the bot over the built-in Direct Line (botframework-directlinejs)', () => {
  let app: App;
  const clients: TestClient[] = [];
  const client = (o: ConstructorParameters<typeof TestClient>[0]) => {
    const c = new TestClient(o);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.end();
  });
  afterAll(async () => app.close());

  it('when a resident onboards, triages a message, plays a scenario step and reloads, then everything carries on', async () => {
    const s = await session(app.url);
    const domain = `${app.url}${s.domain}`;
    const c = client({ domain, token: s.token });

    // Onboarding: the bot greets on conversationUpdate and asks for a group with buttons.
    const picker = await c.waitForBot((a) => buttonsOf(a).some((b) => valueA(b) === 'group'));
    const student = buttonsOf(picker).find((b) => JSON.stringify(b.value) === JSON.stringify({ a: 'group', id: 'student' }));
    expect(student, 'a 学生 button').toBeDefined();
    expect((student as { type?: string }).type).toBe('messageBack');
    let n = c.fromBot().length;
    await press(c, student!);
    const saved = await c.waitForBot(() => true, { after: n });
    expect(textOf(saved)).toMatch(/学生/);

    // Triage: a pasted scam message gets a verdict card.
    n = c.fromBot().length;
    await c.post({ text: SCAM });
    const verdict = await c.waitForBot((a) => title(a) !== '', { after: n });
    expect(title(verdict)).toMatch(/^(⚠️|❗)/u);

    // A scenario: open the list, pick one, make the first choice.
    n = c.fromBot().length;
    await c.post({ text: '情景闯关', value: { a: 'scenarios' } });
    const list = await c.waitForBot((a) => buttonsOf(a).some((b) => valueA(b) === 'scenario'), { after: n });
    const scenario = buttonsOf(list).find((b) => valueA(b) === 'scenario')!;
    n = c.fromBot().length;
    await press(c, scenario);
    const step1 = await c.waitForBot((a) => buttonsOf(a).some((b) => valueA(b) === 'choice'), { after: n });
    n = c.fromBot().length;
    await press(c, buttonsOf(step1).find((b) => valueA(b) === 'choice')!);
    const step2 = await c.waitForBot((a) => buttonsOf(a).some((b) => valueA(b) === 'choice'), { after: n });
    expect(title(step2)).not.toBe(title(step1));
    const conversationId = c.conversationId!;
    c.end();

    // Reload into a new conversation (the old one expired): same user, no second onboarding,
    // and "继续" picks the scenario up where it was left.
    const again = await session(app.url, { identity: s.identity });
    expect(again.userId).toBe(s.userId);
    const c2 = client({ domain, token: again.token });
    await new Promise((r) => setTimeout(r, 600));
    expect(c2.fromBot().some((a) => buttonsOf(a).some((b) => valueA(b) === 'group')), 'no group picker for a known user').toBe(false);
    await c2.post({ text: '继续', value: { a: 'continue' } });
    const resumed = await c2.waitForBot((a) => buttonsOf(a).some((b) => valueA(b) === 'choice'));
    expect(title(resumed)).toBe(title(step2));
    const secondConversation = c2.conversationId!;
    expect(secondConversation).not.toBe(conversationId);
    c2.end();

    // Reload resuming that conversation (what the page does): the history comes back and the next choice works.
    const third = await session(app.url, { identity: s.identity, conversationId: secondConversation });
    expect(third).toMatchObject({ userId: s.userId, conversationId: secondConversation });
    const c3 = client({ domain, token: third.token, conversationId: secondConversation });
    const replayed = await c3.waitForBot((a) => title(a) === title(step2));
    n = c3.fromBot().length;
    await press(c3, buttonsOf(replayed).find((b) => valueA(b) === 'choice')!);
    const after = await c3.waitForBot(() => true, { after: n });
    expect(textOf(after) + title(after)).not.toBe('');
  });

  it("when two residents chat at once, then neither sees the other's messages", async () => {
    const [a, b] = await Promise.all([session(app.url), session(app.url)]);
    const ca = client({ domain: `${app.url}${a.domain}`, token: a.token });
    const cb = client({ domain: `${app.url}${b.domain}`, token: b.token });
    await Promise.all([ca.waitForBot(() => true), cb.waitForBot(() => true)]);
    await ca.post({ text: SCAM });
    await ca.waitForBot((x) => title(x).startsWith('⚠️') || title(x).startsWith('❗'));
    expect(cb.received.some((x) => textOf(x).includes('jd-tuikuan'))).toBe(false);
    expect(ca.received.filter((x) => x.from.role !== 'bot' && x.from.id !== 'fanzha-bot').every((x) => x.from.id === a.userId)).toBe(true);
  });
});
