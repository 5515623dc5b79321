/**
 * The trained triage model, cached in a file keyed by the content fingerprint (and feature
 * version), so start-up restores it in ~25 ms instead of training for ~0.6 s. Any content
 * change gives a new key and the model is retrained. File I/O lives here, at the edge:
 * src/triage stays pure.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Content } from './content/load.js';
import { buildTriageEngine, deserialiseModel, modelKeyOf, serialiseModel, type TriageEngine, type TriageOptions } from './triage/index.js';

/** Build the engine, restoring the model from the cache file when it matches the content. */
export function cachedEngine(content: Content, cacheDir: string, o: { cache: boolean; options?: TriageOptions } = { cache: true }): TriageEngine {
  const opts = o.options ?? {};
  if (!o.cache) return buildTriageEngine(content, opts);
  const file = path.join(cacheDir, 'triage-model.json');
  const key = modelKeyOf(content, opts);
  let model = null;
  try {
    model = deserialiseModel(JSON.parse(readFileSync(file, 'utf8')), key);
  } catch {
    model = null; // no cache yet, or unreadable: train
  }
  const engine = buildTriageEngine(content, { ...opts, model });
  if (engine.trained) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(serialiseModel(engine.model)));
      renameSync(tmp, file);
    } catch {
      // A read-only checkout still works; it just trains every time.
    }
  }
  return engine;
}

