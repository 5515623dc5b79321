/**
 * Class quiz sessions in the chat (the ClassPort the conversation asks first on every turn).
 *
 * Teacher: "开设课堂" → audience → fraud types → number of questions → pre/post test → a join
 * code, a join link and its QR code, and a private report link. "课堂进度", "结束课堂",
 * "开放课后小测", "课堂报告" work any time after.
 * Student: "加入 CODE" → nickname → the questions in order, one attempt each, feedback after
 * each → final score. Progress lives in the store, so a student who reloads the page and
 * joins again carries on where they were.
 *
 * The rules and numbers are in src/classes (pure); this file only talks and saves.
 */
import QRCode from 'qrcode';
import { z } from 'zod';
import {
  AUDIENCES,
  AttemptLimiter,
  QUESTION_COUNTS,
  availableTypes,
  buildReport,
  displayCode,
  expiryFor,
  itemsOf,
  nextStep,
  parseJoinCommand,
  selectQuizSet,
  sessionStatus,
  validateNickname,
  type ClassItem,
  type ClassReport,
  type ClassSession,
  type ClassStudent,
  type Phase,
  type QuizSpec,
} from '../classes/index.js';
import type { Content } from '../content/load.js';
import { FRAUD_TYPE_IDS, type FraudTypeId } from '../content/schema.js';
import { parseQuizAnswer } from '../learning/quiz.js';
import type { Logger } from '../log.js';
import { createClassRepo, type ClassRepo } from '../store/classes.js';
import type { Store } from '../store/types.js';
import { commandFromText, numberFromText, parseAction, yesNoFromText, type Action } from './actions.js';
import { classZh as C } from './class-strings.zh.js';
import { menuButtons } from './menus.js';
import { text, type Button, type Reply } from './replies.js';
import type { ClassInput, ClassOutput, ClassPort } from './services.js';

type ClassAction = Extract<Action, { a: 'class' }>;

// ------------------------------------------------------------------ state kept between turns
const stateSchema = z.discriminatedUnion('r', [
  z.object({
    r: z.literal('setup'),
    step: z.enum(['audience', 'types', 'count', 'prepost']),
    audience: z.enum(AUDIENCES).optional(),
    types: z.union([z.literal('top'), z.array(z.enum(FRAUD_TYPE_IDS))]).optional(),
    count: z.number().int().min(1).max(20).optional(),
  }),
  z.object({ r: z.literal('teacher'), sid: z.number().int() }),
  z.object({ r: z.literal('nick'), sid: z.number().int() }),
  z.object({ r: z.literal('student'), sid: z.number().int(), st: z.number().int() }),
]);
export type ClassState = z.infer<typeof stateSchema>;
type Setup = Extract<ClassState, { r: 'setup' }>;

function readState(raw: unknown): ClassState | undefined {
  const r = stateSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

// ------------------------------------------------------------------ words
const NEW_CLASS = /^(开设课堂|开课|开个课堂|创建课堂|新建课堂|开一个课堂|开堂课)$/;
const PROGRESS = /^(课堂进度|课堂情况|班级进度)$/;
const CLOSE = /^(结束课堂|关闭课堂|收卷|下课)$/;
const REPORT = /^(课堂报告|班级报告)$/;
const OPEN_POST = /^(开放课后小测|开放后测|开始后测)$/;
const POST_WORD = /^(后测|课后小测|做后测)$/;

const TIME_FMT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
/** "11月21日 19:30" in China time. */
function when(ms: number): string {
  const p = Object.fromEntries(TIME_FMT.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}

const cls = (op: ClassAction['op'], extra: Omit<ClassAction, 'a' | 'op'> = {}): ClassAction => ({ a: 'class', op, ...extra });

export interface ClassFlowDeps {
  store: Store;
  content(): Content;
  /** CLASS_SESSION_HOURS. */
  sessionHours: number;
  /** PUBLIC_URL, or http://localhost:PORT once the server listens. No trailing slash. */
  baseUrl(): string;
  log: Logger;
  /** Wrong join codes per user: 5 per 10 minutes by default. */
  limiter?: AttemptLimiter;
  rng?: () => number;
}

export interface ClassFlow extends ClassPort {
  readonly repo: ClassRepo;
}

export function createClassFlow(deps: ClassFlowDeps): ClassFlow {
  const repo = createClassRepo(deps.store);
  const limiter = deps.limiter ?? new AttemptLimiter(5, 10 * 60_000);
  const base = () => deps.baseUrl().replace(/\/+$/, '');
  const joinLink = (code: string) => `${base()}/?join=${code}`;
  const reportLink = (token: string) => `${base()}/class-report/${token}`;
  const typeName = (t: FraudTypeId) => deps.content().fraudTypeById.get(t)?.name.zh ?? t;

  // ---------------------------------------------------------------- teacher: set-up steps
  function setupButtons(s: Setup): Button[] {
    switch (s.step) {
      case 'audience':
        return AUDIENCES.map((a) => ({ title: C.audience[a], value: cls('audience', { v: a }) }));
      case 'types': {
        const chosen = Array.isArray(s.types) ? s.types : [];
        const types = availableTypes(deps.content(), s.audience ?? 'middle');
        return [
          { title: C.topTypes, value: cls('top') },
          ...types.map((t) => ({ title: `${chosen.includes(t) ? '✓ ' : ''}${typeName(t)}`, value: cls('type', { v: t }) })),
          ...(chosen.length ? [{ title: C.typesDone, value: cls('types-done') }] : []),
        ];
      }
      case 'count':
        return QUESTION_COUNTS.map((n) => ({ title: C.countButton(n), value: cls('count', { v: String(n) }) }));
      case 'prepost':
        return [
          { title: C.prePostYes, value: cls('prepost', { v: 'yes' }) },
          { title: C.prePostNo, value: cls('prepost', { v: 'no' }) },
        ];
    }
  }

  function setupPrompt(s: Setup, lead?: string): ClassOutput {
    const ask = { audience: C.askAudience, types: C.askTypes, count: C.askCount, prepost: C.askPrePost }[s.step];
    const chosen = s.step === 'types' && Array.isArray(s.types) ? `\n\n${C.typesChosen(s.types.map(typeName))}` : '';
    const card: Reply = { kind: 'card', title: C.setupTitle, text: `${ask}${chosen}`, buttons: setupButtons(s) };
    return { replies: { replies: lead ? [text(lead), card] : [card] }, state: s };
  }

  /** Typed input during set-up: a button title (with or without ✓), its number, or words. */
  function typedSetupAction(s: Setup, raw: string): ClassAction | undefined {
    const buttons = setupButtons(s);
    const t = raw.trim();
    const byTitle = buttons.find((b) => b.title === t || b.title.replace(/^✓ /, '') === t);
    if (byTitle) return byTitle.value as ClassAction;
    if (s.step === 'audience') {
      if (/小学/.test(t)) return cls('audience', { v: 'primary' });
      if (/初中|高中|中学|中职|职高/.test(t)) return cls('audience', { v: 'middle' });
      if (/大学|大专|高校|本科|研究生|高职/.test(t)) return cls('audience', { v: 'university' });
    }
    if (s.step === 'types' && /最常见|常见|推荐/.test(t)) return cls('top');
    if (s.step === 'types' && /^(好了|选好了|完成|确定|就这些)$/.test(t)) return cls('types-done');
    if (s.step === 'count') {
      const m = /^(\d{1,2})\s*(道|题|道题)?$/.exec(t.normalize('NFKC'));
      if (m) {
        const n = Number(m[1]);
        if (m[2] || n > buttons.length) return n >= 3 && n <= 20 ? cls('count', { v: String(n) }) : undefined;
      }
    }
    if (s.step === 'prepost') {
      const yes = yesNoFromText(t);
      if (yes !== undefined) return cls('prepost', { v: yes ? 'yes' : 'no' });
    }
    const n = numberFromText(t);
    if (n !== undefined && buttons[n]) return buttons[n].value as ClassAction;
    return undefined;
  }

  async function setupStep(s: Setup, act: ClassAction | undefined, input: ClassInput): Promise<ClassOutput> {
    if (!act) return setupPrompt(s, C.setupUnclear);
    switch (act.op) {
      case 'audience': {
        const a = AUDIENCES.find((x) => x === act.v);
        if (!a) return setupPrompt(s, C.setupUnclear);
        return setupPrompt({ r: 'setup', step: 'types', audience: a });
      }
      case 'top':
        if (!s.audience) return setupPrompt({ r: 'setup', step: 'audience' });
        return setupPrompt({ ...s, step: 'count', types: 'top' });
      case 'type': {
        if (!s.audience) return setupPrompt({ r: 'setup', step: 'audience' });
        const t = FRAUD_TYPE_IDS.find((x) => x === act.v);
        if (!t || !availableTypes(deps.content(), s.audience).includes(t)) return setupPrompt({ ...s, step: 'types' }, C.setupUnclear);
        const prev = Array.isArray(s.types) ? s.types : [];
        const types = prev.includes(t) ? prev.filter((x) => x !== t) : [...prev, t];
        return setupPrompt({ ...s, step: 'types', types });
      }
      case 'types-done':
        if (!s.audience) return setupPrompt({ r: 'setup', step: 'audience' });
        if (!Array.isArray(s.types) || !s.types.length) return setupPrompt({ ...s, step: 'types' }, C.typesNeedOne);
        return setupPrompt({ ...s, step: 'count' });
      case 'count': {
        const n = Number(act.v);
        if (!s.audience || !s.types) return setupPrompt({ r: 'setup', step: 'audience' });
        if (!Number.isInteger(n) || n < 1 || n > 20) return setupPrompt({ ...s, step: 'count' }, C.setupUnclear);
        return setupPrompt({ ...s, step: 'prepost', count: n });
      }
      case 'prepost': {
        if (!s.audience || !s.types || !s.count) return setupPrompt({ r: 'setup', step: 'audience' });
        if (act.v !== 'yes' && act.v !== 'no') return setupPrompt({ ...s, step: 'prepost' }, C.setupUnclear);
        return createSession({ audience: s.audience, types: s.types, count: s.count, prePost: act.v === 'yes' }, input);
      }
      default:
        return setupPrompt(s, C.setupUnclear);
    }
  }

  async function createSession(spec: QuizSpec, input: ClassInput): Promise<ClassOutput> {
    const set = selectQuizSet(deps.content(), spec, deps.rng);
    if (!set.items.length) return setupPrompt({ r: 'setup', step: 'types', audience: spec.audience }, C.noQuestions);
    const now = input.now;
    const { session, reportToken } = await repo.create({
      teacherKey: input.userKey,
      spec,
      items: set.items,
      testItems: set.testItems,
      now,
      expiresAt: expiryFor(now, deps.sessionHours),
    });
    const link = joinLink(session.code);
    const qr = await QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
    deps.log.info({ session: session.id, audience: spec.audience, items: set.items.length, prePost: spec.prePost }, 'class session opened');
    const summary = C.createdSet(C.audience[spec.audience], set.items.length, set.types.map(typeName), spec.prePost);
    return {
      replies: {
        replies: [
          {
            kind: 'card',
            title: C.createdTitle,
            subtitle: summary,
            text: C.created(displayCode(session.code), link, when(session.expiresAt), deps.sessionHours) + (set.short ? `\n${C.shortSet(set.items.length)}` : ''),
            tone: 'good',
          },
          { kind: 'image', url: qr, alt: C.qrAlt(session.code) },
          teacherCard(session, C.teacherCard(reportLink(reportToken)) + (spec.prePost ? `\n\n${C.teacherCardPrePost}` : '')),
        ],
      },
      state: { r: 'teacher', sid: session.id },
    };
  }

  function teacherButtons(session: ClassSession, now: number): Button[] {
    const open = sessionStatus(session, now) === 'open';
    return [
      { title: C.progressBtn, value: cls('progress') },
      ...(open && session.testItems.length && session.postOpenedAt === null ? [{ title: C.postBtn, value: cls('post') }] : []),
      ...(open ? [{ title: C.closeBtn, value: cls('close') }] : []),
      { title: C.reportBtn, value: cls('report') },
    ];
  }

  function teacherCard(session: ClassSession, body: string, now = session.createdAt): Reply {
    return { kind: 'card', title: C.teacherTitle, subtitle: displayCode(session.code), text: body, buttons: teacherButtons(session, now), tone: 'info' };
  }

  /** The session a teacher's command is about: the one in their state, else their newest. */
  async function teacherSession(state: ClassState | undefined, userKey: string, now: number): Promise<ClassSession | undefined> {
    if (state?.r === 'teacher') {
      const s = await repo.byId(state.sid);
      if (s && s.teacherKey === userKey) return s;
    }
    return (await repo.latestOpen(userKey, now)) ?? (await repo.latest(userKey));
  }

  async function teacherCommand(op: 'progress' | 'close' | 'report' | 'post' | 'link', state: ClassState | undefined, input: ClassInput): Promise<ClassOutput> {
    const now = input.now;
    const session = await teacherSession(state, input.userKey, now);
    if (!session) return { replies: { replies: [text(C.noSession)], suggestions: menuButtons() }, state: undefined };
    const keep: ClassState = { r: 'teacher', sid: session.id };
    const status = sessionStatus(session, now);
    switch (op) {
      case 'progress': {
        const p = await repo.progress(session.id);
        const lines = [C.progress(p.joined, p.finished)];
        if (session.testItems.length) lines.push(C.progressPrePost(p.preDone, p.postDone, session.postOpenedAt !== null));
        lines.push(status === 'open' ? C.progressStatus.open(when(session.expiresAt)) : C.progressStatus[status]);
        return { replies: { replies: [teacherCard(session, lines.join('\n'), now)] }, state: keep };
      }
      case 'close': {
        if (status !== 'open' || !(await repo.close(session.id, input.userKey, now))) {
          return { replies: { replies: [teacherCard(session, C.alreadyClosed, now)] }, state: keep };
        }
        deps.log.info({ session: session.id }, 'class session closed');
        const closed = (await repo.byId(session.id))!;
        const report = await reportOf(closed, now);
        return {
          replies: { replies: [teacherCard(closed, [C.closed(report.joined, report.finished), '', ...reportLines(report)].join('\n'), now)] },
          state: keep,
        };
      }
      case 'report': {
        const report = await reportOf(session, now);
        return {
          replies: {
            replies: [
              {
                kind: 'card',
                title: C.reportTitle(displayCode(session.code)),
                text: [C.progress(report.joined, report.finished), ...reportLines(report), '', C.reportLinkHint].join('\n'),
                buttons: [...teacherButtons(session, now).filter((b) => (b.value as ClassAction).op !== 'report'), { title: C.newLinkBtn, value: cls('link') }],
              },
            ],
          },
          state: keep,
        };
      }
      case 'post': {
        if (!session.testItems.length || status !== 'open') return { replies: { replies: [teacherCard(session, C.postNotAvailable, now)] }, state: keep };
        const opened = await repo.openPost(session.id, input.userKey, now);
        const fresh = (await repo.byId(session.id))!;
        return { replies: { replies: [teacherCard(fresh, opened ? C.postOpened : C.postAlready, now)] }, state: keep };
      }
      case 'link': {
        const token = await repo.rotateReportToken(session.id, input.userKey);
        if (!token) return { replies: { replies: [text(C.notYourSession)] }, state: keep };
        return { replies: { replies: [teacherCard(session, C.newLink(reportLink(token)), now)] }, state: keep };
      }
    }
  }

  async function reportOf(session: ClassSession, now: number): Promise<ClassReport> {
    const { students, answers } = await repo.reportData(session.id);
    return buildReport(session, students, answers, now);
  }

  function reportLines(r: ClassReport): string[] {
    const lines: string[] = [];
    lines.push(r.averageScore === null ? C.reportNoFinish : C.reportAverage(r.averageScore.toFixed(1), r.questionCount));
    if (r.types.length) lines.push(r.weakest.length ? C.reportWeakest(r.weakest.map((t) => `${typeName(t.fraudType)}（${Math.round(t.rate * 100)}%）`)) : C.reportNoWeak);
    const hardest = r.questions.filter((q) => q.rate !== null).sort((a, b) => a.rate! - b.rate!)[0];
    if (hardest) lines.push(C.reportHardest(hardest.index + 1, Math.round(hardest.rate! * 100)));
    const pp = r.prePost;
    if (pp && pp.pairs && pp.preRate !== null && pp.postRate !== null) lines.push(C.reportGain(Math.round(pp.preRate * 100), Math.round(pp.postRate * 100), pp.pairs));
    return lines;
  }

  // ---------------------------------------------------------------- students
  async function join(code: string | undefined, input: ClassInput): Promise<ClassOutput> {
    const now = input.now;
    const bye = (msg: string): ClassOutput => ({ replies: { replies: [text(msg)], suggestions: menuButtons() }, state: undefined });
    if (!limiter.allowed(input.userKey, now)) {
      return bye(C.joinLimited(Math.max(1, Math.ceil((limiter.retryAt(input.userKey, now) - now) / 60_000))));
    }
    if (!code) return bye(C.joinBadFormat);
    const session = await repo.byCode(code);
    if (!session) {
      const left = limiter.fail(input.userKey, now);
      deps.log.info({ left }, 'class join: unknown code');
      return bye(C.joinNotFound(left));
    }
    const status = sessionStatus(session, now);
    const mine = await repo.student(session.id, input.userKey);
    if (status !== 'open') {
      const msg = status === 'closed' ? C.joinClosed : C.joinExpired;
      if (mine) return finalSummary(session, mine, msg);
      return bye(msg);
    }
    if (mine) return studentNext(session, mine, [text(C.welcomeBack(mine.nickname))]);
    return { replies: { replies: [text(C.askNickname(C.audience[session.audience]))] }, state: { r: 'nick', sid: session.id } };
  }

  async function chooseNickname(sid: number, raw: string, input: ClassInput): Promise<ClassOutput> {
    const session = await repo.byId(sid);
    if (!session) return { replies: { replies: [text(C.joinNotFound(0))], suggestions: menuButtons() }, state: undefined };
    const status = sessionStatus(session, input.now);
    if (status !== 'open') return { replies: { replies: [text(status === 'closed' ? C.joinClosed : C.joinExpired)], suggestions: menuButtons() }, state: undefined };
    const check = validateNickname(raw);
    if (!check.ok) return { replies: { replies: [text(C.nickname[check.reason])] }, state: { r: 'nick', sid } };
    const r = await repo.join(session.id, input.userKey, check.nickname, input.now);
    if (r.kind === 'nickname-taken') return { replies: { replies: [text(C.nickname.taken)] }, state: { r: 'nick', sid } };
    const lead = r.kind === 'returning' ? C.welcomeBack(r.student.nickname) : C.welcomeStudent(r.student.nickname, session.items.length, session.testItems.length > 0);
    return studentNext(session, r.student, [text(lead)]);
  }

  function questionCard(session: ClassSession, phase: Phase, index: number): Reply {
    const items = itemsOf(session, phase);
    const q = items[index];
    const body = q.kind === 'scam-or-not' ? `${C.scamOrNot}\n\n「${q.prompt}」` : `${q.prompt}\n\n${q.options.map((o, i) => `${i + 1}. ${o}`).join('\n')}`;
    return {
      kind: 'card',
      title: C.questionTitle(C.phaseTitle[phase], index + 1, items.length),
      subtitle: phase === 'main' ? typeName(q.fraudType) : undefined,
      text: body,
      buttons: q.options.map((o, i) => ({
        title: q.kind === 'scam-or-not' ? o : `${i + 1}. ${o}`.slice(0, 80),
        value: cls('answer', { p: phase, q: index, i }),
      })),
    };
  }

  async function studentNext(session: ClassSession, student: ClassStudent, lead: Reply[]): Promise<ClassOutput> {
    const answered = await repo.answered(student.id);
    const step = nextStep(session, answered);
    const state: ClassState = { r: 'student', sid: session.id, st: student.id };
    if (step.kind === 'question') {
      const replies = [...lead];
      if (step.phase === 'post' && step.index === 0) replies.push(text(C.postStart));
      replies.push(questionCard(session, step.phase, step.index));
      return { replies: { replies }, state };
    }
    if (step.kind === 'wait-post') {
      // Not kept in class mode while waiting: the student may use the bot, then send "后测".
      const score = (await repo.answersOf(student.id)).filter((a) => a.phase === 'main' && a.correct).length;
      return { replies: { replies: [...lead, text(C.waitPost(score, session.items.length))], suggestions: menuButtons() }, state: undefined };
    }
    return finalSummary(session, student, undefined, lead);
  }

  async function finalSummary(session: ClassSession, student: ClassStudent, note?: string, lead: Reply[] = []): Promise<ClassOutput> {
    const mine = await repo.answersOf(student.id);
    const main = mine.filter((a) => a.phase === 'main');
    const score = main.filter((a) => a.correct).length;
    const lines: string[] = [];
    if (note) lines.push(note);
    if (main.length < session.items.length) lines.push(C.yourScore(score, main.length));
    else lines.push(C.finished(student.nickname, score, session.items.length));
    const t = session.testItems.length;
    const pre = mine.filter((a) => a.phase === 'pre');
    const post = mine.filter((a) => a.phase === 'post');
    if (t && pre.length === t && post.length === t) {
      lines.push(C.finishedPrePost(pre.filter((a) => a.correct).length, post.filter((a) => a.correct).length, t));
    }
    const wrongTypes = [...new Set(main.filter((a) => !a.correct).map((a) => a.fraudType))];
    if (main.length) lines.push(wrongTypes.length ? C.finishedReview(wrongTypes.map(typeName)) : C.finishedAllRight);
    return {
      replies: { replies: [...lead, { kind: 'card', title: C.finishedTitle, text: lines.join('\n'), tone: 'good' }], suggestions: menuButtons() },
      state: undefined,
    };
  }

  async function studentTurn(state: Extract<ClassState, { r: 'student' }>, act: ClassAction | undefined, raw: string, input: ClassInput): Promise<ClassOutput> {
    const session = await repo.byId(state.sid);
    const student = session && (await repo.student(session.id, input.userKey));
    if (!session || !student || student.id !== state.st) return { replies: { replies: [text(C.left)], suggestions: menuButtons() }, state: undefined };
    const now = input.now;
    const status = sessionStatus(session, now);
    if (status !== 'open') return finalSummary(session, student, status === 'closed' ? C.sessionEnded : C.sessionExpired);

    const step = nextStep(session, await repo.answered(student.id));
    if (step.kind === 'wait-post') return { replies: { replies: [text(C.waitPostStill)], suggestions: menuButtons() }, state: undefined };
    if (step.kind === 'finished') return finalSummary(session, student);

    // Which question does this input answer, and with which option?
    const items = itemsOf(session, step.phase);
    const q = items[step.index];
    let chosen: number | undefined;
    if (act?.op === 'answer') {
      if (act.p !== step.phase || act.q !== step.index) {
        const done = act.p && act.q !== undefined && (act.p !== step.phase || act.q < step.index);
        return studentNext(session, student, [text(done ? C.alreadyAnswered : C.staleButton)]);
      }
      chosen = act.i;
    } else if (!act) {
      chosen = parseQuizAnswer({ kind: q.kind, options: q.options }, raw);
    }
    if (chosen === undefined && step.phase === 'post' && step.index === 0) return studentNext(session, student, []);
    if (chosen === undefined || chosen < 0 || chosen >= q.options.length) {
      return { replies: { replies: [text(C.answerUnclear(q.options.length)), questionCard(session, step.phase, step.index)] }, state };
    }
    const correct = chosen === q.correct;
    const write = await repo.answer(
      session.id,
      { studentId: student.id, phase: step.phase, index: step.index, questionId: q.id, fraudType: q.fraudType, chosen, correct, at: now },
      now,
    );
    if (write === 'closed') {
      const fresh = (await repo.byId(session.id)) ?? session;
      return finalSummary(fresh, student, sessionStatus(fresh, now) === 'expired' ? C.sessionExpired : C.sessionEnded);
    }
    if (write === 'duplicate') return studentNext(session, student, [text(C.alreadyAnswered)]);
    if (step.phase === 'main') await recordPersonal(input.userKey, q, correct, now);
    return studentNext(session, student, [feedback(step.phase, q, correct)]);
  }

  /** Class answers also count towards the student's own progress (mastery, review). */
  async function recordPersonal(userKey: string, q: ClassItem, correct: boolean, at: number) {
    try {
      await deps.store.recordAnswer(userKey, { kind: 'question', itemId: q.id, version: q.version, fraudType: q.fraudType, correct, at });
    } catch (err) {
      deps.log.warn({ err: { message: (err as Error).message } }, 'class answer not added to personal progress');
    }
  }

  function feedback(phase: Phase, q: ClassItem, correct: boolean): Reply {
    if (phase !== 'main') return text(C.testNoted);
    return text(`${correct ? C.right : C.wrong(q.options[q.correct])}\n${q.explain}`);
  }

  async function postTest(input: ClassInput): Promise<ClassOutput> {
    const student = await repo.latestStudent(input.userKey, input.now);
    const session = student && (await repo.byId(student.sessionId));
    if (!student || !session) return { replies: { replies: [text(C.noClassForPost)], suggestions: menuButtons() }, state: undefined };
    if (nextStep(session, await repo.answered(student.id)).kind === 'wait-post') {
      return { replies: { replies: [text(C.waitPostStill)], suggestions: menuButtons() }, state: undefined };
    }
    return studentNext(session, student, []);
  }

  // ---------------------------------------------------------------- routing
  type TeacherOp = 'progress' | 'close' | 'report' | 'post' | 'link';
  function typedTeacherOp(raw: string): TeacherOp | undefined {
    if (PROGRESS.test(raw)) return 'progress';
    if (CLOSE.test(raw)) return 'close';
    if (REPORT.test(raw)) return 'report';
    if (OPEN_POST.test(raw)) return 'post';
    return undefined;
  }
  const TEACHER_OPS: readonly string[] = ['progress', 'close', 'report', 'post', 'link'];
  const SETUP_OPS: readonly string[] = ['audience', 'type', 'top', 'types-done', 'count', 'prepost'];
  const leave = (): ClassOutput => ({ replies: { replies: [text(C.left)], suggestions: menuButtons() }, state: undefined });

  return {
    repo,
    async handle(input: ClassInput): Promise<ClassOutput | undefined> {
      const state = readState(input.state);
      const raw = input.text.trim();
      const parsed = input.value !== undefined && input.value !== null ? parseAction(input.value) : undefined;
      const act = parsed?.a === 'class' ? parsed : undefined;
      const other = parsed && parsed.a !== 'class' ? parsed : undefined;
      const command = other ?? (raw && !act ? commandFromText(raw) : undefined);
      const leaving = command?.a === 'menu' || command?.a === 'exit';
      const playing = state?.r === 'student' || state?.r === 'nick';

      // Words and buttons that work anywhere.
      const joinCmd = !act && !other && raw ? parseJoinCommand(raw) : undefined;
      if (joinCmd) return join(joinCmd.code, input);
      if (act?.op === 'new' || (!act && !other && NEW_CLASS.test(raw))) return setupPrompt({ r: 'setup', step: 'audience' });
      // "后测": back into the class for the post-test (students are not held in class mode while they wait).
      if (!act && !other && !playing && POST_WORD.test(raw)) return postTest(input);
      // Typed teacher words are not taken from students mid-quiz ("下课" is a joke there, not a command).
      const teacherOp = act ? (TEACHER_OPS.includes(act.op) ? (act.op as TeacherOp) : undefined) : !other && !playing ? typedTeacherOp(raw) : undefined;
      if (teacherOp) {
        const out = await teacherCommand(teacherOp, state, input);
        return out.state === undefined && state && state.r !== 'teacher' ? { ...out, state } : out;
      }

      switch (state?.r) {
        case 'setup':
          if (leaving) return { replies: { replies: [text(C.setupCancelled)], suggestions: menuButtons() }, state: undefined };
          if (other) return undefined; // another button: the rest of the bot handles it
          return setupStep(state, act ?? typedSetupAction(state, raw), input);
        case 'nick':
          if (leaving || other) return leave();
          if (act) return { replies: { replies: [text(C.askNicknameAgain)] }, state };
          return chooseNickname(state.sid, raw, input);
        case 'student':
          if (leaving || other) return leave();
          return studentTurn(state, act, raw, input);
        default:
          if (!act) return undefined;
          // A class button from an earlier message.
          if (SETUP_OPS.includes(act.op)) return setupPrompt({ r: 'setup', step: 'audience' });
          return leave();
      }
    },
  };
}

