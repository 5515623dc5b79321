/** Shared set-up for triage tests: the real knowledge base through the real loader, loaded once per file. */
import path from 'node:path';
import { loadContentOrThrow, type Content } from '../../src/content/load.js';
import { buildTriageEngine, type TriageEngine } from '../../src/triage/index.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

let content: Content | undefined;
let engine: TriageEngine | undefined;

export function realContent(): Content {
  content ??= loadContentOrThrow(ROOT);
  return content;
}

export function realTriage(): TriageEngine {
  engine ??= buildTriageEngine(realContent());
  return engine;
}
