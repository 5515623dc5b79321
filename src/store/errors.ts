/**
 * Store failures the operator can act on: a Chinese message for people and an English code
 * for logs, tests and the start-up script. Raw sqlite errors never leak past the store.
 */

export type StoreErrorCode =
  | 'corrupt' // the file is not a database or is damaged
  | 'read-only' // the file or its folder cannot be written
  | 'locked' // another process holds the database lock
  | 'cannot-open' // the path cannot be opened or created (missing parent, a folder, permissions)
  | 'too-new' // the database was migrated by a newer version of the program
  | 'migration-failed'
  | 'weak-secret'
  | 'bad-input' // a caller passed a record the store refuses
  | 'closed'
  | 'io'; // anything else from SQLite or the file system

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface SqliteLikeError {
  code?: string;
  errno?: number;
  message?: string;
}

/** Map an error from sqlite3 or fs to a StoreError with a message that says what to do. */
export function toStoreError(err: unknown, file: string, during = '访问数据库'): StoreError {
  if (err instanceof StoreError) return err;
  const e = (err ?? {}) as SqliteLikeError;
  const msg = String(e.message ?? err);
  const code = e.code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /not a database|malformed/i.test(msg)) {
    return new StoreError(
      'corrupt',
      `数据库文件已损坏或不是数据库：${file}。请先把它移走备份（连同同名的 -wal、-shm 文件），再从备份恢复，或者删掉它让程序新建一个空库。`,
      { cause: err },
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new StoreError(
      'read-only',
      `数据库是只读的，无法写入：${file}。请检查这个文件和它所在文件夹的写权限（程序还需要在同一文件夹里建 -wal 和 -shm 文件），或换一个可写的 DATA_DIR。`,
      { cause: err },
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreError(
      'locked',
      `数据库被另一个程序锁住了：${file}。可能已经有一个反诈助手在运行，或者有工具正打开着这个文件；请先关掉它再启动。`,
      { cause: err },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new StoreError('cannot-open', `打不开数据库文件：${file}。请确认路径存在、是一个文件而不是文件夹，并且有读写权限。`, {
      cause: err,
    });
  }
  if (code === 'SQLITE_CONSTRAINT') {
    return new StoreError('bad-input', `数据不符合数据库的约束（${msg.replace(/^SQLITE_CONSTRAINT: /, '')}）`, { cause: err });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StoreError('io', `磁盘满了，无法写入数据库：${file}。请清理磁盘空间。`, { cause: err });
  }
  return new StoreError('io', `${during}时出错（${msg.slice(0, 200)}）：${file}`, { cause: err });
}
