/** Tables of the feeds room: per-user CRM event feeds (times ISO-8601 UTC text, like the other tables). */
import type { Generated } from 'kysely';

/** `feeds`: one feed of one user. */
export interface FeedsTable {
  id: Generated<number>;
  /** Owner account id. */
  owner_id: number;
  name: string;
  /** PBX id the feed covers (null: every PBX). */
  pbx: string | null;
  /** `ami` (raw events) or `call` (call.ringing/answered/ended, trunk.down/up). */
  kind: string;
  /** The filter as JSON (`{events?, headers?, regex?, mine?}`). */
  filter: string;
  created_at: string;
  updated_at: string;
}

/** The feeds room's tables. */
export interface FeedsTables {
  feeds: FeedsTable;
}
