/**
 * Content that can change while the server runs. Holds the current content and whatever is
 * derived from it (the trained triage), swaps both atomically on a valid reload, and keeps
 * serving the old ones when a change is invalid. Watching is optional (CONTENT_WATCH).
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import { loadContent, ContentError, type Content } from './load.js';
import { formatProblem, type Problem } from './yaml-file.js';

export interface Snapshot<D> {
  content: Content;
  derived: D;
  loadedAt: number;
}

export type ReloadResult = { ok: true; changed: boolean; ms: number } | { ok: false; problems: Problem[] };

export class LiveContent<D> {
  private snap: Snapshot<D>;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((s: Snapshot<D>) => void)[] = [];

  /** Loads once; throws ContentError when the content on disk is invalid at start-up. */
  constructor(
    readonly root: string,
    private readonly derive: (c: Content) => D,
    private readonly log: Logger,
  ) {
    const r = loadContent(root);
    if (!r.ok) throw new ContentError(r.problems);
    this.snap = { content: r.content, derived: derive(r.content), loadedAt: Date.now() };
  }

  get current(): Snapshot<D> {
    return this.snap;
  }

  onChange(fn: (s: Snapshot<D>) => void) {
    this.listeners.push(fn);
  }

  /** Re-read everything; swap in only when valid. */
  reload(): ReloadResult {
    const t0 = performance.now();
    const r = loadContent(this.root);
    if (!r.ok) {
      this.log.warn({ problems: r.problems.length }, 'content change is invalid; still serving the previous content');
      for (const p of r.problems.slice(0, 50)) this.log.warn({ problem: formatProblem(p) }, 'content problem');
      return { ok: false, problems: r.problems };
    }
    if (r.content.fingerprint === this.snap.content.fingerprint) return { ok: true, changed: false, ms: performance.now() - t0 };
    let derived: D;
    try {
      derived = this.derive(r.content);
    } catch (err) {
      this.log.error({ err: { message: (err as Error).message } }, 'could not build from new content; still serving the previous content');
      return { ok: false, problems: [{ file: '(content)', line: 1, path: '', message: `新内容无法加载：${(err as Error).message}` }] };
    }
    this.snap = { content: r.content, derived, loadedAt: Date.now() };
    const ms = performance.now() - t0;
    this.log.info({ fingerprint: r.content.fingerprint.slice(0, 12), ms: Math.round(ms) }, 'content reloaded');
    for (const fn of this.listeners) fn(this.snap);
    return { ok: true, changed: true, ms };
  }

  /** Watch knowledge/ and scenarios/; reload shortly after the last change settles. */
  watch(debounceMs = 400) {
    for (const dir of ['knowledge', 'scenarios']) {
      try {
        const w = watch(path.join(this.root, dir), { recursive: true }, (_event, file) => {
          if (file && !/\.ya?ml$/.test(String(file))) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.reload(), debounceMs);
        });
        w.on('error', (err) => this.log.warn({ dir, err: { message: err.message } }, 'content watcher failed'));
        this.watchers.push(w);
      } catch (err) {
        this.log.warn({ dir, err: { message: (err as Error).message } }, 'cannot watch content folder');
      }
    }
  }

  close() {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
