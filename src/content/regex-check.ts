/**
 * Regular expressions written by campaign staff run against every pasted message, so a
 * pattern that can backtrack catastrophically would let one message stall the server.
 * Two checks: safe-regex2's static star-height analysis (catches nested quantifiers such
 * as (a+)+), and a dynamic probe that runs the pattern against adversarial inputs inside a
 * vm with a hard time limit (catches overlapping alternations such as (a|a)*$).
 */
import { createRequire } from 'node:module';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const safeRegex = require('safe-regex2') as (re: string | RegExp, opts?: { limit?: number }) => boolean;

/** Flags every signal pattern is compiled with. */
export const PATTERN_FLAGS = 'iu';
// Generous on purpose: a loaded CI machine must not fail a safe pattern, and real catastrophic
// backtracking on these inputs takes far longer than a second.
const PROBE_MS = 1_000;

export type RegexVerdict = { ok: true; re: RegExp } | { ok: false; message: string };

const probeContext = vm.createContext({ inputs: [] as string[], re: /x/ });
const probeScript = new vm.Script('for (const s of inputs) { re.lastIndex = 0; re.test(s); }');

/** Adversarial inputs: long runs of one character (from the pattern's own literals) with a tail that fails. */
function probes(source: string): string[] {
  const chars = new Set<string>(['a', '1', ' ', '.', '钱']);
  for (const ch of source.replace(/\\[a-zA-Z]/g, '').match(/[\p{L}\p{N}]/gu) ?? []) {
    chars.add(ch);
    if (chars.size > 12) break;
  }
  const out: string[] = [];
  for (const ch of chars) out.push(ch.repeat(3000) + '\u0000!', (ch + ' ').repeat(1500) + '\u0000');
  out.push('1'.repeat(3000), 'a1'.repeat(1500) + '\u0000');
  return out;
}

export function checkPattern(source: string): RegexVerdict {
  let re: RegExp;
  try {
    re = new RegExp(source, PATTERN_FLAGS);
  } catch (err) {
    return { ok: false, message: `正则表达式写错了，无法编译：${(err as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  if (!safeRegex(source, { limit: 25 })) {
    return { ok: false, message: '正则表达式有嵌套的重复（如 (a+)+），可能被恶意文本卡死，请改写' };
  }
  probeContext.re = re;
  probeContext.inputs = probes(source);
  try {
    probeScript.runInContext(probeContext, { timeout: PROBE_MS });
  } catch {
    return { ok: false, message: `正则表达式在长文本上运行超过 ${PROBE_MS} 毫秒，可能回溯失控，请改写` };
  }
  return { ok: true, re };
}
