/** The trunk entries of one server and what every trunk kind shares: creation, state changes, emission, pruning. */
import type { ChangeSink } from './fields.js';
import type { PbxTrunk, PbxTrunkKind, PbxTrunkState } from './trunk-types.js';

/** One trunk and what the books keep beside it. */
export interface TrunkEntry {
  /** The trunk. */
  t: PbxTrunk;
  /** Last emitted JSON (an update is emitted only when something changed). */
  last: string;
  /** When `registering` was set by `markRegistering` (cleared by the next `Registry`). */
  pending?: number;
  /** Endpoint contacts by URI. */
  contacts?: Map<string, { uri: string; status: string; roundtripUsec?: number }>;
  /** Span seen in an event or configured: list replies never remove it. */
  sticky?: boolean;
  /** What put a span in alarm (channel alarms only clear what channel alarms set). */
  alarmBy?: 'span' | 'channels' | 'pri';
}

/** The entries, keyed by trunk id. */
export class TrunkEntries {
  /** Entries by id. */
  readonly map = new Map<string, TrunkEntry>();
  /** While a re-snapshot is in flight: trunk ids (and `ch:<n>` DAHDI channels) changed by newer events. */
  fresh: Set<string> | undefined;

  /** @param sink where changes go */
  constructor(private readonly sink: ChangeSink) {}

  /** Copies of every trunk. */
  list(): PbxTrunk[] {
    return [...this.map.values()].map((e) => copy(e.t));
  }

  /** A copy of one trunk. */
  get(id: string): PbxTrunk | undefined {
    const e = this.map.get(id);
    return e ? copy(e.t) : undefined;
  }

  /** The entry of a trunk by kind and name. */
  byName(kind: PbxTrunkKind, name: string): TrunkEntry | undefined {
    return this.map.get(`${this.sink.server}/${kind}/${name}`);
  }

  /** The entry of a trunk, created (and not yet emitted) when new. */
  ensure(
    kind: PbxTrunkKind,
    name: string,
    state: PbxTrunkState,
    now: number,
    status?: string,
    reason?: string,
  ): { e: TrunkEntry; added: boolean } {
    const id = `${this.sink.server}/${kind}/${name}`;
    const old = this.map.get(id);
    if (old) return { e: old, added: false };
    const t: PbxTrunk = { id, server: this.sink.server, name, kind, state, since: now };
    if (reason ?? status) t.reason = (reason ?? status) as string;
    if (status) t.status = status;
    const e: TrunkEntry = { t, last: '' };
    this.map.set(id, e);
    return { e, added: true };
  }

  /** Sets the state; `since` and `previousState` move only when the state really changes. */
  set(
    e: TrunkEntry,
    state: PbxTrunkState,
    reason: string | undefined,
    status: string | undefined,
    now: number,
  ): void {
    if (e.t.state !== state) {
      e.t.previousState = e.t.state;
      e.t.state = state;
      e.t.since = now;
    }
    if (reason !== undefined && reason !== '') e.t.reason = reason;
    if (status !== undefined && status !== '') e.t.status = status;
  }

  /** Emits `add` or, when something changed since the last emit, `update`. */
  emit(e: TrunkEntry, added: boolean): void {
    const json = JSON.stringify(e.t);
    if (!added && json === e.last) return;
    e.last = json;
    this.sink.push('trunk', added ? 'add' : 'update', e.t.id, copy(e.t));
  }

  /** Removes the trunks of `kind` not seen in a list (unless an event touched them or `keep` says so). */
  prune(kind: PbxTrunkKind, seen: Set<string>, keep?: (e: TrunkEntry) => boolean): void {
    for (const [id, e] of [...this.map]) {
      if (e.t.kind !== kind || seen.has(id) || this.fresh?.has(id) || keep?.(e)) continue;
      this.map.delete(id);
      this.sink.push('trunk', 'remove', id, copy(e.t));
    }
  }
}

/** A deep enough copy for callers (nested detail objects and arrays are copied). */
export function copy(t: PbxTrunk): PbxTrunk {
  return structuredClone(t);
}
