/**
 * Session rules: when a session is open, what a student plays next, one attempt per
 * question, and a limit on wrong join codes per user.
 */
import type { ClassSession, Phase } from './types.js';

export const HOUR_MS = 3_600_000;

export type SessionStatus = 'open' | 'closed' | 'expired';

export function expiryFor(createdAt: number, hours: number): number {
  return createdAt + Math.round(hours * HOUR_MS);
}

/** Closed by the teacher wins over expired (the teacher's act is what they remember). */
export function sessionStatus(s: Pick<ClassSession, 'closedAt' | 'expiresAt'>, now: number): SessionStatus {
  if (s.closedAt !== null) return 'closed';
  if (now >= s.expiresAt) return 'expired';
  return 'open';
}

/** Answered item indices per phase for one student. */
export type Answered = Record<Phase, ReadonlySet<number>>;

export const emptyAnswered = (): Answered => ({ pre: new Set(), main: new Set(), post: new Set() });

export type NextStep =
  | { kind: 'question'; phase: Phase; index: number }
  /** The main quiz is done; the post-test is not open yet. */
  | { kind: 'wait-post' }
  | { kind: 'finished' };

/** Phases in play order for this session. */
export function phasesOf(s: Pick<ClassSession, 'testItems'>): Phase[] {
  return s.testItems.length ? ['pre', 'main', 'post'] : ['main'];
}

export function itemsOf(s: Pick<ClassSession, 'items' | 'testItems'>, phase: Phase) {
  return phase === 'main' ? s.items : s.testItems;
}

/**
 * What a student does next: the first unanswered item of the first unfinished phase.
 * The pre-test is skipped for a student who joins after the post-test opened (it would no
 * longer measure anything before the lesson).
 */
export function nextStep(s: Pick<ClassSession, 'items' | 'testItems' | 'postOpenedAt'>, answered: Answered): NextStep {
  for (const phase of phasesOf(s)) {
    if (phase === 'pre' && s.postOpenedAt !== null && answered.pre.size === 0) continue;
    if (phase === 'post' && s.postOpenedAt === null) return { kind: 'wait-post' };
    if (phase === 'post' && answered.pre.size === 0) return { kind: 'finished' };
    const items = itemsOf(s, phase);
    for (let i = 0; i < items.length; i++) if (!answered[phase].has(i)) return { kind: 'question', phase, index: i };
  }
  return { kind: 'finished' };
}

/** The main quiz is complete (what "完成" counts in the teacher's progress line). */
export function finishedMain(s: Pick<ClassSession, 'items'>, answered: Answered): boolean {
  return answered.main.size >= s.items.length;
}

/**
 * Sliding-window limit on failed attempts per key (wrong join codes per user).
 * In memory: a restart forgets, which is fine for slowing down guessing.
 */
export class AttemptLimiter {
  private readonly fails = new Map<string, number[]>();
  constructor(
    readonly limit = 5,
    readonly windowMs = 10 * 60_000,
    private readonly maxKeys = 100_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.fails.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.fails.set(key, list);
    else this.fails.delete(key);
    return list;
  }

  /** May this key try again now? */
  allowed(key: string, now: number): boolean {
    return this.recent(key, now).length < this.limit;
  }

  /** Record a failure; returns how many are left in the window. */
  fail(key: string, now: number): number {
    const list = this.recent(key, now);
    list.push(now);
    this.fails.set(key, list);
    if (this.fails.size > this.maxKeys) this.sweep(now);
    return Math.max(0, this.limit - list.length);
  }

  /** When the oldest failure in the window expires (for "try again in N minutes"). */
  retryAt(key: string, now: number): number {
    const list = this.recent(key, now);
    return list.length ? list[0] + this.windowMs : now;
  }

  private sweep(now: number) {
    for (const k of [...this.fails.keys()]) this.recent(k, now);
  }
}
