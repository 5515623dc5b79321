/**
 * Step 3a of triage: find the red-flag signals (and calming markers) of knowledge/signals.yaml
 * in a normalised message, each with the exact span that matched.
 *
 * Keywords are matched case-insensitively (ASCII) after the same normalisation as messages,
 * all at once through one Aho–Corasick automaton. Patterns are compiled with the flags the
 * content loader checks them with ('iu', plus 'g' to walk matches); full-width characters in a
 * pattern are rewritten to the half-width form messages are normalised to.
 *
 * A red-flag phrase inside a warning ("银行不会要求您提供验证码", "凡是让你共享屏幕的都是诈骗")
 * is marked `negated`; the verdict counts it only a little. Signals whose own wording is a
 * negation ("别告诉家人", "不要挂电话") are exempt.
 */
import { KeywordAutomaton } from './aho.js';
import { foldForPrefilter, requiredLiterals } from './prefilter.js';
import { asciiLower, normalise } from './normalise.js';
import { PATTERN_FLAGS } from '../content/regex-check.js';

export interface MatcherSpec {
  id: string;
  keywords: readonly string[];
  patterns: readonly string[];
}

export interface SpanMatch {
  /** Index of the spec (signal or calming marker) in the list given to the matcher. */
  spec: number;
  start: number;
  end: number;
  negated: boolean;
}

/** Signals whose wording already contains a negation word, so a warning cue cannot be told apart. */
export const NEGATION_EXEMPT = new Set(['keep-secret', 'urgent-pressure']);

/** Cues before a phrase (same clause) that turn it into a warning or a denial. */
const NEG_BEFORE = /(?:不会|绝不|决不|从不|从来不|不要|切勿|请勿|谨防|警惕|提防|凡是|严禁|千万别|千万不要|不得|防范|识破|无需|无须|不需要|不用|不收|免收|冒充|假冒|假扮|别(?![人的]))[^。！？!?\n；;，,]{0,8}$/u;
/** Cues after a phrase (same sentence) that call it a scam. */
const NEG_AFTER = /^[^。！？!?\n；;]{0,14}?(?:都是诈骗|就是诈骗|一定是诈骗|是诈骗|是骗局|是骗子|诈骗套路|都是骗)/u;

export function isNegated(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 14), start);
  if (NEG_BEFORE.test(before)) return true;
  const after = text.slice(end, end + 24);
  return NEG_AFTER.test(after);
}

/**
 * Rewrite full-width characters in a pattern to what normalised text contains. Non-alphanumeric
 * characters become \uXXXX escapes, which are literal in every regex position (including
 * character classes), so "（" never turns into a group.
 */
export function toHalfWidthPattern(source: string): string {
  let out = '';
  for (const ch of source) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xff01 && cp <= 0xff5e) {
      const a = cp - 0xfee0;
      const c = String.fromCharCode(a);
      out += /[A-Za-z0-9]/.test(c) ? c : `\\u${a.toString(16).padStart(4, '0')}`;
    } else if (cp === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** How a keyword is normalised so that it can be found in normalised, ASCII-lowered text. */
export function normaliseKeyword(k: string): string {
  return asciiLower(normalise(k).text);
}

export class Matcher {
  private readonly automaton: KeywordAutomaton;
  /** Keyword index → spec index. */
  private readonly keywordSpec: number[] = [];
  /** Each pattern with the literals one of which its every match contains (null: always run it). */
  private readonly patterns: Array<{ spec: number; re: RegExp; anchors: number[] | null }> = [];
  /** All those literals, found in one pass before any pattern runs. */
  private readonly anchorAutomaton: KeywordAutomaton;
  readonly specs: readonly MatcherSpec[];
  private readonly exempt: boolean[];

  constructor(specs: readonly MatcherSpec[], opts: { negation: boolean; exempt?: ReadonlySet<string> } = { negation: true }) {
    this.specs = specs;
    const keywords: string[] = [];
    const anchorIds = new Map<string, number>();
    const anchorId = (lit: string) => {
      let id = anchorIds.get(lit);
      if (id === undefined) anchorIds.set(lit, (id = anchorIds.size));
      return id;
    };
    specs.forEach((s, i) => {
      for (const k of s.keywords) {
        const nk = normaliseKeyword(k);
        if (!nk) continue;
        keywords.push(nk);
        this.keywordSpec.push(i);
      }
      for (const p of s.patterns) {
        try {
          const source = toHalfWidthPattern(p);
          const re = new RegExp(source, PATTERN_FLAGS + 'g');
          this.patterns.push({ spec: i, re, anchors: requiredLiterals(source)?.map(anchorId) ?? null });
        } catch {
          // The content loader rejects patterns that do not compile; nothing to do here.
        }
      }
    });
    this.automaton = new KeywordAutomaton(keywords);
    this.anchorAutomaton = new KeywordAutomaton([...anchorIds.keys()]);
    const ex = opts.exempt ?? NEGATION_EXEMPT;
    this.exempt = specs.map((s) => !opts.negation || ex.has(s.id));
  }

  /**
   * For every spec that matches: its first match that is not negated, or else its first match
   * (marked negated). `lower` is `asciiLower(text)`, computed once by the caller.
   */
  match(text: string, lower: string = asciiLower(text)): SpanMatch[] {
    const best = new Map<number, SpanMatch>();
    const consider = (spec: number, start: number, end: number) => {
      const prev = best.get(spec);
      if (prev && !prev.negated && prev.start <= start) return;
      const negated = this.exempt[spec] ? false : isNegated(text, start, end);
      const m: SpanMatch = { spec, start, end, negated };
      if (!prev) best.set(spec, m);
      else if (prev.negated && !negated) best.set(spec, m);
      else if (prev.negated === negated && start < prev.start) best.set(spec, m);
    };
    for (const k of this.automaton.search(lower)) consider(this.keywordSpec[k.keyword], k.start, k.end);
    const present = this.anchorAutomaton.present(foldForPrefilter(lower));
    for (const { spec, re, anchors } of this.patterns) {
      // A spec already found outside a warning needs no more evidence.
      const prev = best.get(spec);
      if (prev && !prev.negated) continue;
      // None of the literals every match needs is in the text: the pattern cannot match.
      if (anchors && !anchors.some((a) => present[a] === 1)) continue;
      re.lastIndex = 0;
      for (let n = 0; n < 4; n++) {
        const m = re.exec(text);
        if (!m) break;
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        consider(spec, m.index, m.index + m[0].length);
        const cur = best.get(spec)!;
        if (!cur.negated) break;
      }
    }
    return [...best.values()].sort((a, b) => a.start - b.start || a.spec - b.spec);
  }
}
