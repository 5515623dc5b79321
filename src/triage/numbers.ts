/**
 * Numbers in a message: what each run of digits is (mobile, landline, ID number, bank card,
 * foreign number, the 96110 warning line…), how it must be masked, and whether it is itself a
 * red flag (foreign prefixes, odd "96110" forms, virtual-operator ranges).
 *
 * A "run" is digits joined by single spaces or dashes ("138 0000 0000", "+86-138-0000-0000",
 * "6222 0212 3456 7890"), optionally led by "+" and ended by an ID check letter X.
 * The scanner is one linear regular expression; classification is plain string work.
 */
import { MASK } from './strings.zh.js';

export type NumberKind =
  | 'mobile'
  | 'landline'
  | 'foreign'
  | 'id-card'
  | 'bank-card'
  | 'long-digits'
  | 'hotline-96110'
  | 'odd-96110'
  | 'service'
  | 'plain';

export interface NumberRun {
  start: number;
  end: number;
  /** Digits only (a leading "+" is reported in `plus`; a trailing ID letter is kept as "X"). */
  digits: string;
  plus: boolean;
  kind: NumberKind;
  /** Mobile numbers in virtual-operator ranges (162, 165, 167, 170, 171). */
  virtual: boolean;
  /** Replacement for the redacted text, or null to keep the run as it is. */
  mask: string | null;
}

/** Mobile prefixes sold by virtual operators (虚拟运营商), favoured by scam call centres. */
export const VIRTUAL_PREFIXES = ['162', '165', '167', '170', '171'];

const RUN_RE = /\+?\d(?:[ -]?\d)*(?:[xX](?![A-Za-z0-9]))?/g;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Check digit of an 18-character resident ID number (GB 11643). */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === id[17].toUpperCase();
}

/** Luhn check used by bank cards. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

const stars = (n: number) => '*'.repeat(Math.max(4, Math.min(n, 12)));

function mobileMask(d: string, cc: string): string {
  return `${cc}${d.slice(0, 3)}${'*'.repeat(8)}`;
}

function landlineMask(d: string): string {
  const area = d[1] === '1' || d[1] === '2' ? 3 : 4;
  return `${d.slice(0, area)}-${'*'.repeat(d.length - area)}`;
}

interface Classified {
  kind: NumberKind;
  virtual: boolean;
  mask: string | null;
}

const PLAIN: Classified = { kind: 'plain', virtual: false, mask: null };

/** Classify a run given as digits (and a leading plus). */
export function classifyDigits(d: string, plus: boolean): Classified {
  const len = d.length;
  if (len === 0) return PLAIN;
  if (len > 19 && !plus) return { kind: 'long-digits', virtual: false, mask: MASK.longDigits };

  // 96110: shown as local area code + 96110; anything else around it is a forgery.
  const at = d.indexOf('96110');
  if (at >= 0 && len <= 16) {
    if (!plus && (d === '96110' || /^0[1-9]\d{1,2}96110$/.test(d))) return { kind: 'hotline-96110', virtual: false, mask: null };
    if (plus && /^860?[1-9]\d{1,2}96110$/.test(d)) return { kind: 'hotline-96110', virtual: false, mask: null };
    return { kind: 'odd-96110', virtual: false, mask: null };
  }

  const asDomestic = (rest: string, cc: string): Classified | null => {
    if (/^1[3-9]\d{9}$/.test(rest)) {
      return { kind: 'mobile', virtual: VIRTUAL_PREFIXES.includes(rest.slice(0, 3)), mask: mobileMask(rest, cc) };
    }
    if (/^0?[1-9]\d{8,10}$/.test(rest) && cc) {
      const r = rest.startsWith('0') ? rest : '0' + rest;
      return { kind: 'landline', virtual: false, mask: cc + landlineMask(r) };
    }
    return null;
  };

  if (plus) {
    if (d.startsWith('86')) {
      const dom = asDomestic(d.slice(2), '+86 ');
      if (dom) return dom;
    }
    if (len >= 7 && len <= 16 && !d.startsWith('86')) {
      return { kind: 'foreign', virtual: false, mask: `+${d.slice(0, 3)}${stars(len - 3)}` };
    }
    if (len >= 7) return { kind: 'long-digits', virtual: false, mask: MASK.longDigits };
    return PLAIN;
  }
  if (d.startsWith('0086')) {
    const dom = asDomestic(d.slice(4), '0086 ');
    if (dom) return dom;
  }
  if (d.startsWith('00') && len >= 9 && len <= 18 && !d.startsWith('0086')) {
    return { kind: 'foreign', virtual: false, mask: `${d.slice(0, 5)}${stars(len - 5)}` };
  }
  if (len === 11 && /^1[3-9]/.test(d)) return asDomestic(d, '')!;
  if (len === 13 && d.startsWith('86') && /^1[3-9]/.test(d.slice(2))) return asDomestic(d.slice(2), '86 ')!;
  if (len >= 10 && len <= 12 && /^0[1-9]/.test(d)) return { kind: 'landline', virtual: false, mask: landlineMask(d) };
  if (len === 18 && isValidIdNumber(d)) return { kind: 'id-card', virtual: false, mask: MASK.idCard };
  if (len >= 16 && len <= 19 && /^\d+$/.test(d) && luhnValid(d)) return { kind: 'bank-card', virtual: false, mask: MASK.bankCard };
  if (len >= 15) return { kind: 'long-digits', virtual: false, mask: MASK.longDigits };
  // Customer-service and public numbers (95588, 12315, 400-xxx-xxxx) are evidence, not personal data.
  if (/^(?:9[56]\d{3,6}|1[0-2]\d{3}|400\d{7}|800\d{7})$/.test(d)) return { kind: 'service', virtual: false, mask: null };
  return PLAIN;
}

/**
 * Find and classify every run of digits in `text`. Runs inside `skip` ranges (URLs, e-mail
 * addresses) are ignored. A run that is not a number of interest as a whole is split at its
 * separators, so "转5000 138 0000 0000" still finds the phone number.
 */
export function findNumbers(text: string, skip: ReadonlyArray<{ start: number; end: number }> = []): NumberRun[] {
  const out: NumberRun[] = [];
  RUN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let si = 0;
  while ((m = RUN_RE.exec(text))) {
    const start = m.index;
    let raw = m[0];
    while (si < skip.length && skip[si].end <= start) si++;
    if (si < skip.length && skip[si].start < start + raw.length) {
      // Overlaps a link or address: skip past it.
      RUN_RE.lastIndex = Math.max(RUN_RE.lastIndex, skip[si].end);
      continue;
    }
    // A run glued to letters on the left (order numbers like SF1234…) keeps its digits but
    // is still classified, so that personal numbers are masked wherever they are.
    const plus = raw.startsWith('+');
    const last = raw.charCodeAt(raw.length - 1);
    const hasX = last === 88 || last === 120;
    const digitsOnly = raw.replace(/[^0-9]/g, '');
    const whole = hasX ? digitsOnly + 'X' : digitsOnly;
    let c = classifyDigits(whole, plus);
    if (hasX && c.kind !== 'id-card') {
      // The trailing letter only belongs to an ID number.
      raw = raw.slice(0, -1);
      c = classifyDigits(digitsOnly, plus);
    }
    if ((c.kind === 'plain' || c.kind === 'long-digits') && separators(raw, 8) > 0 && separators(raw, 8) < 8) {
      const parts = splitGroups(raw, start);
      if (parts.length > 1) {
        const sub = bestSubRuns(parts);
        // Found numbers of interest inside: report those (a long run with nothing inside stays one masked run).
        if (sub.some((r) => r.kind !== 'long-digits')) {
          out.push(...sub);
          continue;
        }
      }
    }
    out.push({ start, end: start + raw.length, digits: c.kind === 'id-card' ? whole : digitsOnly, plus, ...c });
  }
  return out;
}

/** Number of spaces and dashes in a run, counting no further than `limit`. */
function separators(raw: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < raw.length && n < limit; i++) {
    const c = raw.charCodeAt(i);
    if (c === 32 || c === 45) n++;
  }
  return n;
}

interface Group {
  start: number;
  end: number;
  text: string;
}

function splitGroups(raw: string, offset: number): Group[] {
  const groups: Group[] = [];
  let from = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i === raw.length || raw[i] === ' ' || raw[i] === '-') {
      if (i > from) groups.push({ start: offset + from, end: offset + i, text: raw.slice(from, i) });
      from = i + 1;
    }
  }
  return groups;
}

/**
 * Greedy left-to-right: at each group, take the longest span of consecutive groups that is a
 * number of interest; groups that are not part of one stay plain.
 */
function bestSubRuns(groups: Group[]): NumberRun[] {
  const out: NumberRun[] = [];
  let found = false;
  let i = 0;
  while (i < groups.length) {
    let taken = false;
    for (let j = groups.length - 1; j >= i; j--) {
      const text = groups.slice(i, j + 1).map((g) => g.text).join('');
      const plus = text.startsWith('+');
      const d = text.replace(/[^0-9Xx]/g, '').toUpperCase();
      const c = classifyDigits(d, plus);
      // A long anonymous digit string only counts when it is a single group of its own.
      if (c.kind !== 'plain' && (c.kind !== 'long-digits' || i === j)) {
        out.push({ start: groups[i].start, end: groups[j].end, digits: d, plus, ...c });
        found = true;
        taken = true;
        i = j + 1;
        break;
      }
    }
    if (!taken) i++;
  }
  return found ? out : [];
}

/** A number that is a red flag in itself, with a short reason key. */
export interface NumberFlag {
  run: NumberRun;
  reason: 'foreign' | 'odd-96110' | 'virtual';
}

export function numberFlags(runs: readonly NumberRun[]): NumberFlag[] {
  const out: NumberFlag[] = [];
  for (const run of runs) {
    if (run.kind === 'foreign') out.push({ run, reason: 'foreign' });
    else if (run.kind === 'odd-96110') out.push({ run, reason: 'odd-96110' });
    else if (run.kind === 'mobile' && run.virtual) out.push({ run, reason: 'virtual' });
  }
  return out;
}
