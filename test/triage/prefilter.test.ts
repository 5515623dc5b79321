import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATTERN_FLAGS } from '../../src/content/regex-check.js';
import { Matcher, toHalfWidthPattern } from '../../src/triage/matcher.js';
import { asciiLower, normalise } from '../../src/triage/normalise.js';
import { foldForPrefilter, requiredLiterals } from '../../src/triage/prefilter.js';
import { ROOT, realContent } from './helpers.js';

/** Every text we have: labelled examples, both held-out sets, scenario lines and quiz prompts. */
function corpus(): string[] {
  const c = realContent();
  const texts = c.examples.map((e) => e.text);
  for (const f of ['heldout.jsonl', 'heldout-independent.jsonl']) {
    for (const line of readFileSync(path.join(ROOT, 'test/fixtures', f), 'utf8').split('\n')) if (line.trim()) texts.push(JSON.parse(line).text);
  }
  for (const s of c.scenarios) for (const n of Object.values(s.nodes)) for (const b of (n as { bubbles?: { text: string }[] }).bubbles ?? []) texts.push(b.text);
  for (const q of c.questions) texts.push(q.kind === 'scam-or-not' ? q.message : q.prompt);
  return texts.map((t) => normalise(t).text);
}

describe('when signal patterns get literal prefilters', () => {
  it('then a plain alternation, a literal run and an optional part give the literals a match needs', () => {
    expect(requiredLiterals('(?:清查|核查)(?:专用)?(?:账|帐)户')?.sort()).toEqual(['核查', '清查']);
    expect(requiredLiterals('充(?:值)?\\d+返')).toEqual(['充']);
    expect(requiredLiterals('安全账户')).toEqual(['安全账户']);
    expect(requiredLiterals('(?:a|b)x{2}|凡是.{0,4}诈骗')?.sort()).toEqual(['x', '凡是'].sort());
    expect(requiredLiterals('(?:ab|cd)x?')?.sort()).toEqual(['ab', 'cd']);
  });

  it('then ASCII letters are lowercased, since patterns run case-insensitively', () => {
    expect(requiredLiterals('\\b(?:USDT|Btc)\\b')?.sort()).toEqual(['btc', 'usdt']);
  });

  it('then anything optional, repeated from zero, inside a lookaround or a class is never required', () => {
    expect(requiredLiterals('(?:转账)?.{0,3}[安全]')).toBeNull();
    expect(requiredLiterals('(?=安全)..')).toBeNull();
    expect(requiredLiterals('(?:安全)*')).toBeNull();
    expect(requiredLiterals('(?:安全)+')).toEqual(['安全']);
    expect(requiredLiterals('(?:安全){0,2}x')).toEqual(['x']);
  });

  it('then an alternative without a literal makes the whole choice unusable', () => {
    expect(requiredLiterals('(?:^|[^点没])上当')).toEqual(['上当']);
    expect(requiredLiterals('安全|\\d+')).toBeNull();
  });

  it('then escapes are read as the characters they stand for', () => {
    expect(requiredLiterals(toHalfWidthPattern('（验证码）'))).toEqual(['(验证码)']);
    expect(requiredLiterals('gov\\.cn')).toEqual(['gov.cn']);
    expect(requiredLiterals('\\u{5b89}全')).toEqual(['安全']);
  });

  it('then a letter that has case outside ASCII is not used as a literal', () => {
    expect(requiredLiterals('Ä')).toBeNull();
  });

  it('then text with the Kelvin sign or long s is folded the way /iu folds it', () => {
    expect(foldForPrefilter('o\u212ax \u017fms')).toBe('okx sms');
    expect(new RegExp('okx', 'iu').test('O\u212aX')).toBe(true);
  });

  it('then every content pattern has a prefilter, and on every text we have no match is ever skipped', () => {
    const c = realContent();
    const sources = [...c.signals, ...c.calming].flatMap((s) => s.patterns).map(toHalfWidthPattern);
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(1500);
    let matches = 0;
    for (const source of sources) {
      const lits = requiredLiterals(source);
      expect(lits, source).not.toBeNull();
      const re = new RegExp(source, PATTERN_FLAGS);
      for (const t of texts) {
        if (!re.test(t)) continue;
        matches++;
        const folded = foldForPrefilter(asciiLower(t));
        expect(lits!.some((l) => folded.includes(l)), `${source} on ${t}`).toBe(true);
      }
    }
    // The check above means something only if the patterns do match the corpus.
    expect(matches).toBeGreaterThan(1000);
  });

  it('then the matcher finds exactly what it found by running every pattern', () => {
    const c = realContent();
    const specs = [...c.signals, ...c.calming].map((s) => ({ id: s.id, keywords: s.keywords, patterns: s.patterns }));
    const fast = new Matcher(specs);
    // The same patterns, each with a never-matching alternative that has no literal, so none is extracted.
    const slow = new Matcher(specs.map((s) => ({ ...s, patterns: s.patterns.map((p) => `(?:${p}|(?!))`) })));
    expect(requiredLiterals('(?:安全|(?!))')).toBeNull();
    for (const t of corpus()) expect(fast.match(t), t).toEqual(slow.match(t));
  });
});
