/**
 * The Direct Line conversations this process holds, in memory: who owns each one and the
 * activities a client can still fetch. Everything is bounded: conversations in total and per
 * user, activities and bytes kept per conversation, and idle conversations expire.
 *
 * Conversation state that matters (the user's progress, the dialog position) lives in the
 * bot's storage, not here: losing this map (a restart) only loses the visible history, and
 * the page starts a new conversation.
 */
import type { Activity } from 'botbuilder';
import { newConversationId } from './tokens.js';

export interface ConversationLimits {
  /** Conversations held at once by the process. */
  maxConversations: number;
  /** Conversations one user may hold; starting one more drops their least recently used. */
  maxPerUser: number;
  /** Activities kept per conversation (older ones can no longer be fetched). */
  maxActivities: number;
  /** Bytes of activity JSON kept per conversation. */
  maxBytes: number;
  /** A conversation nobody has polled or posted to for this long is dropped. */
  idleMs: number;
}

export const DEFAULT_LIMITS: ConversationLimits = {
  maxConversations: 10_000,
  maxPerUser: 5,
  maxActivities: 200,
  maxBytes: 256 * 1024,
  idleMs: 60 * 60_000,
};

interface Stored {
  seq: number;
  bytes: number;
  /** Typing echoes: only the newest is kept, so typing never pushes real messages out. */
  transient?: boolean;
  /** Serialised once, at append time; polls only concatenate. */
  json: string;
}

export interface Conversation {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  lastSeen: number;
  /** The bot has seen the conversationUpdate that starts it. */
  started: boolean;
  /** Sequence number of the last activity appended (the watermark after it). */
  seq: number;
  activities: Stored[];
  bytes: number;
}

/** Direct Line's ActivitySet as JSON, from activities already serialised. */
function activitySet(activityJson: readonly string[], watermark: number): string {
  return `{"activities":[${activityJson.join(',')}],"watermark":"${watermark}"}`;
}

export class ConversationFull extends Error {
  constructor() {
    super('too many conversations held');
  }
}

/** Who hears about new activities and ended conversations (the WebSocket streams). */
export interface ConversationListener {
  /** `activitySet` is the JSON `{activities: [the new one], watermark}`. */
  appended(c: Conversation, activitySet: string): void;
  removed(id: string): void;
}

export class Conversations {
  private readonly byId = new Map<string, Conversation>();
  private readonly byUser = new Map<string, Set<string>>();
  private sweeper?: NodeJS.Timeout;
  listener?: ConversationListener;

  constructor(
    readonly limits: ConversationLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** Drop idle conversations every minute (unref'd: never keeps the process alive). */
  startSweeping(everyMs = 60_000): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), everyMs);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  create(userId: string): Conversation {
    const t = this.now();
    const mine = this.byUser.get(userId);
    if (mine && mine.size >= this.limits.maxPerUser) {
      let oldest: Conversation | undefined;
      for (const id of mine) {
        const c = this.byId.get(id)!;
        if (!oldest || c.lastSeen < oldest.lastSeen) oldest = c;
      }
      if (oldest) this.remove(oldest.id);
    }
    if (this.byId.size >= this.limits.maxConversations) {
      this.sweep();
      if (this.byId.size >= this.limits.maxConversations) throw new ConversationFull();
    }
    let id = newConversationId();
    while (this.byId.has(id)) id = newConversationId();
    const conv: Conversation = { id, userId, createdAt: t, lastSeen: t, started: false, seq: 0, activities: [], bytes: 0 };
    this.byId.set(id, conv);
    if (mine) mine.add(id);
    else this.byUser.set(userId, new Set([id]));
    return conv;
  }

  /** The conversation, unless it is unknown or has expired. */
  get(id: string): Conversation | undefined {
    const c = this.byId.get(id);
    if (!c) return undefined;
    if (this.now() - c.lastSeen > this.limits.idleMs) {
      this.remove(id);
      return undefined;
    }
    return c;
  }

  touch(c: Conversation): void {
    c.lastSeen = this.now();
  }

  remove(id: string): void {
    const c = this.byId.get(id);
    if (!c) return;
    this.byId.delete(id);
    const mine = this.byUser.get(c.userId);
    mine?.delete(id);
    if (mine && mine.size === 0) this.byUser.delete(c.userId);
    this.listener?.removed(id);
  }

  sweep(): number {
    const t = this.now();
    let n = 0;
    for (const c of this.byId.values()) {
      if (t - c.lastSeen > this.limits.idleMs) {
        this.remove(c.id);
        n++;
      }
    }
    return n;
  }

  /**
   * Append an activity: it gets its id (`<conversation>|<seq>`, as Azure's Direct Line
   * writes them) and timestamp here. Returns the stored activity.
   */
  append(c: Conversation, activity: Partial<Activity>, opts: { transient?: boolean } = {}): Partial<Activity> {
    const seq = c.seq + 1;
    const stored: Partial<Activity> = {
      ...activity,
      id: `${c.id}|${String(seq).padStart(7, '0')}`,
      timestamp: new Date(this.now()) as unknown as Date,
      conversation: { id: c.id } as Activity['conversation'],
      channelId: 'directline',
    };
    const json = JSON.stringify(stored);
    const bytes = Buffer.byteLength(json);
    c.seq = seq;
    if (c.activities.some((s) => s.transient)) {
      c.activities = c.activities.filter((s) => !s.transient);
      c.bytes = c.activities.reduce((n, s) => n + s.bytes, 0);
    }
    c.activities.push({ seq, bytes, json, transient: opts.transient });
    c.bytes += bytes;
    while (c.activities.length > 1 && (c.activities.length > this.limits.maxActivities || c.bytes > this.limits.maxBytes)) {
      c.bytes -= c.activities.shift()!.bytes;
    }
    this.listener?.appended(c, activitySet([json], seq));
    return stored;
  }

  /**
   * The activity set a poll returns: everything after `watermark`, and the new watermark.
   * Built from pre-serialised JSON, so an empty poll costs almost nothing.
   */
  since(c: Conversation, watermark: number | undefined): { json: string; count: number } {
    const from = watermark ?? 0;
    const list = c.activities;
    // Activities are in seq order; find the first one newer than the watermark from the end.
    let i = list.length;
    while (i > 0 && list[i - 1].seq > from) i--;
    const fresh = list.slice(i);
    const mark = fresh.length ? fresh[fresh.length - 1].seq : Math.min(from, c.seq);
    return { json: activitySet(fresh.map((s) => s.json), mark), count: fresh.length };
  }

  /** Conversations of one user (tests, diagnostics). */
  countFor(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }
}
