/**
 * Test helper: a tiny simulated Asterisk (12+ event dialect) that keeps its own truth — channels, bridges, calls,
 * queue callers — and renders every step as the AMI events Asterisk would send, in the orders it really uses
 * (Local halves ending either way, Cdr before or after Hangup, CEL CHAN_START before Newchannel, BridgeMerge).
 * It also answers CoreShowChannels and QueueStatus from its truth, for re-snapshots.
 */
import { AmiMessage } from '../../src/ami/index.js';

/** A channel of the truth. */
export interface SimChannel {
  uid: string;
  name: string;
  linkedid: string;
  state: number;
  bridge?: string;
  /** Dialled and not answered yet: the dialler's uniqueid. */
  ringingFrom?: string;
  /** The model has had a chance to know it (created while connected, or alive at a re-snapshot). */
  seen: boolean;
}

/** A call of the truth. */
export interface SimCall {
  linkedid: string;
  live: Set<string>;
  seen: boolean;
  /** A channel the model knew ended while the link was down. */
  endedInGap: boolean;
  transfers: number;
  cdrs: number;
}

const DESC = ['Down', 'Rsrvd', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up'];

/** One operation of a scenario: a kind and a number that picks its target. */
export interface SimOp {
  kind: number;
  pick: number;
}

/** Number of operation kinds `step` understands. */
export const OP_KINDS = 11;

/** The simulated PBX. */
export class SimPbx {
  readonly chans = new Map<string, SimChannel>();
  readonly bridges = new Map<string, Set<string>>();
  readonly calls = new Map<string, SimCall>();
  readonly queue: string[] = [];
  connected = true;
  private n = 0;
  private bn = 0;
  /** Where events go while connected. */
  deliver: (m: AmiMessage) => void = () => {};

  private emit(h: Record<string, string>): void {
    if (this.connected) this.deliver(AmiMessage.from(h));
  }

  private snap(c: SimChannel): Record<string, string> {
    return {
      Channel: c.name,
      ChannelState: String(c.state),
      ChannelStateDesc: DESC[c.state] ?? 'Up',
      CallerIDNum: c.name.slice(c.name.indexOf('/') + 1, c.name.indexOf('-')),
      CallerIDName: '<unknown>',
      ConnectedLineNum: '<unknown>',
      ConnectedLineName: '<unknown>',
      Language: 'en',
      AccountCode: '',
      Context: 'sim',
      Exten: '100',
      Priority: '1',
      Uniqueid: c.uid,
      Linkedid: c.linkedid,
    };
  }

  private channel(
    tech: string,
    linkedid: string | undefined,
    state: number,
    celFirst: boolean,
    name?: string,
  ): SimChannel {
    const uid = `1795340000.${++this.n}`;
    const c: SimChannel = {
      uid,
      name: name ?? `${tech}-${String(this.n).padStart(8, '0')}`,
      linkedid: linkedid ?? uid,
      state,
      seen: this.connected,
    };
    this.chans.set(uid, c);
    let call = this.calls.get(c.linkedid);
    if (!call) {
      call = { linkedid: c.linkedid, live: new Set(), seen: false, endedInGap: false, transfers: 0, cdrs: 0 };
      this.calls.set(c.linkedid, call);
    }
    call.live.add(uid);
    call.seen ||= c.seen;
    const cel = {
      Event: 'CEL',
      EventName: 'CHAN_START',
      Channel: c.name,
      UniqueID: uid,
      LinkedID: c.linkedid,
    };
    if (celFirst) this.emit(cel);
    this.emit({ Event: 'Newchannel', ...this.snap(c) });
    if (!celFirst) this.emit(cel);
    return c;
  }

  private setState(c: SimChannel, state: number): void {
    if (c.state === state) return;
    c.state = state;
    this.emit({ Event: 'Newstate', ...this.snap(c) });
  }

  private enter(c: SimChannel, bid: string): void {
    this.bridges.get(bid)!.add(c.uid);
    c.bridge = bid;
    this.emit({
      Event: 'BridgeEnter',
      BridgeUniqueid: bid,
      BridgeType: 'basic',
      BridgeTechnology: 'simple_bridge',
      ...this.snap(c),
    });
  }

  private leave(c: SimChannel): void {
    const bid = c.bridge;
    if (!bid) return;
    const b = this.bridges.get(bid)!;
    b.delete(c.uid);
    delete c.bridge;
    this.emit({ Event: 'BridgeLeave', BridgeUniqueid: bid, ...this.snap(c) });
    if (b.size === 0) {
      this.bridges.delete(bid);
      this.emit({ Event: 'BridgeDestroy', BridgeUniqueid: bid });
    }
  }

  private newBridge(): string {
    const bid = `b${++this.bn}-0000-4000-8000-sim`;
    this.bridges.set(bid, new Set());
    this.emit({
      Event: 'BridgeCreate',
      BridgeUniqueid: bid,
      BridgeType: 'basic',
      BridgeTechnology: 'simple_bridge',
    });
    return bid;
  }

  private leaveQueue(c: SimChannel, abandon: boolean): void {
    const i = this.queue.indexOf(c.uid);
    if (i < 0) return;
    if (abandon)
      this.emit({
        Event: 'QueueCallerAbandon',
        Queue: 'q1',
        Position: String(i + 1),
        HoldTime: '1',
        ...this.snap(c),
      });
    this.queue.splice(i, 1);
    this.emit({
      Event: 'QueueCallerLeave',
      Queue: 'q1',
      Position: String(i + 1),
      Count: String(this.queue.length),
      ...this.snap(c),
    });
  }

  private hangup(c: SimChannel, cdrFirst: boolean): void {
    this.leave(c);
    this.leaveQueue(c, true);
    const call = this.calls.get(c.linkedid)!;
    const cdr = {
      Event: 'Cdr',
      Channel: c.name,
      UniqueID: c.uid,
      Disposition: 'ANSWERED',
      Destination: '100',
      Source: 'x',
    };
    if (this.connected && c.seen) call.cdrs++;
    if (cdrFirst) this.emit(cdr);
    this.emit({ Event: 'HangupRequest', Cause: '16', ...this.snap(c) });
    this.emit({ Event: 'Hangup', Cause: '16', 'Cause-txt': 'Normal Clearing', ...this.snap(c) });
    if (!cdrFirst) this.emit(cdr);
    this.chans.delete(c.uid);
    call.live.delete(c.uid);
    if (!this.connected && c.seen) call.endedInGap = true;
    for (const o of this.chans.values()) if (o.ringingFrom === c.uid) delete o.ringingFrom;
  }

  /** Applies one operation; returns false when it had nothing to act on. */
  step(op: SimOp): boolean {
    const all = [...this.chans.values()];
    const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[op.pick % xs.length] : undefined);
    switch (op.kind) {
      case 0: {
        this.channel('PJSIP/alice', undefined, 4, op.pick % 2 === 0);
        return true;
      }
      case 1: {
        const a = pick(
          all.filter((c) => c.state === 4 && !c.bridge && !all.some((o) => o.ringingFrom === c.uid)),
        );
        if (!a) return false;
        const b = this.channel('PJSIP/bob', a.linkedid, 0, op.pick % 3 === 0);
        b.ringingFrom = a.uid;
        this.emit({
          Event: 'DialBegin',
          ...this.snap(a),
          DestChannel: b.name,
          DestUniqueid: b.uid,
          DestLinkedid: b.linkedid,
          DialString: 'bob',
        });
        this.setState(b, 5);
        return true;
      }
      case 2: {
        const b = pick(all.filter((c) => c.ringingFrom !== undefined));
        if (!b) return false;
        const a = this.chans.get(b.ringingFrom!)!;
        delete b.ringingFrom;
        this.setState(b, 6);
        this.emit({
          Event: 'DialEnd',
          ...this.snap(a),
          DestChannel: b.name,
          DestUniqueid: b.uid,
          DialStatus: 'ANSWER',
        });
        this.setState(a, 6);
        this.leaveQueue(a, false);
        const bid = this.newBridge();
        this.enter(b, bid);
        this.enter(a, bid);
        return true;
      }
      case 3: {
        const base = `Local/200@sim-${String(this.n + 1).padStart(8, '0')}`;
        const one = this.channel('Local', undefined, 0, false, `${base};1`);
        const two = this.channel('Local', one.linkedid, 4, false, `${base};2`);
        this.emit({
          Event: 'LocalBridge',
          LocalOneUniqueid: one.uid,
          LocalTwoUniqueid: two.uid,
          LocalOptimization: 'No',
        });
        this.setState(two, 6);
        this.setState(one, 6);
        return true;
      }
      case 4: {
        const c = pick(all);
        if (!c) return false;
        this.hangup(c, op.pick % 2 === 1);
        return true;
      }
      case 5: {
        const c = pick(all.filter((x) => x.state === 6 && !x.bridge && !this.queue.includes(x.uid)));
        if (!c) return false;
        this.queue.push(c.uid);
        this.emit({
          Event: 'QueueCallerJoin',
          Queue: 'q1',
          Position: String(this.queue.length),
          Count: String(this.queue.length),
          ...this.snap(c),
        });
        return true;
      }
      case 6: {
        const uid = pick(this.queue);
        if (!uid) return false;
        this.leaveQueue(this.chans.get(uid)!, op.pick % 2 === 0);
        return true;
      }
      case 7: {
        // Blind transfer by a bridged party: the transferee leaves to run the new extension, the transferer hangs up.
        const t = pick(all.filter((c) => c.bridge && this.bridges.get(c.bridge)!.size === 2));
        if (!t) return false;
        const other = this.chans.get([...this.bridges.get(t.bridge!)!].find((u) => u !== t.uid)!)!;
        if (this.connected) this.calls.get(t.linkedid)!.transfers++;
        this.emit({
          Event: 'BlindTransfer',
          Result: 'Success',
          TransfererUniqueid: t.uid,
          TransfererChannel: t.name,
          TransfereeUniqueid: other.uid,
          IsExternal: 'No',
          Extension: '188',
          Context: 'sim',
        });
        this.leave(other);
        this.hangup(t, false);
        return true;
      }
      case 8: {
        // BridgeMerge: every member of one bridge moves to another; Asterisk may or may not add Leave/Enter.
        const bs = [...this.bridges.keys()];
        if (bs.length < 2) return false;
        const from = bs[op.pick % bs.length]!;
        const to = bs[(op.pick + 1) % bs.length]!;
        this.emit({ Event: 'BridgeMerge', FromBridgeUniqueid: from, ToBridgeUniqueid: to });
        for (const uid of [...this.bridges.get(from)!]) {
          const c = this.chans.get(uid)!;
          this.bridges.get(from)!.delete(uid);
          this.bridges.get(to)!.add(uid);
          c.bridge = to;
          if (op.pick % 2 === 0) {
            this.emit({ Event: 'BridgeLeave', BridgeUniqueid: from, ...this.snap(c) });
            this.emit({ Event: 'BridgeEnter', BridgeUniqueid: to, ...this.snap(c) });
          }
        }
        this.bridges.delete(from);
        this.emit({ Event: 'BridgeDestroy', BridgeUniqueid: from });
        return true;
      }
      case 9: {
        const c = pick(all);
        if (!c) return false;
        this.emit({ Event: 'VarSet', Variable: 'X', Value: String(op.pick), ...this.snap(c) });
        this.emit({
          Event: 'CEL',
          EventName: 'APP_START',
          Channel: c.name,
          UniqueID: c.uid,
          LinkedID: c.linkedid,
        });
        return true;
      }
      default:
        return false;
    }
  }

  /** The link went down: events are lost until `reconnect`. */
  disconnect(): void {
    this.connected = false;
  }

  /** The link is back (events flow again; what happened meanwhile is only learnt from the re-snapshot). */
  reconnect(): void {
    this.connected = true;
  }

  /** Channels listed in a snapshot reply that are still alive once it is applied become known to the model. */
  seenBySnapshot(uids: string[]): void {
    for (const uid of uids) {
      const c = this.chans.get(uid);
      if (!c) continue;
      c.seen = true;
      this.calls.get(c.linkedid)!.seen = true;
    }
  }

  /** CoreShowChannels items from the truth. */
  coreShowChannels(): AmiMessage[] {
    return [...this.chans.values()].map((c) =>
      AmiMessage.from({
        Event: 'CoreShowChannel',
        ...this.snap(c),
        BridgeId: c.bridge ?? '',
        Application: 'Dial',
        ApplicationData: '',
        Duration: '00:00:01',
      }),
    );
  }

  /** QueueStatus items from the truth. */
  queueStatus(): AmiMessage[] {
    return [
      AmiMessage.from({
        Event: 'QueueParams',
        Queue: 'q1',
        Max: '0',
        Strategy: 'ringall',
        Calls: String(this.queue.length),
        Completed: '0',
        Abandoned: '0',
      }),
      ...this.queue.map((uid, i) => {
        const c = this.chans.get(uid)!;
        return AmiMessage.from({
          Event: 'QueueEntry',
          Queue: 'q1',
          Position: String(i + 1),
          Channel: c.name,
          Uniqueid: uid,
          Wait: '1',
        });
      }),
    ];
  }
}
