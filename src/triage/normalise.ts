/**
 * Step 1 of triage: make pasted text comparable.
 *
 * - full-width ASCII (ＡＢＣ１２３，！) becomes half-width, the ideographic space a space;
 * - zero-width characters, bidi controls (right-to-left overrides), NUL and other control
 *   characters are removed (they are a common trick to split keywords past filters);
 * - runs of spaces collapse, a space between two Chinese characters disappears ("安 全 账 户"),
 *   blank lines collapse;
 * - the result is capped at `maxLength` code points, and `truncated` says so.
 *
 * Every step works one code point at a time with no regular expressions that could
 * backtrack, so the cost is linear in the input (which is itself pre-cut to a few times
 * the cap before any work is done).
 */

export const MAX_TEXT_LENGTH = 5000;

export interface Normalised {
  text: string;
  truncated: boolean;
}

/** Han ideographs (the common blocks), used for "is this Chinese" decisions. */
export function isHan(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x2ebef)
  );
}

/** Chinese punctuation that sits between Han characters without spaces. */
function isCjkPunct(cp: number): boolean {
  return (cp >= 0x3000 && cp <= 0x303f) || cp === 0x201c || cp === 0x201d || cp === 0x2018 || cp === 0x2019;
}

function isSpaceLike(cp: number): boolean {
  return (
    cp === 0x20 ||
    cp === 0x09 ||
    cp === 0x0b ||
    cp === 0x0c ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Characters that carry no visible content: removed outright. */
export function isInvisible(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x0a && cp !== 0x0d && cp !== 0x09 && cp !== 0x0b && cp !== 0x0c) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xfff0 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe0fff) ||
    (cp >= 0xd800 && cp <= 0xdfff) // lone surrogates
  );
}

/** Full-width ASCII variants U+FF01..U+FF5E map to U+0021..U+007E. */
export function toHalfWidth(cp: number): number {
  if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0;
  return cp;
}

/**
 * Cut a string to at most `max` code points without splitting a surrogate pair.
 * Returns the original string when it is short enough.
 */
export function cutCodePoints(s: string, max: number): { text: string; cut: boolean } {
  if (s.length <= max) return { text: s, cut: false };
  let units = 0;
  let points = 0;
  while (units < s.length && points < max) {
    const c = s.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < s.length ? 2 : 1;
    points++;
  }
  return units >= s.length ? { text: s, cut: false } : { text: s.slice(0, units), cut: true };
}

export function normalise(input: unknown, maxLength = MAX_TEXT_LENGTH): Normalised {
  if (typeof input !== 'string' || input.length === 0) return { text: '', truncated: false };
  // Work on a bounded prefix: invisible characters may be stripped, so keep some slack.
  const pre = cutCodePoints(input, maxLength * 4 + 64);
  const src = pre.text;

  const out: number[] = [];
  let pendingSpace = false; // a space seen but not yet written
  let pendingNewlines = 0;
  let lastCp = 0; // last written code point (0 at start or after a newline)

  const flushWhitespace = (nextCp: number) => {
    if (pendingNewlines > 0) {
      if (out.length > 0) out.push(0x0a);
      lastCp = 0;
    } else if (pendingSpace && out.length > 0 && lastCp !== 0) {
      // Drop a space between two Chinese characters or Chinese punctuation: "安 全 账 户".
      const hanLeft = isHan(lastCp) || isCjkPunct(lastCp);
      const hanRight = isHan(nextCp) || isCjkPunct(nextCp);
      if (!(hanLeft && hanRight)) out.push(0x20);
    }
    pendingSpace = false;
    pendingNewlines = 0;
  };

  for (const ch of src) {
    let cp = ch.codePointAt(0)!;
    if (cp === 0x0d || cp === 0x0a || cp === 0x2028 || cp === 0x2029 || cp === 0x85) {
      pendingNewlines++;
      pendingSpace = false;
      continue;
    }
    if (isSpaceLike(cp)) {
      if (pendingNewlines === 0) pendingSpace = true;
      continue;
    }
    if (isInvisible(cp)) continue;
    cp = toHalfWidth(cp);
    flushWhitespace(cp);
    out.push(cp);
    lastCp = cp;
  }

  let text = codePointsToString(out);
  const capped = cutCodePoints(text, maxLength);
  text = capped.text;
  if (capped.cut) text = text.trimEnd();
  return { text, truncated: pre.cut || capped.cut };
}

function codePointsToString(cps: number[]): string {
  let s = '';
  const CHUNK = 4096;
  for (let i = 0; i < cps.length; i += CHUNK) s += String.fromCodePoint(...cps.slice(i, i + CHUNK));
  return s;
}

/** Share of Han characters among letters; `letters` counts \p{L}-like characters. */
export function scriptStats(text: string): { han: number; letters: number } {
  let han = 0;
  let letters = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isHan(cp)) {
      han++;
      letters++;
    } else if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f) || (cp >= 0x370 && cp <= 0x3ff) || (cp >= 0x400 && cp <= 0x4ff) || (cp >= 0x600 && cp <= 0x6ff) || (cp >= 0xe00 && cp <= 0xe7f) || (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x3040 && cp <= 0x30ff)) {
      letters++;
    }
  }
  return { han, letters };
}

/**
 * Lower-case ASCII letters only, keeping the string length identical so that offsets found
 * in the lowered text are valid in the original.
 */
export function asciiLower(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      needs = true;
      break;
    }
  }
  if (!needs) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      out += s.slice(from, i) + String.fromCharCode(c + 32);
      from = i + 1;
    }
  }
  return out + s.slice(from);
}
