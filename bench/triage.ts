/**
 * npm run bench:triage — how fast triage starts and runs.
 *
 * Prints: start-up (module import, content load, training or cache restore), messages per
 * second and p50/p99/max latency of analyse() over a realistic mix (scam and benign examples,
 * held-out messages in another style, long pasted chats, and a few odd inputs), the model's
 * size, and the process RSS after loading.
 *
 *   npx tsx bench/triage.ts              the figures above
 *   npx tsx bench/triage.ts --natural    also time natural's BayesClassifier on the same features
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { loadContent } = await import('../src/content/load.js');
const { buildTriageEngine, modelBytes, charGrams, normalise, redact, serialiseModel } = await import('../src/triage/index.js');
const tImport = performance.now() - t0;

const root = path.resolve(import.meta.dirname, '..');
const t1 = performance.now();
const loaded = loadContent(root);
const tLoad = performance.now() - t1;
if (!loaded.ok) {
  console.error(`内容无效（${loaded.problems.length} 处问题），先运行 fanzha validate`);
  process.exit(1);
}
const content = loaded.content;
const t2 = performance.now();
const engine = buildTriageEngine(content);
const tTrain = performance.now() - t2;
const rssLoaded = process.memoryUsage().rss;

// Restoring from the serialised model (what the CLI cache does) instead of training.
const serialised = JSON.stringify(serialiseModel(engine.model));
const { deserialiseModel } = await import('../src/triage/classifier.js');
const t3 = performance.now();
const restored = deserialiseModel(JSON.parse(serialised), engine.modelKey);
buildTriageEngine(content, { model: restored });
const tRestore = performance.now() - t3;

// ---- the mix
const rnd = (() => {
  let a = 12345;
  return () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296);
})();
const examples = content.examples.map((e) => e.text);
const heldFile = path.join(root, 'test/fixtures/heldout.jsonl');
const held = existsSync(heldFile)
  ? readFileSync(heldFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { text: string }).text)
  : [];
const long: string[] = [];
for (let i = 0; i < 60; i++) {
  const parts: string[] = [];
  const n = 5 + Math.floor(rnd() * 40); // 5–45 messages pasted at once: ~300–3,000 characters
  for (let j = 0; j < n; j++) parts.push(examples[Math.floor(rnd() * examples.length)]);
  long.push(parts.join('\n'));
}
const odd = ['', '   ', '😀😀😀', 'Your parcel is held at customs, pay the fee at http://1.2.3.4/pay', '0096110 来电说我涉嫌洗钱', '9'.repeat(5000)];
const mix = [...examples, ...held, ...long, ...odd];
for (let i = mix.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [mix[i], mix[j]] = [mix[j], mix[i]];
}
const chars = mix.reduce((a, s) => a + s.length, 0);

for (const s of mix) engine.analyse(s); // warm-up
const ROUNDS = 3;
const lat: number[] = [];
const tb = performance.now();
for (let r = 0; r < ROUNDS; r++) {
  for (const s of mix) {
    const a = performance.now();
    engine.analyse(s);
    lat.push(performance.now() - a);
  }
}
const total = performance.now() - tb;
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const rssAfter = process.memoryUsage().rss;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
console.log(`content: ${content.signals.length} signals (${content.signals.reduce((a, s) => a + s.patterns.length, 0)} patterns, ${content.signals.reduce((a, s) => a + s.keywords.length, 0)} keywords), ${content.examples.length} examples`);
console.log(`start-up: import ${tImport.toFixed(0)} ms + content load/validate ${tLoad.toFixed(0)} ms + triage build with training ${tTrain.toFixed(0)} ms = ${(tImport + tLoad + tTrain).toFixed(0)} ms`);
console.log(`          (triage build from a cached model: ${tRestore.toFixed(0)} ms)`);
console.log(`model: ${engine.trainingDocs} training texts, ${engine.model.nb.index.size} features, ~${mb(modelBytes(engine.model))} in memory, ${mb(serialised.length)} serialised`);
console.log(`memory: RSS ${mb(rssLoaded)} after loading, ${mb(rssAfter)} after the run`);
console.log(`mix: ${mix.length} messages (avg ${(chars / mix.length).toFixed(0)} chars; ${long.length} long pastes up to ${Math.max(...long.map((s) => s.length))} chars), ${ROUNDS} rounds`);
console.log(`throughput: ${((mix.length * ROUNDS) / (total / 1000)).toFixed(0)} messages/s`);
console.log(`latency: p50 ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms, max ${lat[lat.length - 1].toFixed(3)} ms`);

if (process.argv.includes('--natural')) {
  // natural's own classifier on the same character n-grams, for the comparison in classifier.ts.
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier.js') as new () => {
    addDocument(tokens: string[], label: string): void;
    train(): void;
    classify(tokens: string[]): string;
    features: Record<string, number>;
  };
  const docs = content.examples.map((e) => ({ tokens: charGrams(redact(normalise(e.text).text).text), label: e.label }));
  for (const n of [50, 100, 200]) {
    const c = new BayesClassifier();
    for (const d of docs.slice(0, n)) c.addDocument(d.tokens, d.label);
    const ta = performance.now();
    c.train();
    const tt = performance.now() - ta;
    const tc = performance.now();
    for (const d of docs.slice(0, 20)) c.classify(d.tokens);
    console.log(`natural BayesClassifier: ${n} docs, ${Object.keys(c.features).length} features: train ${tt.toFixed(0)} ms, classify ${((performance.now() - tc) / 20).toFixed(2)} ms/message`);
  }
}
