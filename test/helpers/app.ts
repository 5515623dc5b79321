/**
 * Start the real service on port 0 with a fresh data folder, exactly as `npm start` wires it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { startApp, type App, type AppOverrides } from '../../src/index.js';
import { silentLogger } from '../../src/log.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'fanzha-data-')),
    CONTENT_ROOT: PROJECT_ROOT,
    CONTENT_WATCH: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export async function startTestApp(env: Record<string, string> = {}, o: AppOverrides = {}): Promise<App & { url: string }> {
  const app = await startApp(testConfig(env), { log: silentLogger, ...o });
  return Object.assign(app, { url: `http://127.0.0.1:${app.port}` });
}
