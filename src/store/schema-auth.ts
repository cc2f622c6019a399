/** Tables of the server's people and programs: accounts, sessions, API tokens, login throttling and the audit log. */
import type { Generated } from 'kysely';

/** `accounts`: people who sign in to Switchboard (not the router's PIN users). */
export interface AccountsTable {
  id: Generated<number>;
  name: string;
  /** viewer, agent, operator, supervisor or admin. */
  role: string;
  /** scrypt hash `scrypt$N$r$p$salt$hash` (base64). */
  password_hash: string;
  /** JSON array of the extensions this person owns (an agent acts on these). */
  extensions: string;
  /** Preferred UI language (`en`, `es`…), or null. */
  language: string | null;
  created_at: string;
  /** Bumped on password change or removal: sessions issued before are invalid. */
  disabled: number;
}

/** `sessions`: browser sessions; only the SHA-256 of the cookie value is stored. */
export interface SessionsTable {
  token_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  address: string | null;
  user_agent: string | null;
}

/** `api_tokens`: bearer tokens for programs; only the SHA-256 of the token is stored. */
export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  account_id: number;
  token_hash: string;
  /** First characters of the token, to recognise it in lists. */
  prefix: string;
  /** `all`, or a narrower scope such as `click-to-dial`. */
  scope: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** `login_attempts`: failed sign-ins per key (`user:<name>` or `addr:<ip>`), shared by every server process. */
export interface LoginAttemptsTable {
  key: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
}

/** `audit_log`: one row per write through the API (never a secret). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  address: string | null;
  status: number;
  outcome: string;
  detail: string | null;
}

/** The auth tables, merged into the store's `Database`. */
export interface AuthTables {
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
}
