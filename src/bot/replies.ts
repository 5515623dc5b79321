/**
 * Replies as plain data, and the one place that turns them into Bot Framework activities.
 * Flows return Reply[]; the bot renders and sends them once per turn.
 */
import { ActionTypes, CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { Action } from './actions.js';

export interface Button {
  title: string;
  value: Action;
}

export type Reply =
  | { kind: 'text'; text: string }
  /** An image, e.g. a class QR code as a data: URL (PNG). */
  | { kind: 'image'; url: string; alt: string }
  | {
      kind: 'card';
      title: string;
      subtitle?: string;
      text: string;
      buttons?: Button[];
      /** Card colour hint for clients that support it; also used by the terminal chat. */
      tone?: 'danger' | 'warning' | 'info' | 'good';
    };

export interface TurnReplies {
  replies: Reply[];
  /** Quick-reply chips shown under the last message (suggested actions). */
  suggestions?: Button[];
}

export const text = (t: string): Reply => ({ kind: 'text', text: t });

/** Every button a turn offers, in the order they are numbered for typed digits. */
export function numberedButtons(turn: TurnReplies): Button[] {
  const all: Button[] = [];
  for (const r of turn.replies) if (r.kind === 'card' && r.buttons) all.push(...r.buttons);
  if (turn.suggestions) all.push(...turn.suggestions);
  return all;
}

function cardAction(b: Button): CardAction {
  // messageBack: the client shows the title as the user's message and sends the Action as value.
  return { type: ActionTypes.MessageBack, title: b.title, displayText: b.title, text: b.title, value: b.value };
}

/**
 * Clients render message and card text as Markdown, where a single newline is only a space.
 * Two trailing spaces make it a hard line break, so lists of red flags stay one per line.
 */
export function markdownLines(text: string): string {
  return text.replace(/\r?\n/g, '  \n');
}

export function renderActivities(turn: TurnReplies): Partial<Activity>[] {
  const out: Partial<Activity>[] = turn.replies.map((r) => {
    if (r.kind === 'text') return MessageFactory.text(markdownLines(r.text));
    if (r.kind === 'image') return MessageFactory.attachment({ contentType: 'image/png', contentUrl: r.url, name: r.alt });
    const card = CardFactory.heroCard(r.title, markdownLines(r.text), undefined, (r.buttons ?? []).map(cardAction), { subtitle: r.subtitle });
    const activity = MessageFactory.attachment(card);
    if (r.tone) activity.channelData = { tone: r.tone };
    return activity;
  });
  if (turn.suggestions?.length) {
    const last = out[out.length - 1] ?? MessageFactory.text('');
    if (!out.length) out.push(last);
    last.suggestedActions = { actions: turn.suggestions.map(cardAction), to: [] };
  }
  return out;
}
