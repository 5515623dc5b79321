/**
 * What the classifier sees: character 1–3-grams of the redacted text (via natural's Chinese
 * n-gram helper) plus one token per red-flag signal, calming marker and link/number finding.
 *
 * Character n-grams need no word segmentation (Chinese has no spaces) and tolerate the typos,
 * homophones and odd spacing scammers use. Digits all become "0" so that amounts and numbers
 * generalise ("转5000" and "转3000" share "转00"); ASCII is lower-cased.
 */
import { ngrams } from 'natural/lib/natural/ngrams/ngrams_zh.js';

/** Longest stretch of text the classifier reads (the signal matcher reads everything). */
export const MAX_CLASSIFIER_CHARS = 1000;
export const MAX_NGRAM = 3;

const WORD_RUN = /[\p{L}\p{N}*]+/gu;

/** Lower-case ASCII and map every ASCII digit to "0". */
export function classifierText(redacted: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < redacted.length; i++) {
    const c = redacted.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 49 && c <= 57)) {
      out += redacted.slice(from, i) + (c <= 57 ? '0' : String.fromCharCode(c + 32));
      from = i + 1;
    }
  }
  return out + redacted.slice(from);
}

/** Distinct character n-grams (1..maxN) inside runs of letters, digits and masks. */
export function charGrams(text: string, maxN = MAX_NGRAM, maxChars = MAX_CLASSIFIER_CHARS): string[] {
  const src = classifierText(text.length > maxChars ? Array.from(text).slice(0, maxChars).join('') : text);
  const seen = new Set<string>();
  WORD_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD_RUN.exec(src))) {
    const symbols = Array.from(m[0]);
    for (let n = 1; n <= maxN && n <= symbols.length; n++) {
      for (const g of ngrams(symbols, n)) seen.add(n === 1 ? g[0] : g.join(''));
    }
  }
  return [...seen];
}

/** Token names for non-text features, chosen so they can never collide with an n-gram. */
export const FEATURE = {
  signal: (id: string) => `§s:${id}`,
  negatedSignal: (id: string) => `§n:${id}`,
  calming: (id: string) => `§c:${id}`,
  finding: (kind: string) => `§f:${kind}`,
};
