/**
 * Loads and saves what the bot remembers for a turn: one record per conversation and one per
 * user, in a botbuilder `Storage` (SQLite in the product), under the keys and in the shape
 * botbuilder's ConversationState / UserState use ("<ch>/conversations/<id>/" holding
 * `{ conv }`, "<ch>/users/<id>/" holding `{ user }`), so state saved by earlier versions
 * still loads.
 *
 * Why not ConversationState / UserState themselves: they read and write each record
 * separately and decide whether it changed by hashing a replacer-driven stringify three
 * times per record per turn, together about a tenth of a turn's CPU in `npm run bench:http`.
 * Here a turn is one read of both keys and at most one write of the records that changed
 * (compared as JSON text). Writes are last-writer-wins, as BotState's are (it writes eTag "*").
 *
 * Conversation records are written with their user as owner, so "删除我的数据" also removes
 * the state of the user's earlier conversations (which may hold a redacted pasted message).
 */
import type { Activity, StoreItems, TurnContext } from 'botbuilder';
import type { ConvState, UserData } from './state.js';

/** A Storage whose writes can name the user a record belongs to (the store's SqliteStorage). */
export interface OwnedStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems, opts?: { owner?: string }): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

interface Slot<T> {
  key: string;
  value: T;
  /** JSON of the value as stored ('' when there was no record). */
  saved: string;
}

interface Loaded {
  conv: Slot<ConvState>;
  user: Slot<UserData>;
}

const LOADED = Symbol('fanzha.turnState');

/** ConversationState's key for this activity. */
export function conversationStateKey(activity: Partial<Activity>): string {
  const channelId = activity.channelId;
  const id = activity.conversation?.id;
  if (!channelId) throw new Error('missing activity.channelId');
  if (!id) throw new Error('missing activity.conversation.id');
  return `${channelId}/conversations/${id}/`;
}

/** UserState's key for this activity. */
export function userStateKey(activity: Partial<Activity>): string {
  const channelId = activity.channelId;
  const id = activity.from?.id;
  if (!channelId) throw new Error('missing activity.channelId');
  if (!id) throw new Error('missing activity.from.id');
  return `${channelId}/users/${id}/`;
}

function slot<T extends object>(key: string, item: Record<string, unknown> | undefined, prop: 'conv' | 'user'): Slot<T> {
  const value = item?.[prop];
  if (value && typeof value === 'object') return { key, value: value as T, saved: JSON.stringify(value) };
  return { key, value: {} as T, saved: '' };
}

export class TurnStateStore {
  constructor(private readonly storage: OwnedStorage) {}

  /** This turn's conversation and user records (read once per turn, then from the turn's cache). */
  async load(context: TurnContext): Promise<{ conv: ConvState; user: UserData }> {
    let loaded = context.turnState.get(LOADED) as Loaded | undefined;
    if (!loaded) {
      const convKey = conversationStateKey(context.activity);
      const userKey = userStateKey(context.activity);
      const items = await this.storage.read([convKey, userKey]);
      loaded = { conv: slot<ConvState>(convKey, items[convKey], 'conv'), user: slot<UserData>(userKey, items[userKey], 'user') };
      context.turnState.set(LOADED, loaded);
    }
    return { conv: loaded.conv.value, user: loaded.user.value };
  }

  /** Write the records that changed this turn, in one storage write; `owner` is the store's user key. */
  async save(context: TurnContext, owner: string): Promise<void> {
    const loaded = context.turnState.get(LOADED) as Loaded | undefined;
    if (!loaded) return;
    const changes: StoreItems = {};
    const written: [Slot<unknown>, string][] = [];
    for (const [prop, s] of [
      ['conv', loaded.conv],
      ['user', loaded.user],
    ] as const) {
      const json = JSON.stringify(s.value);
      if (json === s.saved) continue;
      changes[s.key] = { [prop]: s.value, eTag: '*' };
      written.push([s, json]);
    }
    if (written.length === 0) return;
    await this.storage.write(changes, { owner });
    for (const [s, json] of written) s.saved = json;
  }

  /** Forget this turn's records without saving them (after they were deleted from storage). */
  forget(context: TurnContext): void {
    context.turnState.delete(LOADED);
  }

  /** Delete this conversation's record (a turn failed: the user should not stay stuck in it). */
  async deleteConversation(context: TurnContext): Promise<void> {
    const key = conversationStateKey(context.activity);
    const loaded = context.turnState.get(LOADED) as Loaded | undefined;
    // An empty record that counts as saved: nothing is written back unless the turn changes it.
    if (loaded) loaded.conv = { key, value: {}, saved: '{}' };
    await this.storage.delete([key]);
  }
}
