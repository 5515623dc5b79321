/**
 * What a Direct Line client may post, checked before the bot sees it. Only the fields a chat
 * client legitimately sets survive; identity fields (from, conversation, id, channelId,
 * serviceUrl, recipient) are always the server's own.
 */
import { z } from 'zod';
import { jsonDepth, MAX_JSON_DEPTH } from '../guards.js';

/** Largest activity a client may post, in bytes of JSON. */
export const MAX_ACTIVITY_BYTES = 64 * 1024;
/** Longest message text: a long pasted chat log fits, a novel does not. */
export const MAX_TEXT_CHARS = 8_000;
/** A watermark is the decimal sequence number of the last activity the client has. */
export const WATERMARK_RE = /^\d{1,9}$/;

const locale = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/);

export const inboundSchema = z.object({
  type: z.enum(['message', 'typing', 'event']),
  text: z.string().optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  value: z.unknown().optional(),
  name: z.string().max(128).optional(),
  locale: locale.optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.looseObject({ type: z.string().max(64) })).max(8).optional(),
  attachments: z
    .array(
      z.object({
        contentType: z.string().max(256),
        contentUrl: z.string().max(2048).optional(),
        name: z.string().max(256).optional(),
        thumbnailUrl: z.string().max(2048).optional(),
      }),
    )
    .max(4)
    .optional(),
  // Only "normal" delivery exists here; "expectReplies"/"stream" are refused, not ignored.
  deliveryMode: z.literal('normal').optional(),
  replyToId: z.string().max(128).optional(),
});
export type Inbound = z.infer<typeof inboundSchema>;

export type InboundCheck = { ok: true; value: Inbound } | { ok: false; status: 400 | 413; code: string; message: string };

export function checkInbound(body: unknown, maxBytes = MAX_ACTIVITY_BYTES): InboundCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, status: 400, code: 'BadArgument', message: '请求内容应当是一个 JSON 对象（activity）。' };
  }
  if (jsonDepth(body) > MAX_JSON_DEPTH) return { ok: false, status: 400, code: 'BadArgument', message: '请求内容嵌套太深。' };
  if (Buffer.byteLength(JSON.stringify(body)) > maxBytes) {
    return { ok: false, status: 413, code: 'MessageSizeTooBig', message: '消息太大了，请删掉一些内容再发。' };
  }
  const text = (body as { text?: unknown }).text;
  if (typeof text === 'string' && text.length > MAX_TEXT_CHARS) {
    return { ok: false, status: 413, code: 'MessageSizeTooBig', message: `消息太长了（最多 ${MAX_TEXT_CHARS} 个字），请只粘贴可疑的那一段。` };
  }
  const r = inboundSchema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues[0];
    return { ok: false, status: 400, code: 'BadArgument', message: `activity 不符合要求：${first.path.join('.') || '(root)'}` };
  }
  return { ok: true, value: r.data };
}

/** undefined/'' → no watermark; a decimal string → its number; anything else → 'bad'. */
export function parseWatermark(raw: unknown): number | undefined | 'bad' {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !WATERMARK_RE.test(raw)) return 'bad';
  return Number(raw);
}
