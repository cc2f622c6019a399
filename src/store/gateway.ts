/** AMI gateway logins managed over the API (`gateway_users`). Secrets are stored sealed by the caller. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { StoreDialect } from './migration-kit.js';
import type { Database } from './schema.js';
import type { GatewayUsersTable } from './schema-gateway.js';
import { conflict, notFound } from './util.js';

/** A stored gateway login, without its secret. */
export interface GatewayUserRecord {
  id: number;
  name: string;
  read: string[];
  write: string[];
  actions: string[] | null;
  commands: string[] | null;
  filter: Record<string, unknown> | null;
  extensions: string[] | null;
  pbx: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a login is created with (`secret` already sealed). */
export interface GatewayUserInput {
  name: string;
  sealedSecret: string;
  read: string[];
  write: string[];
  actions?: string[] | null;
  commands?: string[] | null;
  filter?: Record<string, unknown> | null;
  extensions?: string[] | null;
  pbx?: string | null;
}

/** A change (absent keys are kept; null clears). */
export type GatewayUserPatch = Partial<Omit<GatewayUserInput, 'name'>>;

const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

function toRecord(r: Selectable<GatewayUsersTable>): GatewayUserRecord {
  return {
    id: r.id,
    name: r.name,
    read: JSON.parse(r.read_classes) as string[],
    write: JSON.parse(r.write_classes) as string[],
    actions: json<string[]>(r.actions),
    commands: json<string[]>(r.commands),
    filter: json<Record<string, unknown>>(r.filter),
    extensions: json<string[]>(r.extensions),
    pbx: r.pbx,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** CRUD of gateway logins. */
export class GatewayUserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: StoreDialect,
  ) {}

  /** Every login (no secrets), by name. */
  async list(): Promise<GatewayUserRecord[]> {
    return (await this.db.selectFrom('gateway_users').selectAll().orderBy('name').execute()).map(toRecord);
  }

  /** Every login with its sealed secret (for the gateway itself, never for a response). */
  async listWithSecrets(): Promise<Array<GatewayUserRecord & { sealedSecret: string }>> {
    const rows = await this.db.selectFrom('gateway_users').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ ...toRecord(r), sealedSecret: r.secret }));
  }

  /** One login by name. */
  async get(name: string): Promise<GatewayUserRecord | undefined> {
    const r = await this.db
      .selectFrom('gateway_users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** Creates a login; `STORE_CONFLICT` when the name exists. */
  async create(input: GatewayUserInput): Promise<GatewayUserRecord> {
    const now = new Date().toISOString();
    try {
      const r = await this.db
        .insertInto('gateway_users')
        .values({
          name: input.name,
          secret: input.sealedSecret,
          read_classes: JSON.stringify(input.read),
          write_classes: JSON.stringify(input.write),
          actions: text(input.actions),
          commands: text(input.commands),
          filter: text(input.filter),
          extensions: text(input.extensions),
          pbx: input.pbx ?? null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(r);
    } catch (err) {
      conflict(err, `gateway user ${input.name}`);
    }
  }

  /** Changes a login; `STORE_NOT_FOUND` when there is none. */
  async update(name: string, patch: GatewayUserPatch): Promise<GatewayUserRecord> {
    const set: Updateable<GatewayUsersTable> = { updated_at: new Date().toISOString() };
    if (patch.sealedSecret !== undefined) set.secret = patch.sealedSecret;
    if (patch.read !== undefined) set.read_classes = JSON.stringify(patch.read);
    if (patch.write !== undefined) set.write_classes = JSON.stringify(patch.write);
    if (patch.actions !== undefined) set.actions = text(patch.actions);
    if (patch.commands !== undefined) set.commands = text(patch.commands);
    if (patch.filter !== undefined) set.filter = text(patch.filter);
    if (patch.extensions !== undefined) set.extensions = text(patch.extensions);
    if (patch.pbx !== undefined) set.pbx = patch.pbx;
    const r = await this.db
      .updateTable('gateway_users')
      .set(set)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw notFound(`gateway user ${name}`);
    return toRecord(r);
  }

  /** Deletes a login; `STORE_NOT_FOUND` when there is none. */
  async delete(name: string): Promise<void> {
    const r = await this.db.deleteFrom('gateway_users').where('name', '=', name).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`gateway user ${name}`);
  }
}
