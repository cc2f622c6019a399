/** `switchboard/store`: persistence for the applications — one schema on SQLite (default) or PostgreSQL. */

export type { PhoneFetch, PhoneInsert, PhonePatch, PhoneRecord, PhoneSecrets } from './admin.js';
export { PhoneFetchRepository, PhoneRepository, withoutPhoneSecrets } from './admin.js';
export type { AccountRecord, AccountWithSecret, AuditEntry, SessionRecord, TokenRecord } from './auth.js';
export {
  AccountRepository,
  AuditRepository,
  LoginAttemptRepository,
  SessionRepository,
  TokenRepository,
} from './auth.js';
export type { ExtensionRecord, PermissionRecord, UserRecord } from './directory.js';
export { ExtensionRepository, PermissionRepository, UserRepository } from './directory.js';
export { StoreError } from './errors.js';
export type { FeedInput, FeedRecord } from './feeds.js';
export { FeedRepository } from './feeds.js';
export type { GatewayUserInput, GatewayUserPatch, GatewayUserRecord } from './gateway.js';
export { GatewayUserRepository } from './gateway.js';
export type {
  HistoryEntry,
  HistoryFilter,
  HistoryGroupBy,
  HistoryGroupSums,
  HistoryKey,
  HistoryRow,
} from './history.js';
export { HistoryRepository } from './history.js';
export type { CallLogEntry, LockoutPolicy, LockoutState } from './log.js';
export { CallLogRepository, LockoutRepository } from './log.js';
export type { AnyDb, RoomMigrations } from './migration-kit.js';
export { idColumn } from './migration-kit.js';
export type { StoreDialect } from './migrations.js';
export { migrationProvider } from './migrations.js';
export type { Store, StoreOptions, StoreRepositories } from './open.js';
export { DEFAULT_DB_PATH, isPostgresUrl, openStore, redactLocation } from './open.js';
export type { RouteInput, RouteRecord, TargetRecord, TimeWindowRecord } from './routes.js';
export { RouteRepository } from './routes.js';
export type { Database } from './schema.js';
export type { AdminTables } from './schema-admin.js';
export type { AuthTables } from './schema-auth.js';
export type { FeedsTables } from './schema-feeds.js';
export type { GatewayTables } from './schema-gateway.js';
export type { HistoryTables } from './schema-history.js';
export type { TrunkTables } from './schema-trunks.js';
export type { WebhookTables } from './schema-webhooks.js';
export type { TrunkStateChange, TrunkStateChangeRecord, TrunkStatePeriod, TrunkTimeRange } from './trunks.js';
export { TRUNK_DOWN_STATES, TrunkStateRepository } from './trunks.js';
export type {
  AttemptOutcome,
  OutboxInsert,
  OutboxRecord,
  RecordedOutcome,
  WebhookTargetInput,
  WebhookTargetRecord,
} from './webhooks.js';
export { WebhookOutboxRepository, WebhookTargetRepository } from './webhooks.js';
