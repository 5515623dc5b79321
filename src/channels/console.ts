/**
 * A terminal channel: a botbuilder adapter that prints replies (hero cards and quick replies
 * as numbered options) and reads the user's lines. Used by `npm run chat`.
 */
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type CardAction,
  type ConversationReference,
  type HeroCard,
  type ResourceResponse,
} from 'botbuilder';

export interface ConsoleIo {
  write(text: string): void;
}

let seq = 0;

/** Undo Markdown hard breaks ("  \n") for the terminal. */
const plain = (t: string) => t.replace(/ {2}\n/g, '\n');

export class ConsoleAdapter extends BotAdapter {
  constructor(
    private readonly io: ConsoleIo,
    private readonly reference: { channelId: string; userId: string; conversationId: string },
  ) {
    super();
  }

  /** Run one turn for `activity` (text typed by the user, or a conversationUpdate). */
  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const full = {
      channelId: this.reference.channelId,
      serviceUrl: 'http://127.0.0.1/console',
      conversation: { id: this.reference.conversationId, isGroup: false, name: 'console', conversationType: 'personal' },
      from: { id: this.reference.userId, name: '我' },
      recipient: { id: 'fanzha-bot', name: '反诈助手' },
      id: String(++seq),
      timestamp: new Date(),
      locale: 'zh-CN',
      ...activity,
    } as Activity;
    const context = new TurnContext(this, full);
    await this.runMiddleware(context, logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    let n = 0;
    for (const a of activities) {
      if (a.type && a.type !== ActivityTypes.Message) continue;
      const lines: string[] = [];
      if (a.text) lines.push(plain(a.text));
      const buttons: CardAction[] = [];
      for (const att of a.attachments ?? []) {
        if (att.contentType === 'application/vnd.microsoft.card.hero') {
          const card = att.content as HeroCard;
          if (card.title) lines.push(`【${card.title}】${card.subtitle ? '  ' + card.subtitle : ''}`);
          if (card.text) lines.push(plain(card.text));
          buttons.push(...(card.buttons ?? []));
        } else if (att.contentType?.startsWith('image/')) {
          lines.push(`（图片：${att.name ?? '二维码'}，请在网页版查看）`);
        }
      }
      buttons.push(...(a.suggestedActions?.actions ?? []));
      for (const b of buttons) lines.push(`  [${++n}] ${b.title}`);
      this.io.write(lines.join('\n') + '\n');
    }
    return activities.map(() => ({ id: String(++seq) }));
  }

  async updateActivity(): Promise<void> {
    // A terminal cannot change what it already printed.
  }

  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.receive({ type: ActivityTypes.Event, name: 'continue', relatesTo: reference as ConversationReference }, logic);
  }
}
