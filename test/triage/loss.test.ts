import { describe, expect, it } from 'vitest';
import { realContent, realTriage } from './helpers.js';

describe('when a resident says the money is already gone', () => {
  it.each([
    '我已经按他说的转了五万块过去了，现在联系不上他了，咋个办？',
    '我妈被骗了两万，钱已经转出去了',
    '转完钱他就把我拉黑了，还追得回来不',
  ])('then "%s" leads with the after-loss steps, not a guess at the type', (text) => {
    const r = realTriage().analyse(text);
    expect(r.verdict).not.toBe('low-risk');
    expect(r.signals.map((s) => s.id)).toContain('money-already-lost');
    expect(r.actions[0]).toBe(realContent().advice.afterLoss[0]);
    expect(r.actions.join('')).toMatch(/(^|[^0-9])110([^0-9]|$)/);
    expect(r.explanation.split('\n')[0]).toMatch(/钱已经转出去了/);
    expect(r.shareText).not.toMatch(/「.*类」/);
  });

  it.each(['差点被骗了，幸好没转', '大家别被骗了，这种都是假的', '钱已经转给房东了，下个月的房租'])('then "%s" is not taken for a loss', (text) => {
    expect(realTriage().analyse(text).signals.map((s) => s.id)).not.toContain('money-already-lost');
  });
});
