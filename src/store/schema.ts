/** The router's tables as Kysely types: one schema for SQLite and PostgreSQL (booleans are 0/1, times ISO-8601 text). */
import type { Generated } from 'kysely';
import type { AdminTables } from './schema-admin.js';
import type { AuthTables } from './schema-auth.js';
import type { FeedsTables } from './schema-feeds.js';
import type { GatewayTables } from './schema-gateway.js';
import type { HistoryTables } from './schema-history.js';
import type { TrunkTables } from './schema-trunks.js';
import type { WebhookTables } from './schema-webhooks.js';

/** `routes`: one routing rule. */
export interface RoutesTable {
  id: Generated<number>;
  name: string;
  pattern: string;
  caller_id: string | null;
  app: string;
  /** JSON object with the application's settings. */
  app_data: string;
  position: number;
  enabled: number;
  rewrite_strip: number;
  rewrite_prepend: string;
  /** Comma-separated DIALSTATUS values (or `cause:<n>` hangup causes) that move to the next target. */
  failover_on: string;
}

/** `targets`: the ordered dial targets of a route (failover order). */
export interface TargetsTable {
  id: Generated<number>;
  route_id: number;
  position: number;
  template: string;
  options: string | null;
  timeout: number | null;
}

/** `time_windows`: when a route is open (none = always). */
export interface TimeWindowsTable {
  id: Generated<number>;
  route_id: number;
  /** e.g. `mon-fri`, `sat,sun`; empty = every day. */
  weekdays: string;
  /** `HH:MM` or null (= 00:00). */
  start_time: string | null;
  /** `HH:MM` or null (= 24:00). */
  end_time: string | null;
  /** `YYYY-MM-DD` or null. */
  start_date: string | null;
  /** `YYYY-MM-DD` or null. */
  end_date: string | null;
  timezone: string;
}

/** `extensions`: the callers the router knows. */
export interface ExtensionsTable {
  id: Generated<number>;
  number: string;
  name: string;
}

/** `users`: people who unlock routes with a PIN (stored as a salted scrypt hash). */
export interface UsersTable {
  id: Generated<number>;
  name: string;
  pin_hash: string;
}

/** `permissions`: a route an extension may use without PIN, or a route a user's PIN unlocks. */
export interface PermissionsTable {
  id: Generated<number>;
  route_id: number;
  extension_id: number | null;
  user_id: number | null;
}

/** `call_log`: one row per routed call (never a PIN). */
export interface CallLogTable {
  id: Generated<number>;
  at: string;
  uniqueid: string;
  channel: string;
  caller: string;
  dialed: string;
  route: string | null;
  outcome: string;
  attempts: number;
  target: string | null;
  user_name: string | null;
  detail: string | null;
}

/** `lockouts`: PIN failures per caller, for the brute-force lockout. */
export interface LockoutsTable {
  caller: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
}

/** `meta`: key/value pairs (e.g. `rules_version`, changed by every edit of the rules). */
export interface MetaTable {
  key: string;
  value: string;
}

/** Every table of the store: the router's below, each room's merged in. */
export interface Database
  extends AdminTables,
    AuthTables,
    TrunkTables,
    HistoryTables,
    FeedsTables,
    WebhookTables,
    GatewayTables {
  routes: RoutesTable;
  targets: TargetsTable;
  time_windows: TimeWindowsTable;
  extensions: ExtensionsTable;
  users: UsersTable;
  permissions: PermissionsTable;
  call_log: CallLogTable;
  lockouts: LockoutsTable;
  meta: MetaTable;
}
