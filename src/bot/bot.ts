/**
 * The Bot Framework edge: reads the activity, loads state, asks the conversation what to
 * say, saves state, sends the reply. No decisions are made here.
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import { greet, respond, type TurnOutcome } from './conversation.js';
import { renderActivities, type TurnReplies } from './replies.js';
import type { BotServices } from './services.js';
import { conversationStateKey, userStateKey, type TurnStateStore } from './turn-state.js';
import { zh as S } from './strings.zh.js';

/** Longest text we read from one activity; triage caps further and says so. */
export const MAX_ACTIVITY_TEXT = 100_000;

export class FanzhaBot extends ActivityHandler {
  constructor(
    private readonly svc: BotServices,
    private readonly state: TurnStateStore,
  ) {
    super();

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined) {
        const { conv, user } = await this.state.load(context);
        const userKey = this.userKey(context);
        await this.saveThenSend(context, userKey, greet({ userKey, conv, user }, this.svc));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /** Stable, hashed identity of the sender: the only user id the rest of the system sees. */
  userKey(context: TurnContext): string {
    return this.svc.store.userKey(context.activity.channelId ?? 'unknown', context.activity.from?.id ?? 'anonymous');
  }

  private async handleMessage(context: TurnContext) {
    const a = context.activity;
    const raw = typeof a.text === 'string' ? a.text.slice(0, MAX_ACTIVITY_TEXT) : '';
    const { conv, user } = await this.state.load(context);
    const userKey = this.userKey(context);
    const outcome: TurnOutcome = await respond(
      { text: raw, value: a.value, hasAttachments: (a.attachments?.length ?? 0) > 0 },
      { userKey, conv, user },
      this.svc,
    );
    if (outcome.deleteUser) {
      // Forget everything: progress, profile and every state record of theirs (this turn's included).
      await this.svc.store.deleteUser(userKey, { storageKeys: [conversationStateKey(context.activity), userStateKey(context.activity)] });
      this.state.forget(context);
      await this.send(context, outcome);
      return;
    }
    await this.saveThenSend(context, userKey, outcome, outcome.answers);
  }

  /**
   * Persist the turn once (the core-bot pattern, but before replying): the answers and what
   * changed in the state, in one commit, are durable before the user sees the reply.
   */
  private async saveThenSend(context: TurnContext, userKey: string, turn: TurnReplies, answers: TurnOutcome['answers'] = []) {
    await Promise.all([...answers.map((r) => this.svc.store.recordAnswer(userKey, r)), this.state.save(context, userKey)]);
    await this.send(context, turn);
  }

  private async send(context: TurnContext, turn: TurnReplies) {
    await context.sendActivities(renderActivities(turn));
  }

  /** onTurnError: log without personal data, apologise, clear the conversation so the user is not stuck. */
  async onTurnError(context: TurnContext, error: unknown): Promise<void> {
    this.svc.log.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack }, activityType: context.activity.type, channel: context.activity.channelId }, 'turn failed');
    try {
      await context.sendActivity(S.error);
    } catch {
      // The channel is gone; nothing more to say.
    }
    try {
      await this.state.deleteConversation(context);
    } catch (err) {
      this.svc.log.error({ err: { message: (err as Error)?.message } }, 'could not clear conversation state');
    }
  }
}
