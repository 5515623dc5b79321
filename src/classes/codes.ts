/**
 * Join codes: six characters from an alphabet without look-alikes (no 0/O, 1/I/L, no U/V),
 * drawn with the crypto RNG. What students type is forgiven for case, spaces and dashes.
 */
import { randomInt } from 'node:crypto';

/** 29 characters: no 0 O 1 I L (look alike), no U V (look alike in many fonts). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
export const CODE_LENGTH = 6;
const CODE_RE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** A fresh random code. `rand(n)` returns an integer in [0, n); crypto by default. */
export function generateJoinCode(rand: (n: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[rand(CODE_ALPHABET.length)];
  return code;
}

export function isJoinCode(s: string): boolean {
  return CODE_RE.test(s);
}

/**
 * What someone typed as a code → the canonical code, or undefined when it cannot be one.
 * Full-width letters, lower case, spaces and dashes are tolerated: "abc 234", "ＡＢＣ-２３４".
 */
export function normaliseJoinCode(typed: string): string | undefined {
  const s = typed.normalize('NFKC').replace(/[\s\-_·.]/g, '').toUpperCase();
  return isJoinCode(s) ? s : undefined;
}

/**
 * "加入 ABC234", "加入课堂：abc 234", "join ABC234" → { code } (code may be invalid: `code`
 * is undefined then, but the text was clearly an attempt to join). Anything else → undefined.
 */
export function parseJoinCommand(text: string): { code: string | undefined; typed: string } | undefined {
  const t = text.normalize('NFKC').trim();
  const m = /^(?:加入|进入|参加|join)\s*(?:课堂|班级|class)?\s*(?:码|code)?\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9 \-_]{0,20})$/iu.exec(t);
  if (!m) return undefined;
  return { code: normaliseJoinCode(m[1]), typed: m[1].trim().slice(0, 20) };
}

/** Split for reading aloud or on a board: "ABC 234". */
export function displayCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
