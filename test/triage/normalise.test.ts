import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, asciiLower, cutCodePoints, normalise } from '../../src/triage/normalise.js';

describe('when a message is normalised', () => {
  it('then full-width letters, digits and punctuation become half-width', () => {
    expect(normalise('ＡＰＰ下载１２３，！？').text).toBe('APP下载123,!?');
  });

  it('then zero-width characters that split keywords are removed', () => {
    expect(normalise('安\u200b全\u200c账\u200d户\ufeff').text).toBe('安全账户');
  });

  it('then NUL bytes and other control characters are removed', () => {
    expect(normalise('刷\u0000单\u0007返\u001b利\u0085').text).toBe('刷单返利');
  });

  it('then right-to-left override marks are removed', () => {
    expect(normalise('\u202e点击链接\u202c领取\u2066奖品\u2069').text).toBe('点击链接领取奖品');
  });

  it('then spaces between Chinese characters disappear and other runs of spaces collapse', () => {
    expect(normalise('安 全  账\u3000户   转到  account   now').text).toBe('安全账户转到 account now');
  });

  it('then blank lines collapse to one line break and the ends are trimmed', () => {
    expect(normalise('  \n\n第一行\r\n\r\n\r\n第二行  \n ').text).toBe('第一行\n第二行');
  });

  it('then emoji are kept whole', () => {
    expect(normalise('😀👍🏻').text).toBe('😀👍🏻');
  });

  it('then text over the cap is cut and marked as truncated', () => {
    const r = normalise('诈'.repeat(MAX_TEXT_LENGTH + 10));
    expect(r.truncated).toBe(true);
    expect(Array.from(r.text).length).toBe(MAX_TEXT_LENGTH);
    expect(normalise('短消息').truncated).toBe(false);
  });

  it('then cutting never splits a surrogate pair', () => {
    const r = cutCodePoints('😀😀😀', 2);
    expect(r).toEqual({ text: '😀😀', cut: true });
  });

  it('then empty, whitespace-only and non-string input give empty text', () => {
    expect(normalise('')).toEqual({ text: '', truncated: false });
    expect(normalise(' \t\n\u3000 ')).toEqual({ text: '', truncated: false });
    expect(normalise(undefined)).toEqual({ text: '', truncated: false });
  });

  it('then ASCII lower-casing keeps every offset', () => {
    const s = 'ÀBC安全İ';
    expect(asciiLower(s)).toBe('Àbc安全İ');
    expect(asciiLower(s).length).toBe(s.length);
  });
});
