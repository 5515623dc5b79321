/**
 * The conversation: one function from (input, state) to replies. It decides what the user
 * meant, runs the matching flow and returns Reply data; the bot class sends and saves.
 * Domain work happens in triage/ and learning/; this file only talks.
 */
import { REQUIRED_GROUPS } from '../content/load.js';
import type { TriageResult } from '../triage/types.js';
import { typeIsClear } from '../triage/verdict.js';
import { asksWithoutContent, commandFromText, noWords, numberFromText, parseAction, smallTalk, yesNoFromText, type Action } from './actions.js';
import * as learn from './learn-flows.js';
import { menu, menuButtons } from './menus.js';
import { numberedButtons, text, type Button, type Reply, type TurnReplies } from './replies.js';
import type { AnswerRecord } from '../learning/index.js';
import type { BotServices } from './services.js';
import type { ConvState, UserData } from './state.js';
import { zh as S } from './strings.zh.js';

export interface TurnInput {
  text: string;
  value?: unknown;
  hasAttachments?: boolean;
}

export interface TurnContextData {
  userKey: string;
  conv: ConvState;
  user: UserData;
}

export interface TurnOutcome extends TurnReplies {
  /** The user confirmed deletion: the bot must clear their state and stored data. */
  deleteUser?: boolean;
  /**
   * Answers this turn produced. The bot saves them together with the turn's state, in one
   * commit, before any reply is sent.
   */
  answers?: AnswerRecord[];
}

/** Shortest text worth triaging; shorter unknown text gets the menu. */
const MIN_TRIAGE_CHARS = 6;

function groupPicker(svc: BotServices, lead: string, title: string = S.changeGroup): TurnReplies {
  const groups = svc.content().groups;
  const ordered = [...REQUIRED_GROUPS.map((id) => groups.find((g) => g.id === id)!).filter(Boolean), ...groups.filter((g) => !(REQUIRED_GROUPS as readonly string[]).includes(g.id))];
  return {
    replies: [{ kind: 'card', title, text: lead, buttons: ordered.map((g) => ({ title: g.name, value: { a: 'group', id: g.id } })) }],
  };
}

/** Welcome for a new user (conversationUpdate, or their first message). */
export function welcome(svc: BotServices, conv: ConvState): TurnReplies {
  const picker = groupPicker(svc, S.askGroup, S.pickGroup);
  conv.mode = 'group';
  return { replies: [text(S.welcome), ...picker.replies] };
}

/** Resolve the input to an action: a button value, a typed button title or number, or a command word. */
function resolveAction(input: TurnInput, conv: ConvState): Action | 'stale-button' | undefined {
  if (input.value !== undefined && input.value !== null) {
    const a = parseAction(input.value);
    if (a) return a;
    if (typeof input.value === 'object' && 'a' in (input.value as object)) return 'stale-button';
  }
  const t = input.text.trim();
  const options = conv.options ?? [];
  const byTitle = options.find((o) => o.title === t);
  if (byTitle) return byTitle.value;
  const n = numberFromText(t);
  if (n !== undefined && options[n]) return options[n].value;
  return commandFromText(t);
}

export async function respond(input: TurnInput, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const out = await route(input, ctx, svc);
  return finishTurn(out, ctx);
}

/** What a user sees on joining a conversation: the welcome, or for a returning user a short hello and the menu. */
export function greet(ctx: TurnContextData, svc: BotServices): TurnReplies {
  if (!ctx.user.welcomed) return finishTurn(welcome(svc, ctx.conv), ctx);
  const back = menu(S.welcomeBack);
  if (ctx.user.play) back.suggestions = [{ title: S.continueLast, value: { a: 'continue' } }, ...(back.suggestions ?? [])];
  return finishTurn(back, ctx);
}

/** Remember the buttons offered, so typed numbers and titles pick them next turn. */
function finishTurn<T extends TurnReplies>(out: T, ctx: TurnContextData): T {
  ctx.conv.options = numberedButtons(out);
  ctx.user.welcomed = true;
  return out;
}

async function route(input: TurnInput, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const { conv } = ctx;
  const raw = input.text.trim();
  if (!raw && input.hasAttachments) return { replies: [text(S.onlyText)], suggestions: menuButtons() };

  // Class sessions have their own words ("开设课堂", "加入 ABC123") and their own state.
  if (svc.classes) {
    const r = await svc.classes.handle({ userKey: ctx.userKey, text: raw, value: input.value, state: conv.classState, now: svc.now() });
    if (r) {
      conv.classState = r.state;
      conv.mode = r.state ? 'class' : undefined;
      return r.replies;
    }
  }

  const action = resolveAction(input, conv);
  if (action === 'stale-button') return { replies: [text(S.unknownButton)], suggestions: menuButtons() };
  if (action) return runAction(action, ctx, svc);

  if (!raw) return menu();
  if (!ctx.user.welcomed && raw.length < MIN_TRIAGE_CHARS) return welcome(svc, conv);
  if (noWords(raw)) return menu(S.noWords);
  const typed = svc.content().fraudTypes.find((t) => raw === t.name.zh || raw === t.name.zh.replace(/类$/, ''));
  if (typed) return runAction({ a: 'type', id: typed.id }, ctx, svc);
  if (conv.mode !== 'followup' && conv.mode !== 'share' && conv.mode !== 'delete') {
    const talk = smallTalk(raw);
    if (talk) return menu(talk === 'hello' ? S.hello : S.thanks);
  }
  if (asksWithoutContent(raw)) {
    conv.mode = 'triage';
    return { replies: [text(S.askForContent)] };
  }

  // Plain text whose meaning depends on what we just asked.
  switch (conv.mode) {
    case 'followup': {
      const yes = yesNoFromText(raw);
      if (yes !== undefined) return answerFollowup(yes, ctx, svc);
      if (raw.length < MIN_TRIAGE_CHARS) return { replies: [text(S.followupUnclear)], suggestions: yesNo('followup') };
      break; // a new message: triage it instead
    }
    case 'share': {
      const yes = yesNoFromText(raw);
      if (yes !== undefined) return runAction({ a: 'share', yes }, ctx, svc);
      break;
    }
    case 'delete': {
      const yes = yesNoFromText(raw);
      if (yes !== undefined) return runAction({ a: yes ? 'delete-yes' : 'delete-no' }, ctx, svc);
      break;
    }
    case 'group':
      if (raw.length < MIN_TRIAGE_CHARS) return groupPicker(svc, S.askGroup);
      break;
    case 'scenario':
    case 'quiz': {
      const r = await learn.plainText(raw, ctx, svc);
      if (r) return r;
      break;
    }
  }
  if (raw.length < MIN_TRIAGE_CHARS) return menu(S.tooShort);
  return triage(raw, ctx, svc);
}

function yesNo(kind: 'followup' | 'share'): Button[] {
  return kind === 'followup'
    ? [
        { title: S.followupYes, value: { a: 'followup', yes: true } },
        { title: S.followupNo, value: { a: 'followup', yes: false } },
      ]
    : [
        { title: S.shareYes, value: { a: 'share', yes: true } },
        { title: S.shareNo, value: { a: 'share', yes: false } },
      ];
}

async function runAction(action: Action, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const { conv } = ctx;
  const content = svc.content();
  switch (action.a) {
    case 'menu':
      conv.mode = undefined;
      return menu();
    case 'help':
      return { replies: [text(S.help)], suggestions: menuButtons() };
    case 'exit':
      conv.mode = undefined;
      conv.followup = undefined;
      conv.quiz = undefined;
      return menu(S.exitDone);
    case 'triage-prompt':
      conv.mode = 'triage';
      return { replies: [text(S.triagePrompt)] };
    case 'group-pick':
      conv.mode = 'group';
      return groupPicker(svc, S.askGroup);
    case 'group': {
      const g = content.groupById.get(action.id);
      if (!g) return groupPicker(svc, S.groupUnknown);
      await svc.store.saveProfile(ctx.userKey, { group: g.id });
      conv.mode = undefined;
      return menu(`${S.groupSaved(g.name)}\n${g.tips[0]}`);
    }
    case 'types':
      conv.mode = 'types';
      return {
        replies: [
          {
            kind: 'card',
            title: S.menu.types,
            text: `${S.typesTitle}\n\n${S.typesPick}`,
            buttons: content.fraudTypes.map((t) => ({ title: `${t.name.zh}（${(t.share * 100).toFixed(1)}%）`, value: { a: 'type', id: t.id } })),
          },
        ],
      };
    case 'type': {
      const t = content.fraudTypes.find((f) => f.id === action.id);
      if (!t) return { replies: [text(S.unknownButton)], suggestions: menuButtons() };
      const scenario = content.scenarios.find((s) => s.fraudType === t.id);
      const lines = [
        t.summary,
        '',
        S.typeStages,
        ...t.stages.map((s, i) => `${i + 1}. ${s.title}：${s.text}`),
        '',
        S.typeScripts,
        ...t.scripts.slice(0, 4).map((s) => `「${s}」`),
        '',
        S.typeAdvice,
        ...[...t.advice.before, ...t.advice.during].slice(0, 5).map((s) => `• ${s}`),
        ...(t.legal?.length ? ['', S.typeLegal, ...t.legal.map((s) => `• ${s}`)] : []),
      ];
      return {
        replies: [
          {
            kind: 'card',
            title: t.name.zh,
            text: lines.join('\n'),
            buttons: [...(scenario ? [{ title: S.practise, value: { a: 'scenario', id: scenario.id } } as Button] : []), { title: S.menu.types, value: { a: 'types' } }, { title: S.backToMenu, value: { a: 'menu' } }],
          },
        ],
      };
    }
    case 'hotlines': {
      const a = content.advice;
      const lines = [
        ...a.hotlines.map((h) => `☎️ ${h.name.includes(h.number) ? h.name : `${h.name} ${h.number}`}：${h.when}`),
        '',
        ...a.real96110.map((s) => `• ${s}`),
        '',
        `${a.app.name}：${a.app.why[0]}`,
      ];
      return { replies: [{ kind: 'card', title: S.hotlinesTitle, text: lines.join('\n'), tone: 'info' }], suggestions: menuButtons() };
    }
    case 'delete':
      conv.mode = 'delete';
      return {
        replies: [
          {
            kind: 'card',
            title: S.menu.delete,
            text: S.deleteConfirm,
            tone: 'warning',
            buttons: [
              { title: S.deleteYes, value: { a: 'delete-yes' } },
              { title: S.deleteNo, value: { a: 'delete-no' } },
            ],
          },
        ],
      };
    case 'delete-yes':
      if (conv.mode !== 'delete') return menu();
      return { replies: [text(S.deleteDone)], deleteUser: true };
    case 'delete-no':
      conv.mode = undefined;
      return menu(S.deleteCancelled);
    case 'followup':
      return answerFollowup(action.yes, ctx, svc);
    case 'share': {
      const last = conv.last;
      conv.mode = undefined;
      if (!action.yes || !last) return menu(S.shareSkipped);
      await svc.insights.shareMessage({ at: svc.now(), text: last.text, verdict: last.verdict, fraudType: last.fraudType });
      return menu(S.shareThanks);
    }
    case 'forward': {
      const last = conv.last;
      if (!last) return menu();
      return { replies: [text(S.forwardIntro), text(last.shareText)], suggestions: menuButtons() };
    }
    case 'scenarios':
    case 'scenario':
    case 'continue':
    case 'choice':
    case 'quiz':
    case 'answer':
    case 'progress':
      return learn.runAction(action, ctx, svc);
    case 'class':
      // A class button the class flow did not take (session over, or classes not running).
      return { replies: [text(S.unknownButton)], suggestions: menuButtons() };
  }
}

async function triage(raw: string, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const result = svc.triage().analyse(raw);
  const profile = await svc.store.getProfile(ctx.userKey);
  await svc.insights.recordTriage({ at: svc.now(), verdict: result.verdict, fraudType: result.fraudType, group: profile?.group ?? null });
  const conv = ctx.conv;
  conv.last = { text: result.text, verdict: result.verdict, fraudType: result.fraudType, shareText: result.shareText, scenarioId: result.scenarioId };
  const lost = moneyLost(result);
  const asking = !lost && result.verdict === 'suspicious' && result.followups.length > 0;
  // While follow-up questions are open, the card has no buttons: "1" and "2" then mean yes and no.
  const card = verdictCard(result, svc, { buttons: !asking });
  const group = profile?.group ? svc.content().groupById.get(profile.group) : undefined;
  const tip = group && result.verdict !== 'low-risk' && !lost ? tipFor(group.tips, result, svc) : undefined;
  if (tip && card.kind === 'card') card.text += `\n\n${S.groupTip(group!.name)}${tip}`;
  const replies: Reply[] = [card];
  if (!ctx.user.welcomed) replies.push(text(S.welcome.split('\n\n')[0]));
  if (asking) {
    conv.mode = 'followup';
    conv.followup = { result, queue: result.followups.slice(0, 3), answers: {} };
    replies.push(text(`${S.followupIntro}\n${conv.followup.queue[0].ask}`));
    return { replies, suggestions: yesNo('followup') };
  }
  if (lost) {
    conv.mode = undefined;
    return { replies, suggestions: menuButtons() };
  }
  return afterVerdict(replies, result, ctx);
}

const moneyLost = (r: TriageResult) => r.signals.some((s) => s.id === 'money-already-lost');

/** The group's tip that talks about this kind of scam (shares the most words with it), if any does. */
function tipFor(tips: readonly string[], r: TriageResult, svc: BotServices): string | undefined {
  const type = r.fraudType ? svc.content().fraudTypeById.get(r.fraudType) : undefined;
  if (!type) return undefined;
  const about = new Set<string>();
  for (const t of [type.name.zh, type.summary, ...r.signals.map((h) => h.name)]) {
    const chars = t.replace(/[^\p{Script=Han}]/gu, '');
    for (let i = 0; i + 1 < chars.length; i++) about.add(chars.slice(i, i + 2));
  }
  let best: string | undefined;
  let bestScore = 1; // at least two shared words
  for (const tip of tips) {
    const chars = tip.replace(/[^\p{Script=Han}]/gu, '');
    const seen = new Set<string>();
    for (let i = 0; i + 1 < chars.length; i++) if (about.has(chars.slice(i, i + 2))) seen.add(chars.slice(i, i + 2));
    if (seen.size > bestScore) {
      best = tip;
      bestScore = seen.size;
    }
  }
  return best;
}

/** After a final verdict: offer to share an uncertain message with staff, else the menu. */
function afterVerdict(replies: Reply[], result: TriageResult, ctx: TurnContextData): TurnOutcome {
  const uncertain = result.verdict === 'suspicious' || (result.verdict === 'low-risk' && result.signals.length > 0) || result.confidence < 0.5;
  if (uncertain) {
    ctx.conv.mode = 'share';
    replies.push(text(S.shareConsent));
    return { replies, suggestions: yesNo('share') };
  }
  ctx.conv.mode = undefined;
  return { replies, suggestions: menuButtons() };
}

async function answerFollowup(yes: boolean, ctx: TurnContextData, svc: BotServices): Promise<TurnOutcome> {
  const f = ctx.conv.followup;
  if (!f || !f.queue.length) return menu();
  const q = f.queue.shift()!;
  f.answers[q.id] = yes;
  if (f.queue.length) return { replies: [text(f.queue[0].ask)], suggestions: yesNo('followup') };
  const refined = svc.triage().refine(f.result, f.answers);
  ctx.conv.followup = undefined;
  ctx.conv.last = { text: refined.text, verdict: refined.verdict, fraudType: refined.fraudType, shareText: refined.shareText, scenarioId: refined.scenarioId };
  return afterVerdict([text(S.refined), verdictCard(refined, svc)], refined, ctx);
}

export function verdictCard(r: TriageResult, svc: BotServices, o: { buttons?: boolean } = {}): Reply {
  const content = svc.content();
  const type = r.fraudType ? content.fraudTypeById.get(r.fraudType) : undefined;
  const lost = moneyLost(r);
  // The explanation already quotes each red flag on its own line, and notes cut or foreign text.
  const lines = [r.explanation];
  if (r.verdict !== 'low-risk' || lost) lines.push('', S.whatToDo, ...r.actions.slice(0, lost ? 7 : 5).map((a, i) => `${i + 1}. ${a}`));
  const buttons: Button[] = [];
  if (lost) buttons.push({ title: S.menu.hotlines, value: { a: 'hotlines' } });
  else if (o.buttons !== false) {
    if (r.scenarioId && content.scenarioById.has(r.scenarioId)) buttons.push({ title: S.practise, value: { a: 'scenario', id: r.scenarioId } });
    if (r.verdict !== 'low-risk') buttons.push({ title: S.forward, value: { a: 'forward' } });
  }
  const typeKnown = !lost || r.signals.some((s) => s.id !== 'money-already-lost');
  const typeLine = type ? (typeIsClear(r) ? S.likelyType(type.name.zh) : S.typeUnclear) : '';
  const subtitle = typeKnown ? [typeLine, r.verdict !== 'low-risk' ? S.confidence(Math.round(r.confidence * 100)) : ''].filter(Boolean).join('　') : '';
  return {
    kind: 'card',
    title: lost ? S.lostTitle : S.verdictTitle[r.verdict],
    subtitle: subtitle || undefined,
    text: lines.join('\n').trim(),
    buttons,
    tone: r.verdict === 'high-risk' || lost ? 'danger' : r.verdict === 'suspicious' ? 'warning' : 'info',
  };
}
