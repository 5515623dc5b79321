/**
 * Literal prefilters for signal patterns: for a pattern, a set of literal strings such that
 * every match contains at least one of them. The matcher looks for all of them in one
 * Aho–Corasick pass and runs only the patterns whose literals occur, instead of running all
 * ~400 regular expressions on every message (they were half of the triage time).
 *
 * The extraction is conservative: when the pattern holds anything it does not understand,
 * it answers `null` and the pattern always runs. It understands sequences, alternation,
 * groups of any kind, quantifiers, character classes, `.` and escapes, which is what the
 * content uses. Literals are compared against ASCII-lowercased text (patterns run with the
 * `i` flag), so a literal containing a letter that has case outside ASCII is refused.
 */

type Atom =
  | { kind: 'char'; ch: string }
  | { kind: 'group'; alternatives: Node[][]; lookaround: boolean }
  | { kind: 'other' };

interface Node {
  atom: Atom;
  /** Must the atom match at least once? (false after ?, *, {0,…}) */
  required: boolean;
  /** Matches exactly once (no quantifier), so it can join a literal run. */
  once: boolean;
}

class Unsupported extends Error {}

/** Parse `source` into alternatives of nodes. Throws Unsupported on anything unexpected. */
function parse(source: string): Node[][] {
  let i = 0;

  function parseAlternatives(inGroup: boolean): Node[][] {
    const alternatives: Node[][] = [[]];
    while (i < source.length) {
      const c = source[i];
      if (c === ')') {
        if (!inGroup) throw new Unsupported('unbalanced )');
        return alternatives;
      }
      if (c === '|') {
        i++;
        alternatives.push([]);
        continue;
      }
      const atom = parseAtom();
      const q = parseQuantifier();
      alternatives[alternatives.length - 1].push({ atom, required: q.min >= 1, once: q.min === 1 && q.max === 1 });
    }
    if (inGroup) throw new Unsupported('unclosed group');
    return alternatives;
  }

  function parseAtom(): Atom {
    const c = source[i];
    if (c === '(') {
      i++;
      let lookaround = false;
      if (source[i] === '?') {
        const rest = source.slice(i, i + 4);
        if (rest.startsWith('?:')) i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) {
          i += 2;
          lookaround = true;
        } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
          i += 3;
          lookaround = true;
        } else if (rest.startsWith('?<')) {
          const close = source.indexOf('>', i);
          if (close < 0) throw new Unsupported('bad group name');
          i = close + 1;
        } else throw new Unsupported('unknown group');
      }
      const alternatives = parseAlternatives(true);
      i++; // ')'
      return { kind: 'group', alternatives, lookaround };
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++; // a literal ] first in a class
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      if (i >= source.length) throw new Unsupported('unclosed class');
      i++;
      return { kind: 'other' };
    }
    if (c === '\\') return parseEscape();
    if (c === '.' || c === '^' || c === '$') {
      i++;
      return { kind: 'other' };
    }
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === '}' || c === ']') throw new Unsupported('stray quantifier or bracket');
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    return { kind: 'char', ch };
  }

  function parseEscape(): Atom {
    const e = source[i + 1];
    if (e === undefined) throw new Unsupported('trailing backslash');
    if (e === 'u') {
      if (source[i + 2] === '{') {
        const close = source.indexOf('}', i);
        if (close < 0) throw new Unsupported('bad \\u{}');
        const ch = String.fromCodePoint(parseInt(source.slice(i + 3, close), 16));
        i = close + 1;
        return { kind: 'char', ch };
      }
      const hex = source.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Unsupported('bad \\u');
      i += 6;
      return { kind: 'char', ch: String.fromCharCode(parseInt(hex, 16)) };
    }
    i += 2;
    if (e === 'n') return { kind: 'char', ch: '\n' };
    if (e === 't') return { kind: 'char', ch: '\t' };
    if (e === 'p' || e === 'P') {
      if (source[i] !== '{') throw new Unsupported('bad \\p');
      const close = source.indexOf('}', i);
      if (close < 0) throw new Unsupported('bad \\p');
      i = close + 1;
      return { kind: 'other' };
    }
    if (e === 'k') throw new Unsupported('named back-reference');
    // \d \w \s \b, back-references, \x.. and the rest: not a literal.
    if (/[0-9A-Za-z]/.test(e)) return { kind: 'other' };
    // An escaped punctuation character is itself.
    return { kind: 'char', ch: e };
  }

  function parseQuantifier(): { min: number; max: number } {
    const c = source[i];
    let q: { min: number; max: number };
    if (c === '?') q = { min: 0, max: 1 };
    else if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) throw new Unsupported('bad {}');
      i += m[0].length - 1;
      q = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]) };
    } else return { min: 1, max: 1 };
    i++;
    if (source[i] === '?') i++; // lazy
    return q;
  }

  return parseAlternatives(false);
}

/** A literal is usable when lowercasing ASCII is all the `i` flag could change about it. */
function usable(lit: string): boolean {
  for (const ch of lit) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x80 && ch.toLowerCase() !== ch.toUpperCase()) return false;
    // /k/iu matches U+212A and /s/iu matches U+017F; the matcher folds those two in the text.
  }
  return lit.length > 0;
}

/** How selective a literal set is: its shortest literal's length, then fewer literals. */
function better(a: string[], b: string[] | null): boolean {
  if (!b) return true;
  const la = Math.min(...a.map((s) => s.length));
  const lb = Math.min(...b.map((s) => s.length));
  return la !== lb ? la > lb : a.length < b.length;
}

const MAX_LITERALS = 200;

/** Literals one of which every match of the sequence contains, or null. */
function ofSequence(nodes: Node[]): string[] | null {
  let best: string[] | null = null;
  let run = '';
  const endRun = () => {
    if (run && usable(run)) {
      const lit = [run.toLowerCase()];
      if (better(lit, best)) best = lit;
    }
    run = '';
  };
  for (const n of nodes) {
    if (n.atom.kind === 'char' && n.once) {
      run += n.atom.ch;
      continue;
    }
    endRun();
    if (!n.required) continue;
    if (n.atom.kind === 'char') {
      if (usable(n.atom.ch)) {
        const lit = [n.atom.ch.toLowerCase()];
        if (better(lit, best)) best = lit;
      }
    } else if (n.atom.kind === 'group' && !n.atom.lookaround) {
      const lits = ofAlternatives(n.atom.alternatives);
      if (lits && better(lits, best)) best = lits;
    }
  }
  endRun();
  return best;
}

function ofAlternatives(alternatives: Node[][]): string[] | null {
  const all = new Set<string>();
  for (const alt of alternatives) {
    const lits = ofSequence(alt);
    if (!lits) return null;
    for (const l of lits) all.add(l);
  }
  return all.size > 0 && all.size <= MAX_LITERALS ? [...all] : null;
}

/**
 * Literals (lowercase) one of which occurs in every match of `source`, or null when that
 * cannot be said (the pattern then always runs).
 */
export function requiredLiterals(source: string): string[] | null {
  try {
    return ofAlternatives(parse(source));
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/** The text a prefilter searches: ASCII lowercased, plus the two non-ASCII letters /iu folds into ASCII. */
export function foldForPrefilter(lower: string): string {
  if (lower.indexOf('\u212a') < 0 && lower.indexOf('\u017f') < 0) return lower;
  return lower.replace(/\u212a/g, 'k').replace(/\u017f/g, 's');
}
