/**
 * The class report, computed from the answers as stored: participation, scores, each
 * question's correct rate, the weakest fraud types, pre/post gain and each nickname's score.
 * Pure: the store hands in rows, the chat, the web page and the CSV render the same numbers.
 */
import type { FraudTypeId } from '../content/schema.js';
import { emptyAnswered, finishedMain, sessionStatus, type SessionStatus } from './session.js';
import type { Audience, ClassAnswer, ClassSession, ClassStudent, Phase } from './types.js';

export interface QuestionStat {
  index: number;
  id: string;
  fraudType: FraudTypeId;
  prompt: string;
  answered: number;
  correct: number;
  /** correct / answered, or null when nobody answered. */
  rate: number | null;
  /** How many chose each option. */
  choices: number[];
  options: string[];
  correctOption: number;
}

export interface TypeStat {
  fraudType: FraudTypeId;
  answered: number;
  correct: number;
  rate: number;
}

export interface StudentRow {
  nickname: string;
  joinedAt: number;
  /** Main quiz: right answers, answers given, questions in the quiz. */
  score: number;
  answered: number;
  total: number;
  finished: boolean;
  /** Pre-test and post-test right answers (null when not taken in full). */
  pre: number | null;
  post: number | null;
  /** Per main question: true/false, or null when not answered. */
  marks: (boolean | null)[];
}

export interface PrePostStat {
  items: number;
  /** Students who took both tests in full (the gain is measured on them only). */
  pairs: number;
  /** Mean share correct, 0..1, over the pairs. */
  preRate: number | null;
  postRate: number | null;
  /** postRate − preRate (in share points, −1..1). */
  gain: number | null;
  /** Pre-test takers, including those without a post-test yet. */
  preTakers: number;
  postOpen: boolean;
  perItem: { index: number; id: string; fraudType: FraudTypeId; prompt: string; preRate: number | null; postRate: number | null }[];
}

export interface ClassReport {
  code: string;
  audience: Audience;
  status: SessionStatus;
  createdAt: number;
  expiresAt: number;
  closedAt: number | null;
  questionCount: number;
  joined: number;
  /** Students who answered every main question. */
  finished: number;
  /** Students who answered at least one main question. */
  started: number;
  /** Mean right answers among finished students (null when nobody finished). */
  averageScore: number | null;
  /** averageScore / questionCount. */
  averageRate: number | null;
  questions: QuestionStat[];
  /** Fraud types, weakest (lowest correct rate) first; only types with answers. */
  types: TypeStat[];
  /** Up to three weakest types with a correct rate below 80%. */
  weakest: TypeStat[];
  prePost: PrePostStat | null;
  /** Highest score first, then nickname. */
  students: StudentRow[];
}

/** What counts as "needs more work" in the weakest-types list. */
export const WEAK_BELOW = 0.8;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function buildReport(session: ClassSession, students: readonly ClassStudent[], answers: readonly ClassAnswer[], now: number): ClassReport {
  const byStudent = new Map<number, ClassAnswer[]>();
  for (const s of students) byStudent.set(s.id, []);
  for (const a of answers) byStudent.get(a.studentId)?.push(a);

  const questions: QuestionStat[] = session.items.map((q, index) => ({
    index,
    id: q.id,
    fraudType: q.fraudType,
    prompt: q.prompt,
    answered: 0,
    correct: 0,
    rate: null,
    choices: q.options.map(() => 0),
    options: q.options,
    correctOption: q.correct,
  }));
  const typeTally = new Map<FraudTypeId, { answered: number; correct: number }>();
  const n = session.items.length;
  const t = session.testItems.length;
  const preItem = session.testItems.map(() => ({ pre: [0, 0], post: [0, 0] }));

  const rows: StudentRow[] = [];
  let started = 0;
  let pairs = 0;
  let preTakers = 0;
  let preSum = 0;
  let postSum = 0;
  for (const s of students) {
    const mine = byStudent.get(s.id) ?? [];
    const answered = emptyAnswered() as Record<Phase, Set<number>>;
    const marks: (boolean | null)[] = session.items.map(() => null);
    let score = 0;
    let pre = 0;
    let post = 0;
    for (const a of mine) {
      if (answered[a.phase].has(a.index)) continue; // stored once; defensive
      answered[a.phase].add(a.index);
      if (a.phase === 'main') {
        const q = questions[a.index];
        if (!q) continue;
        q.answered++;
        if (a.correct) q.correct++;
        if (a.chosen >= 0 && a.chosen < q.choices.length) q.choices[a.chosen]++;
        marks[a.index] = a.correct;
        if (a.correct) score++;
        const tt = typeTally.get(q.fraudType) ?? { answered: 0, correct: 0 };
        tt.answered++;
        if (a.correct) tt.correct++;
        typeTally.set(q.fraudType, tt);
      } else if (a.index < t) {
        const cell = preItem[a.index][a.phase];
        cell[1]++;
        if (a.correct) cell[0]++;
        if (a.correct && a.phase === 'pre') pre++;
        if (a.correct && a.phase === 'post') post++;
      }
    }
    if (answered.main.size) started++;
    const tookPre = t > 0 && answered.pre.size >= t;
    const tookPost = t > 0 && answered.post.size >= t;
    if (tookPre) preTakers++;
    if (tookPre && tookPost) {
      pairs++;
      preSum += pre / t;
      postSum += post / t;
    }
    rows.push({
      nickname: s.nickname,
      joinedAt: s.joinedAt,
      score,
      answered: answered.main.size,
      total: n,
      finished: finishedMain(session, answered),
      pre: tookPre ? pre : null,
      post: tookPost ? post : null,
      marks,
    });
  }
  for (const q of questions) q.rate = ratio(q.correct, q.answered);
  const types: TypeStat[] = [...typeTally.entries()]
    .map(([fraudType, v]) => ({ fraudType, answered: v.answered, correct: v.correct, rate: v.correct / v.answered }))
    .sort((a, b) => a.rate - b.rate || b.answered - a.answered);
  const finishedRows = rows.filter((r) => r.finished);
  const averageScore = finishedRows.length ? finishedRows.reduce((s, r) => s + r.score, 0) / finishedRows.length : null;
  rows.sort((a, b) => b.score - a.score || a.nickname.localeCompare(b.nickname, 'zh-CN'));

  const prePost: PrePostStat | null = t
    ? {
        items: t,
        pairs,
        preRate: pairs ? preSum / pairs : null,
        postRate: pairs ? postSum / pairs : null,
        gain: pairs ? (postSum - preSum) / pairs : null,
        preTakers,
        postOpen: session.postOpenedAt !== null,
        perItem: session.testItems.map((q, index) => ({
          index,
          id: q.id,
          fraudType: q.fraudType,
          prompt: q.prompt,
          preRate: ratio(preItem[index].pre[0], preItem[index].pre[1]),
          postRate: ratio(preItem[index].post[0], preItem[index].post[1]),
        })),
      }
    : null;

  return {
    code: session.code,
    audience: session.audience,
    status: sessionStatus(session, now),
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    closedAt: session.closedAt,
    questionCount: n,
    joined: students.length,
    finished: finishedRows.length,
    started,
    averageScore,
    averageRate: averageScore === null || n === 0 ? null : averageScore / n,
    questions,
    types,
    weakest: types.filter((x) => x.rate < WEAK_BELOW).slice(0, 3),
    prePost,
    students: rows,
  };
}

/** A CSV cell: quoted, and never starting a formula when opened in a spreadsheet. */
export function csvCell(v: string | number | boolean | null | undefined): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

const pct = (r: number | null) => (r === null ? '' : (r * 100).toFixed(1));

/**
 * One table a spreadsheet opens as is: a row per nickname with the score and a 1/0 per
 * question, and a last row with each question's correct rate. UTF-8 with BOM (Excel).
 */
export function reportCsv(r: ClassReport): string {
  const qCols = r.questions.map((q) => `第${q.index + 1}题`);
  const head = ['昵称', '得分', '已答', '题数', '完成', ...(r.prePost ? ['课前小测', '课后小测'] : []), ...qCols];
  const lines = [csvLine(head)];
  for (const s of r.students) {
    lines.push(
      csvLine([
        s.nickname,
        s.score,
        s.answered,
        s.total,
        s.finished ? '是' : '否',
        ...(r.prePost ? [s.pre ?? '', s.post ?? ''] : []),
        ...s.marks.map((m) => (m === null ? '' : m ? 1 : 0)),
      ]),
    );
  }
  lines.push(csvLine(['正确率%', '', '', '', '', ...(r.prePost ? [pct(r.prePost.preRate), pct(r.prePost.postRate)] : []), ...r.questions.map((q) => pct(q.rate))]));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
