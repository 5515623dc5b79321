import { describe, expect, it } from 'vitest';
import { KeywordAutomaton } from '../../src/triage/aho.js';
import { Matcher, isNegated, toHalfWidthPattern } from '../../src/triage/matcher.js';
import { realContent } from './helpers.js';

describe('when signals are matched', () => {
  it('then the keyword automaton finds every occurrence, overlapping ones too', () => {
    const a = new KeywordAutomaton(['安全', '安全账户', '账户', '户']);
    const found = a.search('转到安全账户').map((m) => `${m.keyword}@${m.start}-${m.end}`);
    expect(found.sort()).toEqual(['0@2-4', '1@2-6', '2@4-6', '3@5-6'].sort());
  });

  it('then keywords match case-insensitively after normalisation, with exact spans', () => {
    const m = new Matcher([{ id: 'x', keywords: ['ＵＳＤＴ', '安全账户'], patterns: [] }]);
    const text = '用usdt转到安全账户';
    const [hit] = m.match(text);
    expect(text.slice(hit.start, hit.end)).toBe('usdt');
  });

  it('then full-width characters in patterns match the half-width text they are normalised to', () => {
    expect(toHalfWidthPattern('（验证码）[，。]')).toBe('\\u0028验证码\\u0029[\\u002c。]');
    const m = new Matcher([{ id: 'x', keywords: [], patterns: ['验证码[：:]\\d{4,6}，发我'] }]);
    expect(m.match('验证码:1234,发我')).toHaveLength(1);
  });

  it('then a red flag inside a warning or denial is marked negated', () => {
    const t1 = '银行不会要求您提供验证码';
    expect(isNegated(t1, t1.indexOf('验证码'), t1.length)).toBe(true);
    const t2 = '凡是让你共享屏幕的,都是诈骗';
    expect(isNegated(t2, t2.indexOf('共享屏幕'), t2.indexOf('共享屏幕') + 4)).toBe(true);
    const t3 = '请把验证码发给我';
    expect(isNegated(t3, t3.indexOf('验证码'), t3.indexOf('验证码') + 3)).toBe(false);
    const t5 = '最近有人冒充快递客服打电话';
    expect(isNegated(t5, t5.indexOf('快递客服'), t5.indexOf('快递客服') + 4)).toBe(true);
    const t4 = '别人都领了，你快把验证码发我';
    expect(isNegated(t4, t4.indexOf('验证码'), t4.indexOf('验证码') + 3)).toBe(false);
  });

  it('then a non-negated match wins over an earlier negated one', () => {
    const m = new Matcher([{ id: 'pay-first-fee', keywords: ['手续费'], patterns: [] }]);
    const text = '我们不收手续费，但是要先交手续费500元';
    const [hit] = m.match(text);
    expect(hit.negated).toBe(false);
    expect(hit.start).toBe(text.lastIndexOf('手续费'));
  });

  it('then every signal in the knowledge base compiles and keeps "keep a secret" wording un-negated', () => {
    const c = realContent();
    const m = new Matcher(c.signals);
    const hits = m.match('千万不要告诉家人，也别挂电话');
    const ids = hits.map((h) => c.signals[h.spec].id);
    expect(ids).toContain('keep-secret');
    expect(hits.find((h) => c.signals[h.spec].id === 'keep-secret')?.negated).toBe(false);
  });
});
