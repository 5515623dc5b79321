/**
 * The slice of the loaded content the learning code reads. `Content` from content/load.ts
 * satisfies it; tests build one with `learningContent(...)`.
 */
import type { Group, Question, Scenario } from '../content/schema.js';

export interface LearningContent {
  scenarios: readonly Scenario[];
  scenarioById: ReadonlyMap<string, Scenario>;
  questions: readonly Question[];
  questionById: ReadonlyMap<string, Question>;
  groups: readonly Group[];
  groupById: ReadonlyMap<string, Group>;
}

export function learningContent(parts: { scenarios?: readonly Scenario[]; questions?: readonly Question[]; groups?: readonly Group[] }): LearningContent {
  const scenarios = parts.scenarios ?? [];
  const questions = parts.questions ?? [];
  const groups = parts.groups ?? [];
  return {
    scenarios,
    scenarioById: new Map(scenarios.map((s) => [s.id, s])),
    questions,
    questionById: new Map(questions.map((q) => [q.id, q])),
    groups,
    groupById: new Map(groups.map((g) => [g.id, g])),
  };
}

/** Item key used in maps and sets: "scenario:<id>" or "question:<id>". */
export function itemKey(kind: 'scenario' | 'question', itemId: string): string {
  return `${kind}:${itemId}`;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
