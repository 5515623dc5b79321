/**
 * The secret that turns channel + user id into a user key. The server and the CLI both use
 * resolveSecret, so `fanzha progress --user ID` finds the same rows the bot wrote.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StoreError, toStoreError } from './errors.js';
import { Lru } from './lru.js';

export const SECRET_FILE = 'secret.key';
export const MIN_SECRET_LENGTH = 16;

export interface ResolvedSecret {
  secret: string;
  /** env: USER_KEY_SECRET; file: read from <dataDir>/secret.key; created: written just now. */
  source: 'env' | 'file' | 'created';
}

/**
 * USER_KEY_SECRET when set, else the secret in `<dataDir>/secret.key`, created once (mode 600)
 * with 32 random bytes. Losing that file means users lose their progress.
 */
export function resolveSecret(opts: { dataDir: string; env?: NodeJS.ProcessEnv }): ResolvedSecret {
  const env = opts.env ?? process.env;
  const fromEnv = env.USER_KEY_SECRET?.trim();
  if (fromEnv) {
    checkSecret(fromEnv, 'USER_KEY_SECRET');
    return { secret: fromEnv, source: 'env' };
  }
  const file = path.join(opts.dataDir, SECRET_FILE);
  try {
    mkdirSync(opts.dataDir, { recursive: true });
  } catch (err) {
    throw toStoreError(err, opts.dataDir, '创建数据文件夹');
  }
  const fresh = randomBytes(32).toString('hex');
  try {
    // 'wx' fails when the file exists, so two processes starting at once agree on one secret.
    writeFileSync(file, fresh + '\n', { flag: 'wx', mode: 0o600 });
    return { secret: fresh, source: 'created' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw toStoreError(err, file, '保存密钥文件');
  }
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (err) {
    throw toStoreError(err, file, '读取密钥文件');
  }
  checkSecret(secret, file);
  return { secret, source: 'file' };
}

export function checkSecret(secret: string, where: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new StoreError(
      'weak-secret',
      `用户密钥太短（${where}）：至少要 ${MIN_SECRET_LENGTH} 个字符。请设置更长的 USER_KEY_SECRET，或删掉空的 ${SECRET_FILE} 让程序重新生成。`,
    );
  }
}

/** HMAC-SHA256(secret, channelId + '\u0000' + userId) in hex. */
export function hashUserKey(secret: string, channelId: string, userId: string): string {
  return createHmac('sha256', secret).update(`${channelId}\u0000${userId}`).digest('hex');
}

/** Hash of a botbuilder storage key (domain-separated from user keys). */
export function hashStorageKey(secret: string, key: string): string {
  return createHmac('sha256', secret).update(`botstate\u0000${key}`).digest('hex');
}

/** How many recent ids each memo keeps (a few per active user). */
const MEMO_SIZE = 20_000;

/**
 * The two hashes above, remembered for recent ids: every turn hashes the same user and the
 * same state keys several times (user key, state reads, state writes and their owners), and
 * an HMAC costs more than the lookup. Only this process's memory holds the raw ids, as the
 * activities themselves do.
 */
export class KeyHasher {
  private readonly users = new Lru<string, string>(MEMO_SIZE);
  private readonly keys = new Lru<string, string>(MEMO_SIZE);
  constructor(private readonly secret: string) {}

  userKey(channelId: string, userId: string): string {
    const id = `${channelId}\u0000${userId}`;
    let h = this.users.get(id);
    if (h === undefined) {
      h = hashUserKey(this.secret, channelId, userId);
      this.users.set(id, h);
    }
    return h;
  }

  storageKey(key: string): string {
    let h = this.keys.get(key);
    if (h === undefined) {
      h = hashStorageKey(this.secret, key);
      this.keys.set(key, h);
    }
    return h;
  }
}
