/** Tables of trunks and lines: every state change of a trunk, so its history (when it went down, for how long) is kept. */
import type { Generated } from 'kysely';

/** `trunk_state_changes`: one row per state change of one trunk (times ISO-8601 UTC text, like the other tables). */
export interface TrunkStateChangesTable {
  id: Generated<number>;
  /** Trunk id, `<pbx>/<kind>/<name>` (as in `PbxTrunk.id`). */
  trunk_id: string;
  /** PBX (server) id. */
  pbx: string;
  /** `pjsip-registration`, `sip-registration`, `pjsip-endpoint` or `dahdi-span`. */
  kind: string;
  /** State before the change (null: first seen). */
  from_state: string | null;
  /** State after the change. */
  to_state: string;
  /** When the change happened. */
  at: string;
  /** Asterisk's reason, cause or alarm text, if any. */
  reason: string | null;
}

/** The trunk room's tables. */
export interface TrunkTables {
  trunk_state_changes: TrunkStateChangesTable;
}
