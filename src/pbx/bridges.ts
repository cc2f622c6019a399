/** Bridges of one server (12+ BridgeCreate/Enter/Leave/Merge/Destroy; ≤ 11 `Bridge` Link/Unlink pairs). */
import type { ChangeSink } from './fields.js';
import type { PbxBridge } from './types.js';

interface BridgeState {
  b: PbxBridge;
  seq: number;
}

/** Bridge membership. Channel `bridgeId` fields are kept by the model through the callbacks it passes. */
export class BridgeBook {
  private readonly bridges = new Map<string, BridgeState>();

  /**
   * @param sink where changes go
   * @param setChannelBridge called when a channel enters (id) or leaves (undefined) a bridge
   */
  constructor(
    private readonly sink: ChangeSink,
    private readonly setChannelBridge: (uid: string, bridge: string | undefined, from?: string) => void,
  ) {}

  /** Number of bridges. */
  get size(): number {
    return this.bridges.size;
  }

  /** Copies of every bridge. */
  list(): PbxBridge[] {
    return [...this.bridges.values()].map((s) => ({ ...s.b, members: [...s.b.members] }));
  }

  /** The bridge, if known. */
  get(id: string): PbxBridge | undefined {
    return this.bridges.get(id)?.b;
  }

  private emit(s: BridgeState, op: 'add' | 'update' | 'remove', disconnected?: boolean): void {
    this.sink.push('bridge', op, s.b.id, { ...s.b, members: [...s.b.members] }, disconnected);
  }

  /** Creates the bridge if unknown, updating type/technology when given. */
  ensure(uniqueid: string, now: number, type?: string, technology?: string): PbxBridge {
    let s = this.bridges.get(uniqueid);
    const added = !s;
    if (!s) {
      s = {
        b: {
          id: `${this.sink.server}/${uniqueid}`,
          server: this.sink.server,
          uniqueid,
          members: [],
          createdAt: now,
        },
        seq: this.sink.seq,
      };
      this.bridges.set(uniqueid, s);
    }
    let changed = added;
    if (type && s.b.type !== type) {
      s.b.type = type;
      changed = true;
    }
    if (technology && s.b.technology !== technology) {
      s.b.technology = technology;
      changed = true;
    }
    if (changed) this.emit(s, added ? 'add' : 'update');
    return s.b;
  }

  /** A channel entered. */
  enter(uniqueid: string, uid: string, now: number): void {
    const b = this.ensure(uniqueid, now);
    if (!b.members.includes(uid)) {
      b.members.push(uid);
      this.emit(this.bridges.get(uniqueid)!, 'update');
    }
    this.setChannelBridge(uid, uniqueid);
  }

  /** A channel left (or hung up); `undefined` bridge means "whatever bridge it was in". */
  leave(uniqueid: string, uid: string): void {
    const s = this.bridges.get(uniqueid);
    if (s) {
      const i = s.b.members.indexOf(uid);
      if (i >= 0) {
        s.b.members.splice(i, 1);
        this.emit(s, 'update');
      }
    }
    this.setChannelBridge(uid, undefined, uniqueid);
  }

  /** BridgeMerge: every member of `from` moves to `to`. */
  merge(from: string, to: string, now: number): void {
    const src = this.bridges.get(from);
    if (!src) return;
    for (const uid of [...src.b.members]) {
      this.leave(from, uid);
      this.enter(to, uid, now);
    }
  }

  /** Removes a bridge; members still inside are released. */
  destroy(uniqueid: string, disconnected?: boolean): void {
    const s = this.bridges.get(uniqueid);
    if (!s) return;
    this.bridges.delete(uniqueid);
    for (const uid of s.b.members) this.setChannelBridge(uid, undefined, uniqueid);
    this.emit(s, 'remove', disconnected);
  }

  /** Bridges known before `seq` that have no member left after a re-snapshot are removed. */
  prune(sinceSeq: number, keep: Set<string>): void {
    for (const [id, s] of this.bridges) {
      if (s.seq <= sinceSeq && s.b.members.length === 0 && !keep.has(id)) this.destroy(id, true);
    }
  }
}
