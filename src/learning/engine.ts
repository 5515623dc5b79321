/**
 * Scenario play as pure functions over plain data. The bot keeps the PlayState in
 * conversation state, calls applyChoice with the user's pick and renders what comes back.
 * Nothing here throws for user input or stale state: every outcome is a typed result.
 */
import type { Scenario, ScenarioEnding, ScenarioNode } from '../content/schema.js';
import type { LearningContent } from './content.js';
import type { AnswerRecord, PlayState } from './types.js';

type Speaker = ScenarioNode['bubbles'][number]['from'];

/** Name shown for a bubble without its own `name`. */
export const SPEAKER_NAMES: Record<Speaker, string> = {
  scammer: '对方',
  friend: '朋友',
  family: '家人',
  bank: '银行',
  police: '民警',
  official: '工作人员',
  narrator: '旁白',
  system: '系统消息',
  me: '我',
};

export interface BubbleView {
  from: Speaker;
  /** Display name: the bubble's own or the speaker default. */
  name: string;
  text: string;
}

export interface ChoiceView {
  /** 0-based; show it to people as index + 1. */
  index: number;
  text: string;
}

export interface NodeView {
  scenarioId: string;
  nodeId: string;
  /** 1-based number of the decision the user is about to make. */
  step: number;
  bubbles: BubbleView[];
  choices: ChoiceView[];
}

export interface ScenarioIntro {
  id: string;
  version: number;
  title: string;
  intro: string;
  fraudType: Scenario['fraudType'];
  difficulty: Scenario['difficulty'];
}

export interface ChoiceFeedback {
  index: number;
  text: string;
  feedback: string;
  safe: boolean;
  /** Red-flag signal ids this choice teaches. */
  signals: string[];
}

export interface EndingView {
  id: string;
  outcome: ScenarioEnding['outcome'];
  /** Yuan lost, for outcome "lost" when the scenario says. */
  loss?: number;
  title: string;
  text: string;
  lesson: string;
}

export interface PlaySummary {
  decisions: number;
  safeDecisions: number;
  /** Signal ids met on the way, first-seen order, no repeats. */
  signals: string[];
  durationMs: number;
}

export type StartResult =
  | { kind: 'started'; state: PlayState; scenario: ScenarioIntro; node: NodeView }
  | { kind: 'unavailable'; reason: 'removed'; scenarioId: string; message: string };

export type StaleReason = 'removed' | 'changed' | 'invalid';

export type ChoiceResult =
  /** The story goes on: show the feedback, then the next node. */
  | { kind: 'next'; state: PlayState; feedback: ChoiceFeedback; node: NodeView }
  /** An ending was reached: show the feedback and the ending, store `record`, clear the state. */
  | { kind: 'ended'; state: PlayState; feedback: ChoiceFeedback; ending: EndingView; record: AnswerRecord; summary: PlaySummary }
  /** Not one of the offered choices: say `message`, show `node` again; the state is unchanged. */
  | { kind: 'refused'; reason: 'unknown-choice'; state: PlayState; node: NodeView; message: string }
  /**
   * The scenario was removed or changed (version differs) since the user started, or the saved
   * state is unreadable: say `message`, clear the state; when `canRestart`, offer to start again.
   */
  | { kind: 'stale'; reason: StaleReason; scenarioId: string; message: string; canRestart: boolean }
  /** The state already sits on an ending: nothing left to choose. */
  | { kind: 'finished'; state: PlayState; ending: EndingView; message: string };

/** Where the user is now (for "continue"), without choosing anything. */
export type ResumeResult =
  | { kind: 'node'; state: PlayState; node: NodeView }
  | Extract<ChoiceResult, { kind: 'stale' | 'finished' }>;

export function startScenario(content: Pick<LearningContent, 'scenarioById'>, scenarioId: string, now: number): StartResult {
  const s = content.scenarioById.get(scenarioId);
  if (!s) {
    return { kind: 'unavailable', reason: 'removed', scenarioId, message: '这个情景已经下线了，换一个试试吧。' };
  }
  const state: PlayState = { scenarioId: s.id, version: s.version, nodeId: s.start, steps: [], startedAt: now };
  return { kind: 'started', state, scenario: introOf(s), node: nodeView(s, s.start, 1) };
}

export function applyChoice(
  content: Pick<LearningContent, 'scenarioById'>,
  state: PlayState,
  choice: number,
  now: number,
): ChoiceResult {
  const at = locate(content, state);
  if (at.kind !== 'node') return at;
  const { s, node } = at;
  const view = nodeView(s, state.nodeId, state.steps.length + 1);
  if (!Number.isInteger(choice) || choice < 0 || choice >= node.choices.length) {
    return { kind: 'refused', reason: 'unknown-choice', state, node: view, message: choiceHint(node.choices.length) };
  }
  const c = node.choices[choice];
  const feedback: ChoiceFeedback = { index: choice, text: c.text, feedback: c.feedback, safe: c.safe, signals: [...c.signals] };
  const next: PlayState = {
    ...state,
    nodeId: c.next,
    steps: [...state.steps, { nodeId: state.nodeId, choice, safe: c.safe }],
  };
  const ending = s.endings[c.next];
  if (ending) {
    const record: AnswerRecord = {
      kind: 'scenario',
      itemId: s.id,
      version: s.version,
      fraudType: s.fraudType,
      correct: ending.outcome === 'avoided',
      at: now,
    };
    return { kind: 'ended', state: next, feedback, ending: endingView(c.next, ending), record, summary: summarize(s, next, now) };
  }
  return { kind: 'next', state: next, feedback, node: nodeView(s, c.next, next.steps.length + 1) };
}

export function resumeScenario(content: Pick<LearningContent, 'scenarioById'>, state: PlayState): ResumeResult {
  const at = locate(content, state);
  if (at.kind !== 'node') return at;
  return { kind: 'node', state, node: nodeView(at.s, state.nodeId, state.steps.length + 1) };
}

/**
 * Read a typed or tapped choice: "2", "２", "B", "b", "二", "选2", "第2个" → 1 (0-based).
 * undefined when it is not one of `count` choices.
 */
export function parseChoice(input: string | number, count: number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input >= 1 && input <= count ? input - 1 : undefined;
  const t = String(input)
    .normalize('NFKC')
    .trim()
    .replace(/[\s.。、，,!！)）]+$/u, '');
  const m = /^(?:选项?|第)?\s*([1-9]|[a-dA-D]|[一二三四])\s*(?:个|项|号)?$/u.exec(t);
  if (!m) return undefined;
  const ch = m[1];
  const n = /\d/.test(ch) ? Number(ch) : /[a-d]/i.test(ch) ? ch.toLowerCase().charCodeAt(0) - 96 : '一二三四'.indexOf(ch) + 1;
  return n >= 1 && n <= count ? n - 1 : undefined;
}

/** A PlayState read back from storage has the right shape (it may still be stale). */
export function isPlayState(x: unknown): x is PlayState {
  const s = x as PlayState;
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.scenarioId === 'string' &&
    Number.isInteger(s.version) &&
    typeof s.nodeId === 'string' &&
    typeof s.startedAt === 'number' &&
    Array.isArray(s.steps) &&
    s.steps.every((st) => st && typeof st.nodeId === 'string' && Number.isInteger(st.choice) && typeof st.safe === 'boolean')
  );
}

// ---------------------------------------------------------------- internals

type Located =
  | { kind: 'node'; s: Scenario; node: ScenarioNode }
  | Extract<ChoiceResult, { kind: 'stale' | 'finished' }>;

function locate(content: Pick<LearningContent, 'scenarioById'>, state: PlayState): Located {
  if (!isPlayState(state)) {
    const id = typeof (state as { scenarioId?: unknown })?.scenarioId === 'string' ? (state as PlayState).scenarioId : '';
    return {
      kind: 'stale',
      reason: 'invalid',
      scenarioId: id,
      message: '刚才的进度没能读出来，我们换个情景重新开始吧。',
      canRestart: !!id && content.scenarioById.has(id),
    };
  }
  const s = content.scenarioById.get(state.scenarioId);
  if (!s) {
    return {
      kind: 'stale',
      reason: 'removed',
      scenarioId: state.scenarioId,
      message: '你刚才玩的这个情景已经下线了，进度没法接着走。我们换一个新的情景吧。',
      canRestart: false,
    };
  }
  const changed = {
    kind: 'stale' as const,
    reason: 'changed' as const,
    scenarioId: s.id,
    message: `「${s.title}」刚刚更新了内容，旧进度接不上了。我们从头再来一遍吧，只要一两分钟。`,
    canRestart: true,
  };
  if (s.version !== state.version) return changed;
  const ending = s.endings[state.nodeId];
  if (ending) {
    return { kind: 'finished', state, ending: endingView(state.nodeId, ending), message: '这个情景已经结束了，可以再玩一次或者换一个。' };
  }
  const node = s.nodes[state.nodeId];
  // Same version but the node is gone: the file was edited without bumping its version.
  if (!node) return changed;
  return { kind: 'node', s, node };
}

function introOf(s: Scenario): ScenarioIntro {
  return { id: s.id, version: s.version, title: s.title, intro: s.intro, fraudType: s.fraudType, difficulty: s.difficulty };
}

function nodeView(s: Scenario, nodeId: string, step: number): NodeView {
  const n = s.nodes[nodeId];
  return {
    scenarioId: s.id,
    nodeId,
    step,
    bubbles: n.bubbles.map((b) => ({ from: b.from, name: b.name ?? SPEAKER_NAMES[b.from], text: b.text })),
    choices: n.choices.map((c, index) => ({ index, text: c.text })),
  };
}

function endingView(id: string, e: ScenarioEnding): EndingView {
  const v: EndingView = { id, outcome: e.outcome, title: e.title, text: e.text, lesson: e.lesson };
  if (e.loss !== undefined) v.loss = e.loss;
  return v;
}

function summarize(s: Scenario, state: PlayState, now: number): PlaySummary {
  const signals: string[] = [];
  for (const st of state.steps) {
    for (const sig of s.nodes[st.nodeId]?.choices[st.choice]?.signals ?? []) if (!signals.includes(sig)) signals.push(sig);
  }
  return {
    decisions: state.steps.length,
    safeDecisions: state.steps.filter((st) => st.safe).length,
    signals,
    durationMs: Math.max(0, now - state.startedAt),
  };
}

function choiceHint(count: number): string {
  return `没有这个选项哦。请在 1 到 ${count} 之间选一个，回复数字就行。`;
}
