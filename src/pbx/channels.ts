/** Channels of one server: creation, field updates from any event carrying them, bridge membership, and the
 * Asterisk 11 grouping of channels into calls when the server sends no Linkedid. */
import type { CallBook } from './calls.js';
import { type ChangeSink, channelState, raw, str } from './fields.js';
import type { PbxChannel, PbxMessage } from './types.js';

/** A channel with the sequence numbers of its creation and last update (for re-snapshots). */
export interface ChanState {
  ch: PbxChannel;
  created: number;
  updated: number;
  /** The linkedid is the model's guess (the server sent none). */
  derived: boolean;
}

/** Most CEL linkedid hints kept, and most events held during a snapshot. */
export const MAX_HINTS = 10_000;

type FieldKey =
  | 'callerIdNum'
  | 'callerIdName'
  | 'connectedLineNum'
  | 'connectedLineName'
  | 'accountCode'
  | 'language'
  | 'context'
  | 'exten'
  | 'priority';
/** Channel fields copied from any event that carries them: [field, header, other spelling]. */
const FIELDS: [FieldKey, string, string | undefined][] = [
  ['callerIdNum', 'CallerIDNum', undefined],
  ['callerIdName', 'CallerIDName', undefined],
  ['connectedLineNum', 'ConnectedLineNum', undefined],
  ['connectedLineName', 'ConnectedLineName', undefined],
  ['accountCode', 'AccountCode', undefined],
  ['language', 'Language', undefined],
  ['context', 'Context', undefined],
  ['exten', 'Extension', 'Exten'],
];

/** `<unknown>`, `unknown`, `(null)` and empty values mean "not set". */
function clean(v: string): string | undefined {
  return v === '' || v === '<unknown>' || v === 'unknown' || v === '(null)' ? undefined : v;
}

/** The live channels of one server. */
export class ChannelBook {
  /** Live channels by uniqueid. */
  readonly map = new Map<string, ChanState>();
  /** uniqueid → linkedid from CEL CHAN_START, for servers whose Newchannel has no Linkedid. */
  readonly hints = new Map<string, string>();

  /**
   * @param sink where changes go
   * @param calls the calls the channels belong to
   */
  constructor(
    private readonly sink: ChangeSink,
    private readonly calls: CallBook,
  ) {}

  /** Marks a channel as updated by the change about to be pushed. */
  touch(s: ChanState): void {
    s.updated = this.sink.seq + 1;
  }

  /** A CEL told the real linkedid of a channel whose linkedid was guessed. */
  relink(uid: string, lid: string): void {
    const s = this.map.get(uid);
    if (!s?.derived) return;
    s.derived = false;
    if (s.ch.linkedid === lid) return;
    this.calls.move(uid, lid, s.ch);
    this.touch(s);
    this.emit(s, 'update');
  }

  /** Emits a channel change (a copy of the channel). */
  emit(s: ChanState, op: 'add' | 'update' | 'remove', disconnected?: boolean): void {
    this.sink.push('channel', op, s.ch.id, { ...s.ch }, disconnected);
  }

  /** Records that a channel entered (bridge id) or left (undefined) a bridge. */
  setBridge(uid: string, bridge: string | undefined, from?: string): void {
    const s = this.map.get(uid);
    if (!s) return;
    if (bridge === undefined && from !== undefined && s.ch.bridgeId !== from) return;
    if (s.ch.bridgeId === bridge) return;
    s.ch.bridgeId = bridge;
    s.updated = this.sink.seq + 1;
    this.emit(s, 'update');
  }

  /** Creates a channel from a Newchannel (or a list item) and adds it to its call. */
  create(m: PbxMessage, uid: string, now: number, createdAt = now): ChanState {
    const st = channelState(m) ?? { state: 0, desc: 'Down' };
    const hinted = this.hints.get(uid);
    if (hinted !== undefined) this.hints.delete(uid);
    // Every field present from the start: one object shape for all channels (fast property access).
    const ch: PbxChannel = {
      id: `${this.sink.server}/${uid}`,
      server: this.sink.server,
      uniqueid: uid,
      linkedid: str(m, 'Linkedid') ?? hinted ?? uid,
      name: raw(m, 'Channel') ?? uid,
      state: st.state,
      stateDesc: st.desc,
      callerIdNum: undefined,
      callerIdName: undefined,
      connectedLineNum: undefined,
      connectedLineName: undefined,
      context: undefined,
      exten: undefined,
      priority: undefined,
      application: undefined,
      applicationData: undefined,
      accountCode: undefined,
      language: undefined,
      createdAt,
      answeredAt: undefined,
      bridgeId: undefined,
      onHold: false,
      musicOnHold: false,
      lastDtmf: undefined,
    };
    const s: ChanState = {
      ch,
      created: this.sink.seq + 1,
      updated: this.sink.seq + 1,
      derived: !str(m, 'Linkedid') && hinted === undefined,
    };
    this.map.set(uid, s);
    this.fields(s, m, now);
    if (ch.state === 6) ch.answeredAt = now;
    this.emit(s, 'add');
    this.calls.addChannel(ch);
    return s;
  }

  /** Copies the snapshot fields present in `m` onto the channel; returns whether anything changed. */
  fields(s: ChanState, m: PbxMessage, now: number): boolean {
    const ch = s.ch;
    let changed = false;
    const set = <K extends FieldKey>(k: K, v: PbxChannel[K] | undefined) => {
      if (ch[k] !== v) {
        ch[k] = v as PbxChannel[K];
        changed = true;
      }
    };
    for (const [key, header, alt] of FIELDS) {
      const v = m.get(header) ?? (alt === undefined ? undefined : m.get(alt));
      if (v !== undefined) set(key, clean(v));
    }
    const pr = m.get('Priority');
    if (pr !== undefined) set('priority', clean(pr) === undefined ? undefined : Number.parseInt(pr, 10));
    const st = channelState(m);
    if (st && st.state !== ch.state) {
      ch.state = st.state;
      ch.stateDesc = st.desc;
      changed = true;
      if (st.state === 6 && ch.answeredAt === undefined) {
        ch.answeredAt = now;
        this.calls.answered(ch, now);
      }
    }
    if (changed) {
      s.updated = this.sink.seq + 1;
      this.calls.updateLeg(ch);
    }
    return changed;
  }

  /** Applies the snapshot fields of an event (and a changed Linkedid) to a known channel. */
  refresh(s: ChanState, m: PbxMessage, now: number): void {
    const lid = str(m, 'Linkedid');
    if (lid && lid !== s.ch.linkedid) {
      this.calls.move(s.ch.uniqueid, lid, s.ch);
      s.updated = this.sink.seq + 1;
      this.emit(s, 'update');
    }
    if (this.fields(s, m, now)) this.emit(s, 'update');
  }

  /** Asterisk ≤ 11 sends no Linkedid: a call absorbs the later one when its channels meet. */
  mergeCalls(a: string, b: string): void {
    const la = this.calls.callOf(a);
    const lb = this.calls.callOf(b);
    if (la === undefined || lb === undefined || la === lb) return;
    const order = uniqueidOrder(la, lb) || (this.calls.startOf(la) ?? 0) - (this.calls.startOf(lb) ?? 0);
    const older = order <= 0 ? la : lb;
    const younger = older === la ? lb : la;
    this.absorb(younger, older);
  }

  private absorb(from: string, into: string): void {
    for (const uid of this.calls.legsOf(from)) {
      const s = this.map.get(uid);
      if (s) {
        this.calls.move(uid, into, s.ch);
        s.updated = this.sink.seq + 1;
        this.emit(s, 'update');
      } else this.calls.move(uid, into, undefined);
    }
  }

  /** Local `;1`/`;2` halves belong to one call (used when no Linkedid is given). */
  localPair(ch: PbxChannel): void {
    const m = /^(Local\/.+);([12])$/.exec(ch.name);
    if (!m) return;
    const other = `${m[1]};${m[2] === '1' ? '2' : '1'}`;
    for (const s of this.map.values()) {
      if (s.ch.name === other) {
        this.mergeCalls(ch.uniqueid, s.ch.uniqueid);
        return;
      }
    }
  }
}

/** Orders two uniqueids (`[system-]<epoch>.<seq>`) by age; 0 when either has another shape. */
function uniqueidOrder(a: string, b: string): number {
  const pa = /(\d+)\.(\d+)$/.exec(a);
  const pb = /(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return 0;
  return Number(pa[1]) - Number(pb[1]) || Number(pa[2]) - Number(pb[2]);
}

function _hmsSeconds(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const p = v.split(':').map((x) => Number.parseInt(x, 10));
  if (p.some((x) => !Number.isFinite(x))) return undefined;
  return p.reduce((a, b) => a * 60 + b, 0);
}
