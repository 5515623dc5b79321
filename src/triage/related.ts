/**
 * Step 7 of triage: the scenario that best lets someone practise recognising this scam:
 * same fraud type first, then the most red flags in common, then the easiest, then by id.
 * Without a (clear) type: the scenario of any type sharing the most red flags, if one shares any.
 */
import type { FraudTypeId, Scenario } from '../content/schema.js';

export interface ScenarioIndex {
  closest(type: FraudTypeId | null, signals: readonly string[]): string | null;
}

export function scenarioIndex(scenarios: readonly Scenario[]): ScenarioIndex {
  const byType = new Map<FraudTypeId, Array<{ id: string; difficulty: number; signals: Set<string> }>>();
  for (const s of scenarios) {
    const signals = new Set<string>();
    for (const n of Object.values(s.nodes)) for (const c of n.choices) for (const sig of c.signals) signals.add(sig);
    const list = byType.get(s.fraudType) ?? [];
    list.push({ id: s.id, difficulty: s.difficulty, signals });
    byType.set(s.fraudType, list);
  }
  for (const list of byType.values()) list.sort((a, b) => a.difficulty - b.difficulty || a.id.localeCompare(b.id));
  return {
    closest(type, signals) {
      // No (clear) type: the scenario that practises most of these red flags, if any does.
      const list = type ? byType.get(type) : [...byType.values()].flat().sort((a, b) => a.difficulty - b.difficulty || a.id.localeCompare(b.id));
      if (!list?.length) return null;
      let best = list[0];
      let bestOverlap = type ? -1 : 0;
      for (const s of list) {
        let overlap = 0;
        for (const sig of signals) if (s.signals.has(sig)) overlap++;
        if (overlap > bestOverlap) {
          best = s;
          bestOverlap = overlap;
        }
      }
      return type || bestOverlap > 0 ? best.id : null;
    },
  };
}
