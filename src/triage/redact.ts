/**
 * Step 2 of triage: mask personal data. The redacted text is the only form of a message that
 * may ever be stored or logged.
 *
 * Masked: mainland mobile numbers (with +86/0086, spaces or dashes), landlines (area code
 * kept), foreign numbers (country code kept), 18-digit ID numbers with a valid check digit,
 * bank cards (16–19 digits passing Luhn), other long digit strings, e-mail local parts, and
 * the path and query of every link (the domain is kept: it is evidence).
 * Kept: amounts, dates, short numbers, public service numbers (95588, 96110, 400-…).
 *
 * `Redaction.toRedacted(start, end)` maps a span of the normalised text to the matching span
 * of the redacted text, so signals can be matched on the full text and still quote only
 * redacted evidence.
 */
import { findLinks, type LinkSpan } from './links.js';
import { findNumbers, type NumberRun } from './numbers.js';

export interface Replacement {
  start: number;
  end: number;
  /** Start and end in the redacted text. */
  rStart: number;
  rEnd: number;
  text: string;
  kind: string;
}

export interface Redaction {
  /** The normalised text with personal data masked. */
  text: string;
  replacements: Replacement[];
  links: LinkSpan[];
  numbers: NumberRun[];
  /** Map a [start, end) span of the normalised text to the redacted text. */
  toRedacted(start: number, end: number): { start: number; end: number };
}

export function redact(text: string): Redaction {
  const links = findLinks(text);
  const numbers = findNumbers(text, links);
  const raw: Array<{ start: number; end: number; text: string; kind: string }> = [];
  for (const l of links) {
    if (text.slice(l.start, l.end) !== l.mask) raw.push({ start: l.start, end: l.end, text: l.mask, kind: l.kind });
  }
  for (const n of numbers) if (n.mask !== null) raw.push({ start: n.start, end: n.end, text: n.mask, kind: n.kind });
  raw.sort((a, b) => a.start - b.start);

  const replacements: Replacement[] = [];
  let out = '';
  let from = 0;
  let shift = 0;
  for (const r of raw) {
    if (r.start < from) continue; // overlapping (should not happen): keep the first
    out += text.slice(from, r.start);
    const rStart = r.start + shift;
    out += r.text;
    replacements.push({ ...r, rStart, rEnd: rStart + r.text.length });
    shift += r.text.length - (r.end - r.start);
    from = r.end;
  }
  out += text.slice(from);

  const toRedacted = (start: number, end: number) => ({ start: mapPos(replacements, start, 'start'), end: mapPos(replacements, end, 'end') });
  return { text: out, replacements, links, numbers, toRedacted };
}

/** Position in the normalised text → position in the redacted text. */
function mapPos(reps: readonly Replacement[], pos: number, side: 'start' | 'end'): number {
  // Binary search for the last replacement starting at or before pos.
  let lo = 0;
  let hi = reps.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (reps[mid].start <= pos) {
      idx = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (idx < 0) return pos;
  const r = reps[idx];
  if (pos >= r.end) return pos + (r.rEnd - r.end);
  if (pos === r.start) return r.rStart;
  // Inside a replaced span: widen to cover the whole replacement.
  return side === 'start' ? r.rStart : r.rEnd;
}

/** Convenience: the redacted form of any text (normalise first for stored text). */
export function redactText(text: string): string {
  return redact(text).text;
}
