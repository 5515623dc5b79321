import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, displayCode, generateJoinCode, isJoinCode, normaliseJoinCode, parseJoinCommand } from '../../src/classes/codes.js';

describe('join codes', () => {
  it('when the alphabet is checked, then it has no look-alike characters', () => {
    for (const c of ['0', 'O', '1', 'I', 'L', 'U', 'V']) expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  });

  it('when 20 000 codes are generated, then each is 6 characters from the alphabet and they spread over it', () => {
    const seen = new Set<string>();
    const perChar = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const code = generateJoinCode();
      expect(code).toHaveLength(CODE_LENGTH);
      expect(isJoinCode(code)).toBe(true);
      seen.add(code);
      for (const c of code) perChar.set(c, (perChar.get(c) ?? 0) + 1);
    }
    // 29^6 ≈ 595 million codes: collisions in 20 000 draws are very unlikely (birthday bound ≈ 0.03%).
    expect(seen.size).toBeGreaterThan(19_990);
    expect(perChar.size).toBe(CODE_ALPHABET.length);
    const expected = (20_000 * CODE_LENGTH) / CODE_ALPHABET.length;
    for (const n of perChar.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.1);
  });

  it('when a custom random source is given, then the code is built from it (deterministic)', () => {
    expect(generateJoinCode(() => 0)).toBe('AAAAAA');
    expect(generateJoinCode((n) => n - 1)).toBe('999999');
  });

  it.each([
    ['abc234', 'ABC234'],
    ['ABC 234', 'ABC234'],
    [' a-b-c 2 3 4 ', 'ABC234'],
    ['ＡＢＣ２３４', 'ABC234'],
  ])('when "%s" is typed, then it reads as %s', (typed, code) => {
    expect(normaliseJoinCode(typed)).toBe(code);
  });

  it.each(['ABC23', 'ABC2345', 'ABC10O', 'ABCIL2', '课堂码ABC'])('when "%s" is typed, then it is not a code', (typed) => {
    expect(normaliseJoinCode(typed)).toBeUndefined();
  });

  it.each([
    ['加入 ABC234', 'ABC234'],
    ['加入abc234', 'ABC234'],
    ['加入课堂：abc 234', 'ABC234'],
    ['join abc234', 'ABC234'],
    ['  加入   ABC-234 ', 'ABC234'],
  ])('when a student sends "%s", then it is a join with code %s', (text, code) => {
    expect(parseJoinCommand(text)?.code).toBe(code);
  });

  it('when the code part is malformed, then it is still a join attempt but without a code', () => {
    expect(parseJoinCommand('加入 ABC10')).toEqual({ code: undefined, typed: 'ABC10' });
  });

  it.each(['加入我们吧，日结300元', '你好', '我想加入反诈志愿者'])('when someone writes "%s", then it is not a join command', (text) => {
    expect(parseJoinCommand(text)).toBeUndefined();
  });

  it('when a code is shown, then it is split in two for reading aloud', () => {
    expect(displayCode('ABC234')).toBe('ABC 234');
  });
});
