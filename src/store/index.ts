/** The progress store: SQLite file under DATA_DIR, migrations, user keys, a botbuilder Storage. */
export type { Db, DeleteUserOptions, DeleteUserResult, Migration, OpenStoreOptions, Profile, ProfilePatch, RunResult, Store } from './types.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { openStore, DEFAULT_DB_FILE } from './store.js';
export { MIGRATIONS } from './migrations.js';
export { resolveSecret, hashUserKey, MIN_SECRET_LENGTH, SECRET_FILE, type ResolvedSecret } from './secret.js';
export { SqliteStorage, StorageConflictError, keyOwner, redactKey } from './storage.js';
