/** The shapes of `/api/v1/users`, `/api/v1/tokens` and `/api/v1/audit`. */
import type { Role } from '../../api/types';

/** A user (never a password). */
export interface User {
  id: number;
  name: string;
  role: Role;
  extensions: string[];
  language: string | null;
  createdAt: string;
}

/** A token (never the token itself, except once in the create answer). */
export interface Token {
  id: number;
  name: string;
  account: string;
  prefix: string;
  scope: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** One audit entry. */
export interface AuditEntry {
  id?: number;
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

/** Token scopes. */
export const SCOPES = ['all', 'click-to-dial'] as const;
