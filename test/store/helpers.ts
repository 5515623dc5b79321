import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
export { SECRET, answer } from './data.js';

const dirs: string[] = [];

/** A fresh temp folder, removed (permissions restored first) after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'fanzha-store-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) {
    restoreWritable(d);
    rmSync(d, { recursive: true, force: true });
  }
});

function restoreWritable(p: string) {
  try {
    const st = statSync(p);
    chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const f of readdirSync(p)) restoreWritable(path.join(p, f));
  } catch {
    /* gone already */
  }
}
