import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createInsights } from '../../src/store/insights.js';
import { SECRET, tempDir } from './helpers.js';

describe('when triage verdicts are counted for staff', () => {
  it('then counts are buffered off the reply path and all land on flush and on close', async () => {
    const dataDir = tempDir();
    const store = await openStore({ dataDir, secret: SECRET });
    const insights = createInsights(store);
    const count = async () => (await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM triage_events'))!.n;
    await Promise.all(Array.from({ length: 120 }, (_, i) => insights.recordTriage({ at: i, verdict: 'high-risk', fraudType: 'order-brushing', group: null })));
    expect(await count()).toBe(0);
    await insights.flush();
    expect(await count()).toBe(120);
    await insights.recordTriage({ at: 999, verdict: 'low-risk', fraudType: null, group: 'elderly' });
    await insights.close();
    expect(await count()).toBe(121);
    const row = await store.get<Record<string, unknown>>('SELECT * FROM triage_events WHERE at = 999');
    expect(Object.keys(row!).sort()).toEqual(['at', 'fraud_type', 'grp', 'id', 'verdict']);
    await store.close();
  });

  it('then a shared message is written at once, capped, and without any user key', async () => {
    const store = await openStore({ dataDir: tempDir(), secret: SECRET });
    const insights = createInsights(store);
    await insights.shareMessage({ at: 1, text: '钱'.repeat(6_000), verdict: 'suspicious', fraudType: null });
    const row = await store.get<{ text: string }>('SELECT text FROM shared_messages');
    expect(row!.text.length).toBe(5_000);
    await store.close();
  });
});
