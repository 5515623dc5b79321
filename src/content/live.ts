/**
 * Content that can change while the server runs. Holds the current content and whatever is
 * derived from it (the trained triage), swaps both atomically on a valid reload, and keeps
 * serving the old ones when a change is invalid. Watching is optional (CONTENT_WATCH).
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import { loadContent, ContentError, type Content, type LoadResult } from './load.js';
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

  private background: Promise<ReloadResult> | undefined;
  private again = false;

  /**
   * Loads once; throws ContentError when the content on disk is invalid at start-up.
   * `cacheDir` is where `derive` keeps its trained model: background reloads train there in
   * a worker thread, so `derive` on the main thread only restores the model.
   */
  constructor(
    readonly root: string,
    private readonly derive: (c: Content) => D,
    private readonly log: Logger,
    private readonly cacheDir?: string,
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

  /** Re-read everything on this thread; swap in only when valid. */
  reload(): ReloadResult {
    const t0 = performance.now();
    return this.apply(loadContent(this.root), t0);
  }

  /**
   * Reload with the loading, validation and training in a worker thread, so conversations keep
   * flowing meanwhile. Calls during a reload coalesce into one more reload after it. Falls back
   * to reload() when a worker cannot be started.
   */
  reloadInBackground(): Promise<ReloadResult> {
    if (this.background) {
      this.again = true;
      return this.background;
    }
    const t0 = performance.now();
    this.background = new Promise<LoadResult>((resolve, reject) => {
      const worker = new Worker(new URL('./reload-worker.mjs', import.meta.url), { workerData: { root: this.root, cacheDir: this.cacheDir }, execArgv: [] });
      worker.once('message', (m: LoadResult) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`reload worker exited with ${code}`)));
    })
      .then(
        (r) => this.apply(r, t0),
        (err) => {
          this.log.warn({ err: { message: (err as Error).message } }, 'background reload failed; reloading on the main thread');
          return this.reload();
        },
      )
      .finally(() => {
        this.background = undefined;
        if (this.again) {
          this.again = false;
          void this.reloadInBackground();
        }
      });
    return this.background;
  }

  private apply(r: LoadResult, t0: number): ReloadResult {
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
          this.timer = setTimeout(() => void this.reloadInBackground(), debounceMs);
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
