/**
 * An in-process Bot Framework adapter for the built-in Direct Line: a turn runs the bot's
 * logic right here, and whatever the bot sends is appended to the conversation's activity
 * list, where the client's next poll picks it up. Only deliveryMode "normal" exists.
 */
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { Conversations } from './conversations.js';

export const DIRECTLINE_CHANNEL_ID = 'directline';
/** serviceUrl of activities on this channel: proactive senders use it to pick this adapter. */
export const DIRECTLINE_SERVICE_URL = 'inproc://directline';
export const BOT_ACCOUNT = { id: 'fanzha-bot', name: '反诈助手', role: 'bot' } as const;

/** Longest pause a bot's `delay` activity may ask for. */
const MAX_DELAY_MS = 3_000;

export type TurnLogic = (context: TurnContext) => Promise<void>;

export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly conversations: Conversations) {
    super();
  }

  /** Run one turn for an inbound activity (already validated and stamped). */
  async process(activity: Partial<Activity>, logic: TurnLogic): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const out: ResourceResponse[] = [];
    for (const a of activities) {
      if (a.type === 'delay') {
        const ms = typeof a.value === 'number' && a.value > 0 ? Math.min(a.value, MAX_DELAY_MS) : 1_000;
        await new Promise((r) => setTimeout(r, ms));
        out.push({ id: '' });
        continue;
      }
      // Invoke responses and traces are for other channels and the Emulator.
      if (a.type === ActivityTypes.InvokeResponse || a.type === ActivityTypes.Trace) {
        out.push({ id: '' });
        continue;
      }
      const conversationId = a.conversation?.id ?? context.activity.conversation?.id;
      const conv = conversationId ? this.conversations.get(conversationId) : undefined;
      if (!conv) {
        // The conversation expired during the turn: nobody can fetch this any more.
        out.push({ id: '' });
        continue;
      }
      const { serviceUrl: _s, conversation: _c, ...rest } = a;
      const stored = this.conversations.append(conv, {
        ...rest,
        from: { ...BOT_ACCOUNT },
        recipient: a.recipient ?? context.activity.from,
        replyToId: a.replyToId ?? context.activity.id,
      });
      out.push({ id: stored.id! });
    }
    return out;
  }

  async updateActivity(): Promise<void> {
    throw new Error('The built-in Direct Line does not update sent activities.');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The built-in Direct Line does not delete sent activities.');
  }

  /** Proactive message into a conversation this process still holds. */
  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }
}
