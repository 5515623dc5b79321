/**
 * Drive the real bot (real content, triage and SQLite store) through botbuilder's TestAdapter.
 */
import { ActivityTypes, TestAdapter, type Activity, type HeroCard } from 'botbuilder';
import { buildCore, type Core } from '../../src/index.js';
import { silentLogger } from '../../src/log.js';
import { testConfig } from './app.js';

export interface BotHarness {
  core: Core;
  adapter: TestAdapter;
  dataDir: string;
  /** Send text (or a button value) and get every reply of that turn. */
  say(input: string | { value: unknown; text?: string } | Partial<Activity>): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

export async function botHarness(opts: { dataDir?: string; user?: string; now?: () => number } = {}): Promise<BotHarness> {
  const config = testConfig(opts.dataDir ? { DATA_DIR: opts.dataDir } : {});
  const core = await buildCore(config, { log: silentLogger, now: opts.now });
  const adapter = new TestAdapter((ctx) => core.bot.run(ctx));
  adapter.onTurnError = (ctx, err) => core.bot.onTurnError(ctx, err);
  const user = { id: opts.user ?? 'resident-1', name: '居民' };
  adapter.conversation.user = user;
  return {
    core,
    adapter,
    dataDir: config.dataDir,
    async say(input) {
      const activity: Partial<Activity> =
        typeof input === 'string'
          ? { type: ActivityTypes.Message, text: input }
          : 'value' in input && !('type' in input)
            ? { type: ActivityTypes.Message, text: input.text ?? '', value: input.value }
            : (input as Partial<Activity>);
      await adapter.receiveActivity(activity);
      return adapter.activeQueue.splice(0);
    },
    close: () => core.close(),
  };
}

/** Everything a turn showed, as one string: texts, card titles, card texts and button titles. */
export function shown(replies: Partial<Activity>[]): string {
  const parts: string[] = [];
  for (const r of replies) {
    if (r.text) parts.push(r.text);
    for (const a of r.attachments ?? []) {
      const c = a.content as HeroCard;
      parts.push(c.title ?? '', c.subtitle ?? '', c.text ?? '', ...(c.buttons ?? []).map((b) => `[${b.title}]`));
    }
    for (const s of r.suggestedActions?.actions ?? []) parts.push(`(${s.title})`);
  }
  return parts.filter(Boolean).join('\n');
}

export function cards(replies: Partial<Activity>[]): HeroCard[] {
  return replies.flatMap((r) => (r.attachments ?? []).map((a) => a.content as HeroCard));
}

/** Button values offered in a turn, in the order typed numbers pick them. */
export function buttons(replies: Partial<Activity>[]): { title: string; value: unknown }[] {
  const out: { title: string; value: unknown }[] = [];
  for (const c of cards(replies)) for (const b of c.buttons ?? []) out.push({ title: String(b.title), value: b.value });
  for (const r of replies) for (const s of r.suggestedActions?.actions ?? []) out.push({ title: String(s.title), value: s.value });
  return out;
}
