// Loads and validates content, and trains (or restores) the triage model, off the server's
// event loop. It warms the model cache file and hands the loaded content back, so the main
// thread only swaps in the new snapshot. Plain JS: it registers tsx itself, so it runs the
// same TypeScript under `npm start`, the CLI and the tests.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { loadContent } = await import('./load.ts');
const { cachedEngine } = await import('../model-cache.ts');

const { root, cacheDir } = workerData;
const r = loadContent(root);
if (!r.ok) {
  parentPort.postMessage({ ok: false, problems: r.problems });
} else {
  if (cacheDir) cachedEngine(r.content, cacheDir, { cache: true });
  parentPort.postMessage({ ok: true, content: r.content });
}
