/** Feeds: per-user filters over a PBX's events, stored as JSON. */
import type { Kysely, Selectable } from 'kysely';
import type { StoreDialect } from './migration-kit.js';
import type { Database } from './schema.js';
import type { FeedsTable } from './schema-feeds.js';

/** A stored feed. */
export interface FeedRecord {
  id: number;
  ownerId: number;
  name: string;
  /** PBX id, or null for every PBX. */
  pbx: string | null;
  kind: 'ami' | 'call';
  /** The filter object (validated by the feeds room before it is saved). */
  filter: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** What a feed is created or changed with. */
export interface FeedInput {
  name: string;
  pbx: string | null;
  kind: 'ami' | 'call';
  filter: Record<string, unknown>;
}

function toRecord(r: Selectable<FeedsTable>): FeedRecord {
  return {
    id: r.id,
    ownerId: r.owner_id,
    name: r.name,
    pbx: r.pbx,
    kind: r.kind === 'call' ? 'call' : 'ami',
    filter: JSON.parse(r.filter) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** CRUD of feeds. */
export class FeedRepository {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: StoreDialect,
  ) {}

  /** Every feed, or one owner's. */
  async list(ownerId?: number): Promise<FeedRecord[]> {
    let q = this.db.selectFrom('feeds').selectAll().orderBy('id');
    if (ownerId !== undefined) q = q.where('owner_id', '=', ownerId);
    return (await q.execute()).map(toRecord);
  }

  /** One feed. */
  async get(id: number): Promise<FeedRecord | undefined> {
    const r = await this.db.selectFrom('feeds').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** Creates a feed. */
  async create(ownerId: number, input: FeedInput): Promise<FeedRecord> {
    const now = new Date().toISOString();
    const r = await this.db
      .insertInto('feeds')
      .values({
        owner_id: ownerId,
        name: input.name,
        pbx: input.pbx,
        kind: input.kind,
        filter: JSON.stringify(input.filter),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(r);
  }

  /** Replaces a feed's fields; undefined when it does not exist. */
  async update(id: number, input: FeedInput): Promise<FeedRecord | undefined> {
    const r = await this.db
      .updateTable('feeds')
      .set({
        name: input.name,
        pbx: input.pbx,
        kind: input.kind,
        filter: JSON.stringify(input.filter),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** Deletes a feed; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('feeds').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
