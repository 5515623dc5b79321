import { describe, expect, it } from 'vitest';
import { classifyDigits, findNumbers, numberFlags } from '../../src/triage/numbers.js';

const reasons = (text: string) => numberFlags(findNumbers(text)).map((f) => f.reason);

describe('when numbers in a message are judged', () => {
  it('then numbers with a 00 or foreign + prefix are flagged as foreign', () => {
    expect(reasons('来电号码 00855 12 345 678')).toEqual(['foreign']);
    expect(reasons('显示 +63 912 345 6789')).toEqual(['foreign']);
    expect(classifyDigits('0085212345678', false).kind).toBe('foreign');
  });

  it('then a mainland number written with +86 or 0086 is not foreign', () => {
    expect(reasons('+86 138 0000 0000')).toEqual([]);
    expect(reasons('0086-13800000000')).toEqual([]);
  });

  it('then odd forms of the 96110 warning line are flagged', () => {
    for (const s of ['来电显示0096110', '+96110打来的', '号码是96110888', '+85296110', '来电 00-96110']) {
      expect(reasons(s), s).toEqual(['odd-96110']);
    }
  });

  it('then the real 96110 forms (alone or after a local area code) are not flagged', () => {
    for (const s of ['请拨打96110', '巴中反诈专线0827-96110', '028 96110', '+86 0827 96110']) {
      expect(reasons(s), s).toEqual([]);
    }
  });

  it('then mobile numbers in virtual-operator ranges are flagged', () => {
    for (const p of ['170', '171', '165', '167', '162']) {
      expect(reasons(`客服电话${p}12345678`), p).toEqual(['virtual']);
    }
    expect(reasons('客服电话13812345678')).toEqual([]);
  });

  it('then the masked form keeps the prefix as evidence', () => {
    const [n] = findNumbers('加我17012345678');
    expect(n.mask).toBe('170********');
  });
});
