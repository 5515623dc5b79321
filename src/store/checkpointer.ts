/**
 * WAL checkpoints off the commit path. By default SQLite checkpoints inside whichever COMMIT
 * pushes the WAL past 1,000 pages: that commit then also copies pages into the database and
 * fsyncs it, and every turn waiting in the group commit waits with it (visible as p99 spikes
 * in `npm run bench:http`). Here a second connection runs a PASSIVE checkpoint about once a
 * second when there were commits, on libuv's thread pool; PASSIVE never blocks the writer.
 * The writer's own automatic checkpoint stays on with a larger threshold as a backstop, in
 * case this one falls behind. Closing the last connection checkpoints what is left.
 */
import sqlite3 from 'sqlite3';

/** Pages the writer lets the WAL reach before it checkpoints itself (about 40 MB). */
export const BACKSTOP_PAGES = 10_000;
const EVERY_MS = 1_000;

export class Checkpointer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private seen = -1;
  /** What the last checkpoint reported: WAL frames in the log and how many were copied. */
  last: { log: number; checkpointed: number } | undefined;

  private constructor(
    private readonly db: sqlite3.Database,
    private readonly commits: () => number,
  ) {}

  static open(file: string, commits: () => number, everyMs = EVERY_MS): Promise<Checkpointer> {
    return new Promise((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => {
        if (err) return reject(err);
        const c = new Checkpointer(db, commits);
        c.timer = setInterval(() => void c.tick(), everyMs).unref();
        resolve(c);
      });
    });
  }

  /** Checkpoint now if there were commits since the last time (and none is running). */
  tick(): Promise<void> {
    const n = this.commits();
    if (this.running || n === this.seen) return this.running ?? Promise.resolve();
    this.seen = n;
    this.running = new Promise<void>((resolve) => {
      // A failed checkpoint loses nothing: the frames stay in the WAL for the next one.
      this.db.get<{ log: number; checkpointed: number }>('PRAGMA wal_checkpoint(PASSIVE)', (err, row) => {
        if (!err && row) this.last = { log: row.log, checkpointed: row.checkpointed };
        resolve();
      });
    }).finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await new Promise<void>((resolve) => this.db.close(() => resolve()));
  }
}
