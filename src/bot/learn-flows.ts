/**
 * Scenario play, quizzes and progress as conversation steps. The learning engine decides;
 * this file turns its typed results into replies and saves answers.
 */
import {
  answerQuestion,
  applyChoice,
  dueReviews,
  certificate,
  masteryByType,
  parseChoice,
  parseQuizAnswer,
  questionView,
  recommend,
  resumeScenario,
  startScenario,
  type EndingView,
  type NodeView,
  type AnswerRecord,
  type QuestionView,
} from '../learning/index.js';
import type { Action } from './actions.js';
import type { TurnContextData, TurnOutcome } from './conversation.js';
import { menuButtons } from './menus.js';
import { text, type Button, type Reply } from './replies.js';
import type { BotServices } from './services.js';
import { zh as S } from './strings.zh.js';

type LearnAction = Extract<Action, { a: 'scenarios' | 'scenario' | 'continue' | 'choice' | 'quiz' | 'answer' | 'progress' }>;

const menuBtn: Button = { title: S.backToMenu, value: { a: 'menu' } };

/** The user's answers, read once per turn (several steps of one turn need them). */
const turnHistory = new WeakMap<TurnContextData, Promise<AnswerRecord[]>>();
function history(ctx: TurnContextData, svc: BotServices): Promise<AnswerRecord[]> {
  let h = turnHistory.get(ctx);
  if (!h) {
    h = svc.store.answers(ctx.userKey);
    turnHistory.set(ctx, h);
  }
  return h;
}

async function groupOf(ctx: TurnContextData, svc: BotServices): Promise<string> {
  return (await svc.store.getProfile(ctx.userKey))?.group ?? 'general';
}

function nodeReplies(node: NodeView): Reply[] {
  const bubbles = node.bubbles.map((b) => `【${b.name}】${b.text}`).join('\n\n');
  return [
    text(bubbles),
    {
      kind: 'card',
      title: `${S.scenarioChoose}（第 ${node.step} 步）`,
      text: node.choices.map((c) => `${c.index + 1}. ${c.text}`).join('\n'),
      buttons: node.choices.map((c) => ({ title: c.text, value: { a: 'choice', i: c.index } })),
    },
  ];
}

function endingCard(e: EndingView): Reply {
  return {
    kind: 'card',
    title: e.title,
    subtitle: e.outcome === 'lost' ? S.scenarioLost(e.loss ?? 0) : S.scenarioAvoided,
    text: `${e.text}\n\n${S.scenarioLesson}${e.lesson}`,
    tone: e.outcome === 'lost' ? 'danger' : 'good',
    buttons: [
      { title: S.nextScenario, value: { a: 'scenarios' } },
      { title: S.menu.quiz, value: { a: 'quiz' } },
      menuBtn,
    ],
  };
}

function questionReplies(q: QuestionView): Reply[] {
  const body = q.kind === 'scam-or-not' ? `${S.quizScamOrNot}\n\n「${q.prompt}」` : q.prompt;
  return [
    {
      kind: 'card',
      title: S.quizTitle,
      text: q.kind === 'scam-or-not' ? body : `${body}\n\n${q.options.map((o, i) => `${i + 1}. ${o}`).join('\n')}`,
      buttons: q.options.map((o, i) => ({ title: q.kind === 'scam-or-not' ? o : `${i + 1}. ${o}`.slice(0, 80), value: { a: 'answer', i } })),
    },
  ];
}

/** Certificate card when this answer completed mastery of all 13 types. */
async function certificateReply(ctx: TurnContextData, svc: BotServices, record: AnswerRecord): Promise<Reply[]> {
  const before = await history(ctx, svc);
  const cert = certificate([...before, record]);
  if (!cert || certificate(before)) return [];
  return [{ kind: 'card', title: S.certificateTitle, text: S.certificate(cert.date), tone: 'good' }];
}

async function scenarioList(ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const content = svc.content();
  const recs = recommend(content, { group: await groupOf(ctx, svc), history: await history(ctx, svc), now: svc.now(), kind: 'scenario', limit: 4 });
  if (!recs.length) return { replies: [text(S.scenarioNone)], suggestions: menuButtons() };
  const buttons: Button[] = recs.map((r) => ({ title: content.scenarioById.get(r.itemId)?.title ?? r.itemId, value: { a: 'scenario', id: r.itemId } }));
  if (ctx.user.play) buttons.unshift({ title: S.continueLast, value: { a: 'continue' } });
  const lines = recs.map((r, i) => `${i + 1 + (ctx.user.play ? 1 : 0)}. ${content.scenarioById.get(r.itemId)?.title}（${r.reason}）`);
  return { replies: [{ kind: 'card', title: S.menu.scenarios, text: `${S.scenarioPick}\n${lines.join('\n')}`, buttons: [...buttons, menuBtn] }] };
}

async function nextQuestion(ctx: TurnContextData, svc: BotServices, lead: Reply[] = []): Promise<TurnOutcome> {
  const content = svc.content();
  const [rec] = recommend(content, { group: await groupOf(ctx, svc), history: await history(ctx, svc), now: svc.now(), kind: 'question', limit: 1 });
  const q = rec && content.questionById.get(rec.itemId);
  if (!q) return { replies: [...lead, text(S.quizNone)], suggestions: menuButtons() };
  ctx.conv.mode = 'quiz';
  ctx.conv.quiz = { id: q.id, version: q.version };
  return { replies: [...lead, ...questionReplies(questionView(q))] };
}

/** What to say when the saved scenario can no longer be played. */
const staleMessage = (r: { kind: 'stale' | 'finished'; message: string }) => (r.kind === 'stale' ? S.scenarioChanged : r.message);

/** Forget a scenario that cannot go on, say why, and offer others. */
async function leaveScenario(message: string, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  ctx.user.play = undefined;
  ctx.conv.mode = undefined;
  const list = await scenarioList(ctx, svc);
  return { ...list, replies: [text(message), ...list.replies] };
}

export async function runAction(action: LearnAction, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const content = svc.content();
  const { conv, user } = ctx;
  switch (action.a) {
    case 'scenarios':
      conv.mode = undefined;
      return scenarioList(ctx, svc);
    case 'scenario': {
      const r = startScenario(content, action.id, svc.now());
      if (r.kind === 'unavailable') {
        const list = await scenarioList(ctx, svc);
        return { ...list, replies: [text(r.message), ...list.replies] };
      }
      user.play = r.state;
      conv.mode = 'scenario';
      return { replies: [{ kind: 'card', title: S.scenarioIntro(r.scenario.title), text: r.scenario.intro }, ...nodeReplies(r.node)] };
    }
    case 'continue': {
      if (!user.play) return scenarioList(ctx, svc);
      const r = resumeScenario(content, user.play);
      if (r.kind === 'node') {
        conv.mode = 'scenario';
        return { replies: [text(S.scenarioResume(content.scenarioById.get(r.state.scenarioId)?.title ?? '')), ...nodeReplies(r.node)] };
      }
      return leaveScenario(r.message, ctx, svc);
    }
    case 'choice': {
      if (!user.play) return scenarioList(ctx, svc);
      const r = applyChoice(content, user.play, action.i, svc.now());
      switch (r.kind) {
        case 'refused':
          return { replies: [text(r.message), ...nodeReplies(r.node)] };
        case 'stale':
        case 'finished':
          return leaveScenario(staleMessage(r), ctx, svc);
        case 'next':
          user.play = r.state;
          return { replies: [text(`${r.feedback.safe ? S.scenarioFeedbackSafe : S.scenarioFeedbackRisky}${r.feedback.feedback}`), ...nodeReplies(r.node)] };
        case 'ended': {
          const cert = await certificateReply(ctx, svc, r.record); // history before this answer is saved
          user.play = undefined;
          conv.mode = undefined;
          return {
            answers: [r.record],
            replies: [
              text(`${r.feedback.safe ? S.scenarioFeedbackSafe : S.scenarioFeedbackRisky}${r.feedback.feedback}`),
              endingCard(r.ending),
              ...cert,
            ],
          };
        }
      }
      return scenarioList(ctx, svc);
    }
    case 'quiz':
      return nextQuestion(ctx, svc);
    case 'answer': {
      if (!conv.quiz) return nextQuestion(ctx, svc);
      const r = answerQuestion(content, conv.quiz, action.i, svc.now());
      if (r.kind === 'refused') return { replies: [text(r.message), ...questionReplies(r.question)] };
      conv.quiz = undefined;
      if (r.kind === 'stale') return nextQuestion(ctx, svc, [text(r.message)]);
      const cert = await certificateReply(ctx, svc, r.record); // history before this answer is saved
      conv.mode = undefined;
      const verdict = r.correct ? S.quizRight : `${S.quizWrong}${S.quizAnswerWas(r.correctText)}`;
      return {
        answers: [r.record],
        replies: [
          { kind: 'card', title: verdict, text: r.explain, tone: r.correct ? 'good' : 'warning', buttons: [{ title: S.quizNext, value: { a: 'quiz' } }, menuBtn] },
          ...cert,
        ],
      };
    }
    case 'progress': {
      const h = await history(ctx, svc);
      if (!h.length) return { replies: [text(S.progressEmpty)], suggestions: menuButtons() };
      const byType = masteryByType(h);
      const names = new Map(content.fraudTypes.map((t) => [t.id, t.name.zh]));
      const lines = byType.filter((m) => m.attempts > 0).map((m) => S.progressLine(names.get(m.fraudType) ?? m.fraudType, m.correct, m.attempts, m.mastered));
      const mastered = byType.filter((m) => m.mastered).length;
      const due = dueReviews(h, svc.now()).length;
      const cert = certificate(h);
      const body = [S.progressSummary(mastered, content.fraudTypes.length), ...(due ? [S.progressDue(due)] : []), '', ...lines];
      if (cert) body.push('', S.certificate(cert.date));
      return { replies: [{ kind: 'card', title: S.progressTitle, text: body.join('\n'), buttons: [{ title: S.menu.scenarios, value: { a: 'scenarios' } }, { title: S.menu.quiz, value: { a: 'quiz' } }, menuBtn] }] };
    }
  }
}

/** Typed answers while a scenario or a quiz question is open ("2", "B", "是诈骗"). */
export async function plainText(raw: string, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome | undefined> {
  const content = svc.content();
  if (ctx.conv.mode === 'scenario' && ctx.user.play) {
    const r = resumeScenario(content, ctx.user.play);
    if (r.kind !== 'node') return leaveScenario(staleMessage(r), ctx, svc);
    const i = parseChoice(raw, r.node.choices.length);
    if (i !== undefined) return runAction({ a: 'choice', i }, ctx, svc);
    if (raw.length <= 4) return { replies: [text(S.scenarioUnknownChoice), ...nodeReplies(r.node)] };
    return undefined;
  }
  if (ctx.conv.mode === 'quiz' && ctx.conv.quiz) {
    const q = content.questionById.get(ctx.conv.quiz.id);
    if (!q) return nextQuestion(ctx, svc);
    const i = parseQuizAnswer(questionView(q), raw);
    if (i !== undefined) return runAction({ a: 'answer', i }, ctx, svc);
    if (raw.length <= 4) return { replies: [text(S.quizUnclear), ...questionReplies(questionView(q))] };
  }
  return undefined;
}
