/**
 * What a button press means. Buttons carry an Action as their `value`; typed words and
 * numbers are mapped to the same Actions, so every flow has one input type. Values from
 * clients are untrusted: they are parsed with zod and anything else is ignored.
 */
import { z } from 'zod';

const shortId = z.string().min(1).max(80);

export const actionSchema = z.discriminatedUnion('a', [
  z.strictObject({ a: z.literal('menu') }),
  z.strictObject({ a: z.literal('help') }),
  z.strictObject({ a: z.literal('exit') }),
  z.strictObject({ a: z.literal('triage-prompt') }),
  z.strictObject({ a: z.literal('group-pick') }),
  z.strictObject({ a: z.literal('group'), id: shortId }),
  z.strictObject({ a: z.literal('scenarios') }),
  z.strictObject({ a: z.literal('scenario'), id: shortId }),
  z.strictObject({ a: z.literal('continue') }),
  z.strictObject({ a: z.literal('choice'), i: z.number().int().min(0).max(9) }),
  z.strictObject({ a: z.literal('quiz') }),
  z.strictObject({ a: z.literal('answer'), i: z.number().int().min(0).max(9) }),
  z.strictObject({ a: z.literal('types') }),
  z.strictObject({ a: z.literal('type'), id: shortId }),
  z.strictObject({ a: z.literal('progress') }),
  z.strictObject({ a: z.literal('hotlines') }),
  z.strictObject({ a: z.literal('delete') }),
  z.strictObject({ a: z.literal('delete-yes') }),
  z.strictObject({ a: z.literal('delete-no') }),
  z.strictObject({ a: z.literal('followup'), yes: z.boolean() }),
  z.strictObject({ a: z.literal('share'), yes: z.boolean() }),
  z.strictObject({ a: z.literal('forward') }),
  /** Class sessions (src/bot/class-flow.ts): `op` says what, `v` carries a choice, `p`/`q`/`i` an answer. */
  z.strictObject({
    a: z.literal('class'),
    op: z.enum(['new', 'audience', 'type', 'top', 'types-done', 'count', 'prepost', 'progress', 'close', 'report', 'post', 'link', 'answer', 'next']),
    v: z.string().min(1).max(40).optional(),
    p: z.enum(['pre', 'main', 'post']).optional(),
    q: z.number().int().min(0).max(99).optional(),
    i: z.number().int().min(0).max(9).optional(),
  }),
]);
export type Action = z.infer<typeof actionSchema>;

export function parseAction(value: unknown): Action | undefined {
  const r = actionSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** Typed commands that work anywhere, in the words people actually type. */
const COMMAND_WORDS: [RegExp, Action][] = [
  [/^(菜单|主菜单|目录|开始|回到菜单|返回菜单|返回|回主菜单|menu|start)$/i, { a: 'menu' }],
  [/^(帮助|help|\?|？|怎么用|你能做什么)$/i, { a: 'help' }],
  [/^(退出|结束|取消|不玩了|exit|quit|stop)$/i, { a: 'exit' }],
  [/^(这是诈骗吗|是诈骗吗|帮我看看|识别诈骗|查一查)$/, { a: 'triage-prompt' }],
  [/^(情景闯关|闯关|模拟|情景)$/, { a: 'scenarios' }],
  [/^(每日一题|答题|做题|来一题|再来一题)$/, { a: 'quiz' }],
  [/^(了解诈骗类型|诈骗类型|骗局类型|有哪些骗局)$/, { a: 'types' }],
  [/^(我的进度|进度|成绩)$/, { a: 'progress' }],
  [/^(求助电话|求助|报警|电话|热线|96110|110)$/, { a: 'hotlines' }],
  [/^(删除我的数据|删除数据|删除)$/, { a: 'delete' }],
  [/^(换身份|修改身份|改身份|选身份|我是谁)$/, { a: 'group-pick' }],
  [/^(继续|继续上次|接着玩)$/, { a: 'continue' }],
];

export function commandFromText(text: string): Action | undefined {
  const t = text.trim().replace(/[。！!.]+$/, '');
  for (const [re, action] of COMMAND_WORDS) if (re.test(t)) return action;
  return undefined;
}

/** "1", "１", "13", "2." or "选3" → 0-based index; undefined when the text is not a bare number. */
export function numberFromText(text: string): number | undefined {
  const t = text.trim().normalize('NFKC');
  const m = /^(?:选|第)?\s*([0-9]{1,2})\s*(?:个|项|号)?[.、。)）]?$/.exec(t);
  if (!m) return undefined;
  const d = Number(m[1]);
  return d >= 1 ? d - 1 : undefined;
}

/** Small talk that deserves a friendly word, not a verdict. */
export function smallTalk(text: string): 'hello' | 'thanks' | undefined {
  const t = text.trim().replace(/[。！!~～.，,？?]+$/u, '');
  if (/^(你好|您好|hi|hello|哈喽|嗨|在吗|在不在|有人吗|早上好|晚上好|下午好|喂)$/i.test(t)) return 'hello';
  if (/^(谢谢|谢谢你|谢谢啊|多谢|感谢|好的谢谢|好的|好|嗯嗯|知道了|晓得了|明白了|ok|okay|thanks|thank you)$/i.test(t)) return 'thanks';
  return undefined;
}

/** "这个是不是骗子", "这是诈骗吗" with nothing to look at: ask for the message itself. */
export function asksWithoutContent(text: string): boolean {
  const t = text.trim();
  return t.length <= 16 && /(是不是|是否|算不算|会不会|是)(?:个)?(?:骗子|诈骗|骗局|骗人的?)|骗子吗|诈骗吗|骗局吗/.test(t);
}

/** Only emoji, symbols or punctuation: nothing a person wrote to check. */
export function noWords(text: string): boolean {
  return text.trim().length > 0 && !/[\p{L}\p{N}]/u.test(text);
}

export function yesNoFromText(text: string): boolean | undefined {
  const t = text.trim().replace(/[。！!.，,]+$/, '');
  if (/^(是|是的|对|对的|有|有的|嗯|要|yes|y|确定|确认|确定删除|确认删除|删除|好|好的|愿意)$/i.test(t)) return true;
  if (/^(不是|否|没有|没|不|不对|no|n|不要|不用|不愿意|算了)$/i.test(t)) return false;
  return undefined;
}
