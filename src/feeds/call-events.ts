/**
 * Higher-level call events for CRM screen-pops, derived from the live model's changes: `call.ringing` (the first
 * dial of a call), `call.answered` (the call's first answer), `call.ended` (its finished record), plus
 * `trunk.down` / `trunk.up` from `trunk` changes. Pure: feed it `PbxChange`s, get events back.
 */
import type { PbxCall, PbxCallRecord, PbxChange, PbxTrunk } from '../pbx/index.js';
import { channelExtension } from './filter.js';

/** Direction relative to the extensions Switchboard knows (accounts' extensions). */
export type CallDirection = 'inbound' | 'outbound' | 'internal' | 'unknown';

/** The event types a `call` feed emits (what its `filter.events` may name). */
export const CALL_EVENT_TYPES = [
  'call.ringing',
  'call.answered',
  'call.ended',
  'trunk.down',
  'trunk.up',
] as const;

/** One call event. */
export interface CallEvent {
  type: (typeof CALL_EVENT_TYPES)[number];
  /** PBX id. */
  pbx: string;
  /** Call id (`<pbx>/<linkedid>`) or trunk id. */
  id: string;
  /** Epoch ms. */
  at: number;
  /** Caller number (or extension). */
  caller?: string;
  /** Callee number (or extension). */
  callee?: string;
  direction?: CallDirection;
  /** Seconds (call.ended). */
  duration?: number;
  /** Seconds talked (call.ended). */
  billable?: number;
  /** ANSWERED, NO ANSWER, BUSY, FAILED (call.ended). */
  disposition?: string;
  /** Recording file, when the model knows one (it does not yet: always null, see README). */
  recording?: string | null;
  /** Extensions involved (for "mine"). */
  extensions: string[];
  /** Trunk state and reason (trunk events). */
  state?: string;
  reason?: string;
}

const TRUNK_UP = new Set(['registered', 'reachable', 'up']);
const TRUNK_DOWN = new Set(['rejected', 'unregistered', 'unreachable', 'alarm']);

function directionOf(
  caller: string | undefined,
  callee: string | undefined,
  known: ReadonlySet<string>,
): CallDirection {
  const a = caller !== undefined && known.has(caller);
  const b = callee !== undefined && known.has(callee);
  if (a && b) return 'internal';
  if (a) return 'outbound';
  if (b) return 'inbound';
  return 'unknown';
}

/** Turns model changes into call events; remembers per call what it has said already. */
export class CallEventDeriver {
  private readonly rang = new Set<string>();
  private readonly answered = new Set<string>();
  private readonly trunkUp = new Map<string, boolean>();

  /** `known`: extensions of Switchboard's accounts (for `direction`). */
  constructor(private readonly known: () => ReadonlySet<string> = () => new Set()) {}

  /** Events caused by one change (usually none). */
  apply(c: PbxChange): CallEvent[] {
    if (c.type === 'call' && c.op !== 'remove') return this.call(c.server, c.data as PbxCall);
    if (c.type === 'record' && c.op === 'add') return [this.ended(c.server, c.data as PbxCallRecord)];
    if (c.type === 'trunk' && c.op !== 'remove') return this.trunk(c.server, c.data as PbxTrunk);
    return [];
  }

  private parties(call: PbxCall): { caller?: string; callee?: string; extensions: string[] } {
    const first = call.legs[0];
    const dial = call.dials[0];
    const caller = first ? (channelExtension(first.name) ?? first.callerIdNum) : undefined;
    const callee = dial ? channelExtension(dial.toName) : first?.exten;
    const extensions = new Set<string>();
    for (const l of call.legs) {
      const e = channelExtension(l.name);
      if (e) extensions.add(e);
    }
    for (const d of call.dials) {
      const e = channelExtension(d.toName);
      if (e) extensions.add(e);
    }
    return { ...(caller ? { caller } : {}), ...(callee ? { callee } : {}), extensions: [...extensions] };
  }

  private call(pbx: string, call: PbxCall): CallEvent[] {
    const out: CallEvent[] = [];
    const base = () => {
      const p = this.parties(call);
      return { pbx, id: call.id, ...p, direction: directionOf(p.caller, p.callee, this.known()) };
    };
    if (!this.rang.has(call.id) && call.dials.length > 0) {
      this.rang.add(call.id);
      out.push({ type: 'call.ringing', at: call.dials[0]!.startedAt, ...base() });
    }
    if (
      !this.answered.has(call.id) &&
      call.answeredAt !== undefined &&
      call.dials.some((d) => d.status === 'ANSWER')
    ) {
      this.answered.add(call.id);
      out.push({ type: 'call.answered', at: call.answeredAt, ...base() });
    }
    return out;
  }

  private ended(pbx: string, r: PbxCallRecord): CallEvent {
    this.rang.delete(r.id);
    this.answered.delete(r.id);
    const extensions = new Set<string>();
    for (const l of r.legs) {
      const e = channelExtension(l.name);
      if (e) extensions.add(e);
    }
    const first = r.legs[0];
    const caller = (first ? channelExtension(first.name) : undefined) ?? r.source;
    const dial = r.dials[0];
    const callee = (dial ? channelExtension(dial.toName) : undefined) ?? r.destination;
    return {
      type: 'call.ended',
      pbx,
      id: r.id,
      at: r.end,
      ...(caller ? { caller } : {}),
      ...(callee ? { callee } : {}),
      direction: directionOf(caller, callee, this.known()),
      duration: r.durationSeconds,
      billable: r.billableSeconds,
      disposition: r.disposition,
      recording: null,
      extensions: [...extensions],
    };
  }

  private trunk(pbx: string, t: PbxTrunk): CallEvent[] {
    const state: string = t.state;
    const up = TRUNK_UP.has(state) ? true : TRUNK_DOWN.has(state) ? false : undefined;
    if (up === undefined) return [];
    const before = this.trunkUp.get(t.id);
    this.trunkUp.set(t.id, up);
    if (before === undefined ? up : before === up) return [];
    return [
      {
        type: up ? 'trunk.up' : 'trunk.down',
        pbx,
        id: t.id,
        at: t.since,
        state,
        ...(t.reason !== undefined ? { reason: t.reason } : {}),
        extensions: [],
      },
    ];
  }
}
