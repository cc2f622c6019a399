/** Roles, in increasing power, and the one place that decides what a caller may do. */

/** Every role, weakest first. */
export const ROLES = ['viewer', 'agent', 'operator', 'supervisor', 'admin'] as const;

/** A role name. */
export type Role = (typeof ROLES)[number];

/** Token scopes: `all` (everything the account's role allows) or one narrow capability. */
export const SCOPES = ['all', 'click-to-dial'] as const;

/** A token scope. */
export type Scope = (typeof SCOPES)[number];

/** Who is calling, once authenticated. */
export interface Principal {
  /** Account id. */
  accountId: number;
  /** Account name. */
  name: string;
  /** Its role. */
  role: Role;
  /** Extensions the account owns. */
  extensions: string[];
  /** Preferred UI language. */
  language: string | null;
  /** How it authenticated. */
  via: 'session' | 'token';
  /** Token scope (`all` for sessions). */
  scope: Scope;
  /** The session's CSRF token (sessions only). */
  csrfToken?: string;
  /** Token id (tokens only). */
  tokenId?: number;
}

/** True for a known role name. */
export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** True when `role` is at least `needed`. */
export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * True when the principal may act on a channel or call that involves `extensions`: operators and up on anything,
 * agents only on their own extensions.
 */
export function mayActOn(p: Principal, involved: readonly string[]): boolean {
  if (atLeast(p.role, 'operator')) return true;
  if (p.role !== 'agent') return false;
  return involved.some((e) => p.extensions.includes(e));
}
