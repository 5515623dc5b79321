import { describe, expect, it } from 'vitest';
import { BENIGN, FRAUD_TYPE_IDS } from '../../src/content/schema.js';
import { LABELS, deserialiseModel, predict, predictNb, serialiseModel, trainNb } from '../../src/triage/classifier.js';
import { charGrams, classifierText } from '../../src/triage/features.js';
import { buildTriageEngine } from '../../src/triage/index.js';
import { evaluate, stratifiedFolds } from '../../src/triage/metrics.js';
import { realContent, realTriage } from './helpers.js';

describe('when the classifier is trained', () => {
  it('then character n-grams map digits to 0, lower-case ASCII, and skip punctuation', () => {
    expect(classifierText('转5000元APP')).toBe('转0000元app');
    expect(charGrams('刷单，返利').sort()).toEqual(['刷', '刷单', '单', '利', '返', '返利'].sort());
  });

  it('then naive Bayes separates two toy classes with probabilities that sum to 1', () => {
    const docs = [
      ...Array.from({ length: 3 }, () => ({ features: charGrams('刷单返利垫付佣金'), label: 'order-brushing' as const })),
      ...Array.from({ length: 3 }, () => ({ features: charGrams('周末一起吃饭'), label: BENIGN })),
    ];
    const m = trainNb(docs, { alpha: 0.3, minDf: 1, tau: 12 });
    const p = predictNb(m, charGrams('刷单佣金'));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(LABELS[p.indexOf(Math.max(...p))]).toBe('order-brushing');
  });

  it('then a serialised model restores to the same predictions, and a stale key is refused', () => {
    const e = realTriage();
    const data = JSON.parse(JSON.stringify(serialiseModel(e.model)));
    expect(deserialiseModel(data, 'another-key')).toBeNull();
    const restored = deserialiseModel(data, e.modelKey)!;
    const f = charGrams('您的快递丢失，我们给您双倍赔偿');
    expect([...predict(restored, f)]).toEqual([...predict(e.model, f)]);
    const rebuilt = buildTriageEngine(realContent(), { model: restored });
    expect(rebuilt.trained).toBe(false);
    const text = '先交保证金才能放款';
    expect(rebuilt.analyse(text)).toEqual(e.analyse(text));
  });
});

describe('when the evaluation maths runs', () => {
  it('then stratified folds spread every label evenly', () => {
    const items = [...Array.from({ length: 10 }, () => ({ label: 'a' })), ...Array.from({ length: 5 }, () => ({ label: 'b' }))];
    const folds = stratifiedFolds(items, 5, 3);
    for (let f = 0; f < 5; f++) {
      expect(items.filter((it, i) => it.label === 'a' && folds[i] === f)).toHaveLength(2);
      expect(items.filter((it, i) => it.label === 'b' && folds[i] === f)).toHaveLength(1);
    }
  });

  it('then scam recall counts scams not judged low-risk and benign alarms count high-risk only', () => {
    const r = evaluate([
      { id: '1', label: 'romance', verdict: 'suspicious', fraudType: 'romance' },
      { id: '2', label: 'romance', verdict: 'high-risk', fraudType: 'fake-investment' },
      { id: '3', label: 'romance', verdict: 'low-risk', fraudType: null },
      { id: '4', label: BENIGN, verdict: 'high-risk', fraudType: 'other' },
      { id: '5', label: BENIGN, verdict: 'suspicious', fraudType: 'other' },
      { id: '6', label: BENIGN, verdict: 'low-risk', fraudType: null },
    ]);
    expect(r.scamRecall).toBeCloseTo(2 / 3);
    expect(r.benignHigh).toBeCloseTo(1 / 3);
    expect(r.benignSuspicious).toBeCloseTo(1 / 3);
    const romance = r.perType.find((m) => m.label === 'romance')!;
    expect(romance.recall).toBeCloseTo(1 / 3);
    expect(romance.precision).toBe(1);
    expect(r.confusion.romance[BENIGN]).toBe(1);
    expect(FRAUD_TYPE_IDS.length).toBe(13);
  });
});
