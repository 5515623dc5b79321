import { describe, expect, it } from 'vitest';
import { buildReport, csvCell, reportCsv } from '../../src/classes/report.js';
import type { ClassAnswer, ClassItem, ClassSession, ClassStudent, Phase } from '../../src/classes/types.js';
import type { FraudTypeId } from '../../src/content/schema.js';

const T0 = Date.UTC(2025, 2, 3, 1);
const item = (id: string, fraudType: FraudTypeId): ClassItem => ({ id, version: 1, fraudType, difficulty: 1, kind: 'scam-or-not', prompt: `题目${id}`, options: ['是诈骗', '不是诈骗'], correct: 0, explain: '讲解' });

function session(over: Partial<ClassSession> = {}): ClassSession {
  return {
    id: 1,
    code: 'ABC234',
    teacherKey: 'k'.repeat(64),
    audience: 'middle',
    spec: { audience: 'middle', types: 'top', count: 4, prePost: true },
    items: [item('q1', 'order-brushing'), item('q2', 'loan-credit'), item('q3', 'order-brushing'), item('q4', 'other')],
    testItems: [item('t1', 'order-brushing'), item('t2', 'loan-credit')],
    createdAt: T0,
    expiresAt: T0 + 3 * 3_600_000,
    closedAt: null,
    postOpenedAt: T0 + 1_800_000,
    ...over,
  };
}

/** Answers as 1 (right) / 0 (wrong) per phase, in item order; the chosen option follows from it. */
function answersOf(studentId: number, given: Partial<Record<Phase, number[]>>): ClassAnswer[] {
  const out: ClassAnswer[] = [];
  for (const phase of ['pre', 'main', 'post'] as Phase[]) {
    (given[phase] ?? []).forEach((right, index) => {
      out.push({ studentId, phase, index, questionId: `${phase}${index}`, fraudType: 'order-brushing', chosen: right ? 0 : 1, correct: right === 1, at: T0 + out.length });
    });
  }
  return out;
}

const students: ClassStudent[] = [
  { id: 1, sessionId: 1, nickname: 'alpha', joinedAt: T0 },
  { id: 2, sessionId: 1, nickname: 'beta', joinedAt: T0 },
  { id: 3, sessionId: 1, nickname: 'gamma', joinedAt: T0 },
  { id: 4, sessionId: 1, nickname: 'delta', joinedAt: T0 },
];
const answers = [
  ...answersOf(1, { pre: [1, 0], main: [1, 1, 0, 1], post: [1, 1] }),
  ...answersOf(2, { pre: [0, 0], main: [1, 0, 0, 1], post: [1, 0] }),
  ...answersOf(3, { pre: [1, 1], main: [0] }),
];

describe('the class report', () => {
  const r = buildReport(session(), students, answers, T0 + 3_600_000);

  it('when four joined, three started and two finished, then participation and the average over finishers are right', () => {
    expect(r).toMatchObject({ status: 'open', joined: 4, started: 3, finished: 2, questionCount: 4, averageScore: 2.5, averageRate: 0.625 });
  });

  it("when answers are counted, then each question's correct rate and option counts match what was answered", () => {
    expect(r.questions.map((q) => [q.correct, q.answered])).toEqual([
      [2, 3],
      [1, 2],
      [0, 2],
      [2, 2],
    ]);
    expect(r.questions.map((q) => q.rate)).toEqual([2 / 3, 0.5, 0, 1]);
    expect(r.questions[0].choices).toEqual([2, 1]);
  });

  it('when types are ranked, then the weakest come first and only those under 80% are called weak', () => {
    expect(r.types.map((t) => [t.fraudType, t.correct, t.answered])).toEqual([
      ['order-brushing', 2, 5],
      ['loan-credit', 1, 2],
      ['other', 2, 2],
    ]);
    expect(r.weakest.map((t) => t.fraudType)).toEqual(['order-brushing', 'loan-credit']);
  });

  it('when two students took both tests, then the gain is measured on them only', () => {
    expect(r.prePost).toMatchObject({ items: 2, pairs: 2, preTakers: 3, preRate: 0.25, postRate: 0.75, gain: 0.5, postOpen: true });
    expect(r.prePost!.perItem.map((p) => [p.preRate, p.postRate])).toEqual([
      [2 / 3, 1],
      [1 / 3, 0.5],
    ]);
  });

  it("when students are listed, then each nickname's score, tests and marks are shown, best first", () => {
    expect(r.students.map((s) => [s.nickname, s.score, s.answered, s.finished, s.pre, s.post])).toEqual([
      ['alpha', 3, 4, true, 1, 2],
      ['beta', 2, 4, true, 0, 1],
      ['delta', 0, 0, false, null, null],
      ['gamma', 0, 1, false, 2, null],
    ]);
    expect(r.students[0].marks).toEqual([true, true, false, true]);
    expect(r.students[3].marks).toEqual([false, null, null, null]);
  });

  it('when nobody has finished, then there is no average and no gain rather than a zero', () => {
    const empty = buildReport(session({ closedAt: T0 + 10 }), students.slice(3), [], T0 + 20);
    expect(empty).toMatchObject({ status: 'closed', joined: 1, finished: 0, averageScore: null, averageRate: null, weakest: [] });
    expect(empty.prePost).toMatchObject({ pairs: 0, gain: null });
  });

  it('when random classes are generated, then every number equals a straightforward recount of the answers', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let round = 0; round < 20; round++) {
      const s = session({ testItems: [] });
      const st: ClassStudent[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, sessionId: 1, nickname: `n${i}`, joinedAt: T0 }));
      const given = st.map((x) => ({ id: x.id, main: Array.from({ length: Math.floor(rnd() * 5) }, (): number => (rnd() < 0.6 ? 1 : 0)) }));
      const rep = buildReport(s, st, given.flatMap((g) => answersOf(g.id, { main: g.main })), T0);
      const finished = given.filter((g) => g.main.length === 4);
      expect(rep.finished).toBe(finished.length);
      const avg = finished.length ? finished.reduce((n, g) => n + g.main.reduce((a, b) => a + b, 0), 0) / finished.length : null;
      if (avg === null) expect(rep.averageScore).toBeNull();
      else expect(rep.averageScore).toBeCloseTo(avg, 10);
      for (let q = 0; q < 4; q++) {
        const got = given.filter((g) => g.main.length > q);
        expect(rep.questions[q].answered).toBe(got.length);
        expect(rep.questions[q].correct).toBe(got.filter((g) => g.main[q] === 1).length);
      }
      expect(rep.students.reduce((n, x) => n + x.score, 0)).toBe(given.reduce((n, g) => n + g.main.reduce((a, b) => a + b, 0), 0));
    }
  });

  it('when the report is exported, then the CSV has one row per nickname, 1/0 per question and a rate row, and opens in Excel', () => {
    const csv = reportCsv(r);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('昵称,得分,已答,题数,完成,课前小测,课后小测,第1题,第2题,第3题,第4题');
    expect(lines[1]).toBe('alpha,3,4,4,是,1,2,1,1,0,1');
    expect(lines[4]).toBe('gamma,0,1,4,否,2,,0,,,');
    expect(lines[5]).toBe('正确率%,,,,,25.0,75.0,66.7,50.0,0.0,100.0');
  });

  it('when a cell starts like a formula or holds a comma or quote, then it is neutralised and quoted', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('@cmd')).toBe(`"'@cmd"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
  });
});
