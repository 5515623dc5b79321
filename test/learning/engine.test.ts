import { describe, expect, it } from 'vitest';
import {
  applyChoice,
  isPlayState,
  learningContent,
  parseChoice,
  resumeScenario,
  startScenario,
  type ChoiceResult,
  type PlayState,
} from '../../src/learning/index.js';
import { MIN, T0, scenario } from './fixtures.js';

const base = scenario('call-center', 'fake-customer-service', { version: 3 });
const content = learningContent({ scenarios: [base] });

function started(): PlayState {
  const r = startScenario(content, 'call-center', T0);
  if (r.kind !== 'started') throw new Error('not started');
  return r.state;
}

function expectKind<K extends ChoiceResult['kind']>(r: ChoiceResult, kind: K): Extract<ChoiceResult, { kind: K }> {
  expect(r.kind).toBe(kind);
  return r as Extract<ChoiceResult, { kind: K }>;
}

describe('when a resident starts a scenario', () => {
  it('then they see the intro, the first bubbles with speaker names, and numbered choices', () => {
    const r = startScenario(content, 'call-center', T0);
    expect(r.kind).toBe('started');
    if (r.kind !== 'started') return;
    expect(r.scenario).toMatchObject({ id: 'call-center', version: 3, title: '情景call-center', fraudType: 'fake-customer-service' });
    expect(r.node.step).toBe(1);
    expect(r.node.bubbles).toEqual([
      { from: 'narrator', name: '旁白', text: '晚上八点，手机响了。' },
      { from: 'scammer', name: '客服小王', text: '您好，我是平台客服。' },
    ]);
    expect(r.node.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(r.state).toEqual({ scenarioId: 'call-center', version: 3, nodeId: 'n1', steps: [], startedAt: T0 });
  });

  it('then an unknown scenario id is reported as unavailable, not thrown', () => {
    const r = startScenario(content, 'nope', T0);
    expect(r).toMatchObject({ kind: 'unavailable', reason: 'removed', scenarioId: 'nope' });
    if (r.kind === 'unavailable') expect(r.message).toMatch(/下线/);
  });
});

describe('when a resident makes choices', () => {
  it('then a risky choice gives feedback and the next node, and the state stays plain JSON', () => {
    const r = expectKind(applyChoice(content, started(), 1, T0 + MIN), 'next');
    expect(r.feedback).toEqual({ index: 1, text: '听他继续说', feedback: '有风险：对方身份还没核实。', safe: false, signals: [] });
    expect(r.node).toMatchObject({ nodeId: 'n2', step: 2 });
    expect(r.node.choices).toHaveLength(3);
    expect(r.state.steps).toEqual([{ nodeId: 'n1', choice: 1, safe: false }]);
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
  });

  it('then the safe path ends with the scam avoided and a correct record with id and version', () => {
    let s = started();
    s = expectKind(applyChoice(content, s, 1, T0 + MIN), 'next').state;
    const end = expectKind(applyChoice(content, s, 1, T0 + 2 * MIN), 'ended');
    expect(end.ending).toMatchObject({ id: 'safe', outcome: 'avoided', title: '躲过了' });
    expect(end.ending.loss).toBeUndefined();
    expect(end.record).toEqual({ kind: 'scenario', itemId: 'call-center', version: 3, fraudType: 'fake-customer-service', correct: true, at: T0 + 2 * MIN });
    expect(end.summary).toEqual({ decisions: 2, safeDecisions: 1, signals: ['screen-sharing'], durationMs: 2 * MIN });
    expect(end.state.nodeId).toBe('safe');
  });

  it('then the risky path ends with money lost, the loss amount and every signal met', () => {
    let s = started();
    s = expectKind(applyChoice(content, s, 1, T0), 'next').state;
    s = expectKind(applyChoice(content, s, 0, T0), 'next').state;
    const end = expectKind(applyChoice(content, s, 0, T0 + 5 * MIN), 'ended');
    expect(end.ending).toMatchObject({ id: 'lost', outcome: 'lost', loss: 38000 });
    expect(end.record.correct).toBe(false);
    expect(end.summary.signals).toEqual(['screen-sharing', 'meeting-app', 'verification-code']);
    expect(end.summary.safeDecisions).toBe(0);
  });

  it.each([[2], [-1], [1.5], [Number.NaN], [99]])('then an unknown choice %s is refused politely and nothing changes', (pick) => {
    const s = started();
    const r = expectKind(applyChoice(content, s, pick, T0), 'refused');
    expect(r.reason).toBe('unknown-choice');
    expect(r.state).toBe(s);
    expect(r.node.nodeId).toBe('n1');
    expect(r.message).toMatch(/1 到 2/);
  });

  it('then choosing again after the ending says it is finished', () => {
    const end = expectKind(applyChoice(content, started(), 0, T0), 'ended');
    const again = expectKind(applyChoice(content, end.state, 0, T0), 'finished');
    expect(again.ending.id).toBe('safe');
  });
});

describe('when the scenario changes after the resident started it', () => {
  it('then a removed scenario is explained and cannot be restarted', () => {
    const s = started();
    const r = expectKind(applyChoice(learningContent({}), s, 0, T0), 'stale');
    expect(r).toMatchObject({ reason: 'removed', scenarioId: 'call-center', canRestart: false });
    expect(r.message).toMatch(/下线/);
    expect(resumeScenario(learningContent({}), s)).toMatchObject({ kind: 'stale', reason: 'removed' });
  });

  it('then a new version is explained, offered as a restart, and restarting works', () => {
    const s = started();
    const v4 = learningContent({ scenarios: [scenario('call-center', 'fake-customer-service', { version: 4 })] });
    const r = expectKind(applyChoice(v4, s, 0, T0), 'stale');
    expect(r).toMatchObject({ reason: 'changed', canRestart: true });
    expect(r.message).toMatch(/更新/);
    const again = startScenario(v4, r.scenarioId, T0);
    expect(again.kind === 'started' && again.state.version).toBe(4);
  });

  it('then a node that vanished without a version bump is treated as changed, never stuck', () => {
    const edited = scenario('call-center', 'fake-customer-service', { version: 3 });
    delete (edited.nodes as Record<string, unknown>).n2;
    edited.nodes.n1.choices[1].next = 'safe';
    const s: PlayState = { ...started(), nodeId: 'n2', steps: [{ nodeId: 'n1', choice: 1, safe: false }] };
    expect(applyChoice(learningContent({ scenarios: [edited] }), s, 0, T0)).toMatchObject({ kind: 'stale', reason: 'changed', canRestart: true });
  });

  it('then an unreadable saved state is reported as invalid', () => {
    for (const bad of [null, {}, { scenarioId: 'call-center' }, 'x', { ...started(), steps: 'no' }]) {
      const r = applyChoice(content, bad as unknown as PlayState, 0, T0);
      expect(r).toMatchObject({ kind: 'stale', reason: 'invalid' });
    }
    expect(isPlayState(started())).toBe(true);
  });
});

describe('when a resident comes back to a scenario', () => {
  it('then resume shows the node they stopped at', () => {
    const s = expectKind(applyChoice(content, started(), 1, T0), 'next').state;
    const r = resumeScenario(content, JSON.parse(JSON.stringify(s)));
    expect(r).toMatchObject({ kind: 'node', node: { nodeId: 'n2', step: 2 } });
  });
});

describe('when a resident types a choice', () => {
  it.each([
    ['1', 0],
    ['2', 1],
    [' 3 ', 2],
    ['２', 1],
    ['b', 1],
    ['Ｃ', 2],
    ['二', 1],
    ['选2', 1],
    ['第3个', 2],
    ['1。', 0],
  ])('then %j is choice %i', (input, want) => {
    expect(parseChoice(input, 3)).toBe(want);
  });

  it.each(['0', '4', 'd', '五', '', '好的', '12', '1 2'])('then %j is not a choice of three', (input) => {
    expect(parseChoice(input, 3)).toBeUndefined();
  });

  it('then a tapped button number is 1-based', () => {
    expect(parseChoice(1, 2)).toBe(0);
    expect(parseChoice(3, 2)).toBeUndefined();
  });
});
