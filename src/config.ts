/**
 * Settings from the environment, parsed once by zod and frozen. Every variable is
 * documented in .env.example. Only src/index.ts (and CLI entry points) call loadConfig.
 */
import path from 'node:path';
import { z } from 'zod';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  /** Public base URL of this service, for join links and QR codes (e.g. https://fanzha.example.cn). */
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalText,
  DATA_DIR: z.string().trim().min(1).default('./data'),
  CONTENT_ROOT: z.string().trim().min(1).default(PROJECT_ROOT),
  /** Secret for user-id hashing; when unset a random one is kept in DATA_DIR/secret.key. */
  USER_KEY_SECRET: optionalText.pipe(z.string().min(16).optional()),
  /** Token for /admin; when unset the dashboard is refused. */
  ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'ADMIN_TOKEN 至少 16 个字符').optional()),
  /** Watch knowledge/ and scenarios/ and reload on change. */
  CONTENT_WATCH: bool.default(true),
  /** Messages one user may send per minute before the bot asks them to slow down. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Largest accepted request body in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  /** Hours a class session stays open. */
  CLASS_SESSION_HOURS: z.coerce.number().min(0.1).max(72).default(3),
  /** Web chat: 'builtin' (this service's Direct Line) or 'azure' (Azure Bot Service Direct Line). */
  WEBCHAT_DIRECTLINE: z.enum(['builtin', 'azure']).default('builtin'),
  /** For WEBCHAT_DIRECTLINE=azure: the Direct Line secret, exchanged server-side for tokens. */
  DIRECTLINE_SECRET: optionalText,
  /** For WEBCHAT_DIRECTLINE=azure: the Direct Line domain (regional endpoints differ). */
  DIRECTLINE_DOMAIN: optionalText.pipe(z.url().optional()),
  /** Built-in Direct Line: minutes a web chat token lasts (the page refreshes it at half-time). */
  WEBCHAT_TOKEN_MINUTES: z.coerce.number().int().min(20).max(24 * 60).default(30),
  /** Built-in Direct Line: minutes an idle web conversation is kept in memory. */
  WEBCHAT_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** Built-in Direct Line: web conversations one process holds at once. */
  WEBCHAT_MAX_CONVERSATIONS: z.coerce.number().int().min(10).max(1_000_000).default(10_000),
  /** Built-in Direct Line: requests (polls included) one web user may make per minute before 429. */
  WEBCHAT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(30).max(100_000).default(300),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = Readonly<z.output<typeof configSchema>> & { dataDir: string; contentRoot: string; development: boolean };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`环境变量设置有误：\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.MicrosoftAppId) {
    throw new ConfigError(
      '生产模式（NODE_ENV=production）必须设置 MicrosoftAppId 和 MicrosoftAppPassword，否则任何人都能冒充渠道。' +
        '在本机试用请用开发模式：npm start（默认 NODE_ENV=development）。',
    );
  }
  if (c.MicrosoftAppId && c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
    throw new ConfigError('设置了 MicrosoftAppId 但缺少 MicrosoftAppPassword。');
  }
  if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId) {
    throw new ConfigError('MicrosoftAppType=SingleTenant 时必须设置 MicrosoftAppTenantId。');
  }
  if (c.WEBCHAT_DIRECTLINE === 'azure' && !c.DIRECTLINE_SECRET) {
    throw new ConfigError('WEBCHAT_DIRECTLINE=azure 时必须设置 DIRECTLINE_SECRET。');
  }
  return Object.freeze({
    ...c,
    dataDir: path.resolve(c.DATA_DIR),
    contentRoot: path.resolve(c.CONTENT_ROOT),
    development: c.NODE_ENV !== 'production' && !c.MicrosoftAppId,
  });
}
