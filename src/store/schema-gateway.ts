/** Tables of the AMI gateway: logins managed over the API (config-file logins are not stored). */
import type { Generated } from 'kysely';

/** `gateway_users`: one AMI gateway login. Lists are JSON text; times ISO-8601 UTC text. */
export interface GatewayUsersTable {
  id: Generated<number>;
  /** The AMI `Username`. */
  name: string;
  /** The secret, sealed (`v1:` AES-256-GCM with `gateway.secretKey`, or `plain:`); never listed. */
  secret: string;
  /** JSON array of read classes. */
  read_classes: string;
  /** JSON array of write classes. */
  write_classes: string;
  /** JSON array of allowed actions, or null for none given. */
  actions: string | null;
  /** JSON array of allowed `Command` prefixes, or null. */
  commands: string | null;
  /** JSON feed filter, or null. */
  filter: string | null;
  /** JSON array of the client's extensions (for `filter.mine`), or null. */
  extensions: string | null;
  /** PBX id, or null for the first one. */
  pbx: string | null;
  created_at: string;
  updated_at: string;
}

/** The gateway room's tables. */
export interface GatewayTables {
  gateway_users: GatewayUsersTable;
}
