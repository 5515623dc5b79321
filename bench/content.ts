/**
 * npm run bench:content — how long loading and validating the whole knowledge base takes.
 * Prints the first (cold) load and the median of repeated loads.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadContent } from '../src/content/load.js';

const root = path.resolve(import.meta.dirname, '..');
const times: number[] = [];
let summary = '';
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = loadContent(root);
  times.push(performance.now() - t0);
  if (!r.ok) {
    console.error(`内容无效（${r.problems.length} 处问题），先运行 fanzha validate`);
    process.exit(1);
  }
  const c = r.content;
  summary = `${c.files} files: ${c.fraudTypes.length} fraud types, ${c.signals.length} signals, ${c.examples.length} examples, ${c.scenarios.length} scenarios, ${c.questions.length} questions`;
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`content: ${summary}`);
console.log(`load+validate: cold ${times[0].toFixed(0)} ms, median of 10 ${sorted[5].toFixed(0)} ms`);
