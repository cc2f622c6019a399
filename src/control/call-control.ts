/**
 * Call control over AMI on the live model: hang up a call or a channel, redirect, blind or attended transfer,
 * queue membership and pause. Each action answers with the resulting state as the model sees it (waiting briefly
 * for the events that confirm it) or a clear error from Asterisk.
 */
import type { AmiParams, AmiResponse } from '../ami/index.js';
import type { PbxCall, PbxChange, PbxChannel, PbxQueueMember, PbxServerSnapshot } from '../pbx/index.js';
import {
  type ClickToDial,
  type ClickToDialCall,
  ClickToDial as ClickToDialImpl,
  type ClickToDialRequest,
} from './click-to-dial.js';
import { ControlError } from './errors.js';
import type { ControlPbx } from './types.js';

const EXTEN = /^[A-Za-z0-9_*#+.-]{1,64}$/;
const CONTEXT = /^[A-Za-z0-9_.-]{1,80}$/;
const INTERFACE = /^[A-Za-z0-9_/@.:;*#+-]{1,120}$/;
const QUEUE = /^[A-Za-z0-9_.-]{1,80}$/;
const REASON = /^[^\x00-\x1f\x7f]{0,80}$/;

/** The extensions a channel involves (for an agent's "own calls" rule): `PJSIP/201-0000…` → `201`, caller ids. */
export function channelExtensions(ch: PbxChannel): string[] {
  const out = new Set<string>();
  const m = /^[A-Za-z0-9]+\/([^-@;/]+)/.exec(ch.name);
  if (m?.[1]) out.add(m[1]);
  if (ch.callerIdNum) out.add(ch.callerIdNum);
  if (ch.connectedLineNum) out.add(ch.connectedLineNum);
  return [...out];
}

/** Everything call control does, for every PBX. */
export class CallControl {
  private readonly byId = new Map<string, { pbx: ControlPbx; c2d: ClickToDial }>();
  private readonly waiters = new Set<(c: PbxChange) => void>();

  constructor(pbxs: readonly ControlPbx[]) {
    for (const pbx of pbxs) this.byId.set(pbx.id, { pbx, c2d: new ClickToDialImpl(pbx) });
  }

  /** Feed every monitor change here (progress of click-to-dial, confirmations of actions). */
  onChange(change: PbxChange): void {
    this.byId.get(change.server)?.c2d.onChange(change);
    for (const w of this.waiters) w(change);
  }

  /** Subscribes to click-to-dial progress of every PBX. */
  onProgress(fn: (c: ClickToDialCall) => void): void {
    for (const { c2d } of this.byId.values()) c2d.on('progress', fn);
  }

  private entry(pbx: string) {
    const e = this.byId.get(pbx);
    if (!e) throw new ControlError('CONTROL_NOT_FOUND', `no PBX ${pbx}`, 'pbx');
    return e;
  }

  private snapshot(pbx: string): PbxServerSnapshot {
    const s = this.entry(pbx).pbx.snapshot();
    if (!s) throw new ControlError('CONTROL_NOT_FOUND', `PBX ${pbx} has no live state yet`);
    return s;
  }

  /** Starts a click-to-dial call. */
  dial(pbx: string, req: ClickToDialRequest): Promise<ClickToDialCall> {
    return this.entry(pbx).c2d.dial(req);
  }

  /** A click-to-dial request by id (any PBX). */
  clickToDial(id: string): ClickToDialCall | undefined {
    for (const { c2d } of this.byId.values()) {
      const c = c2d.get(id);
      if (c) return c;
    }
    return undefined;
  }

  /** Waits for a click-to-dial request to be answered by the far end (or to end). */
  waitAnswered(id: string, ms: number): Promise<ClickToDialCall | undefined> {
    const c = this.clickToDial(id);
    if (!c) return Promise.resolve(undefined);
    return this.entry(c.pbx).c2d.waitFor(id, ['connected'], ms);
  }

  /** A live call by id (`<pbx>/<linkedid>`). */
  call(id: string): { call: PbxCall; channels: PbxChannel[] } {
    const pbx = id.split('/')[0] ?? '';
    if (!this.byId.has(pbx)) throw new ControlError('CONTROL_NOT_FOUND', `call ${id} not found`);
    const s = this.snapshot(pbx);
    const call = s.calls.find((c) => c.id === id && c.endedAt === undefined);
    if (!call) throw new ControlError('CONTROL_NOT_FOUND', `call ${id} not found (it may have ended)`);
    return { call, channels: s.channels.filter((ch) => call.channels.includes(ch.uniqueid)) };
  }

  /** A live channel by id (`<pbx>/<uniqueid>`). */
  channel(id: string): PbxChannel {
    const pbx = id.split('/')[0] ?? '';
    if (!this.byId.has(pbx)) throw new ControlError('CONTROL_NOT_FOUND', `channel ${id} not found`);
    const ch = this.snapshot(pbx).channels.find((c) => c.id === id);
    if (!ch) throw new ControlError('CONTROL_NOT_FOUND', `channel ${id} not found (it may have hung up)`);
    return ch;
  }

  private async send(pbx: string, action: string, params: AmiParams): Promise<AmiResponse> {
    const r = await this.entry(pbx).pbx.ami.action(action, params);
    if (!r.ok)
      throw new ControlError(
        'CONTROL_REFUSED',
        `Asterisk refused ${action}: ${r.message.get('Message') ?? 'error'}`,
      );
    return r;
  }

  /** Resolves when `match` accepts a change (true), or after `ms` (false). */
  private confirm(match: (c: PbxChange) => boolean, ms = 2000): { done: Promise<boolean>; cancel(): void } {
    let fn: ((c: PbxChange) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<boolean>((resolve) => {
      fn = (c) => {
        if (!match(c)) return;
        this.cleanup(fn!, timer);
        resolve(true);
      };
      this.waiters.add(fn);
      timer = setTimeout(() => {
        this.cleanup(fn!, timer);
        resolve(false);
      }, ms);
    });
    return { done, cancel: () => this.cleanup(fn!, timer) };
  }

  private cleanup(fn: (c: PbxChange) => void, timer: NodeJS.Timeout | undefined): void {
    this.waiters.delete(fn);
    if (timer) clearTimeout(timer);
  }

  /** Hangs up every live leg of a call; resolves with the legs hung up once the model saw them go. */
  async hangupCall(id: string): Promise<{ id: string; hungUp: string[]; confirmed: boolean }> {
    const { call, channels } = this.call(id);
    const gone = new Set<string>();
    const w = this.confirm((c) => {
      if (c.type === 'channel' && c.op === 'remove') gone.add(c.id);
      return channels.every((ch) => gone.has(ch.id));
    });
    try {
      for (const [i, ch] of channels.entries()) {
        // Hanging up one leg often ends the others: a later leg already gone is what we wanted.
        const r = await this.entry(call.server).pbx.ami.action('Hangup', { Channel: ch.name, Cause: '16' });
        if (r.ok) continue;
        const msg = r.message.get('Message') ?? 'error';
        if (i > 0 && /no such channel/i.test(msg)) continue;
        throw new ControlError('CONTROL_REFUSED', `Asterisk refused Hangup: ${msg}`);
      }
    } catch (err) {
      w.cancel();
      throw err;
    }
    return { id, hungUp: channels.map((c) => c.name), confirmed: await w.done };
  }

  /** Hangs up one channel. */
  async hangupChannel(id: string): Promise<{ id: string; confirmed: boolean }> {
    const ch = this.channel(id);
    const w = this.confirm((c) => c.type === 'channel' && c.op === 'remove' && c.id === id);
    try {
      await this.send(ch.server, 'Hangup', { Channel: ch.name, Cause: '16' });
    } catch (err) {
      w.cancel();
      throw err;
    }
    return { id, confirmed: await w.done };
  }

  /** Sends a channel elsewhere in the dialplan. */
  async redirect(
    id: string,
    to: { context?: string; exten: string; priority?: number },
  ): Promise<PbxChannel> {
    const ch = this.channel(id);
    if (!EXTEN.test(to.exten)) throw new ControlError('CONTROL_INVALID', 'exten: not an extension', 'exten');
    const context = to.context ?? ch.context;
    if (!context || !CONTEXT.test(context))
      throw new ControlError('CONTROL_INVALID', 'context: not a context name', 'context');
    const w = this.confirm((c) => c.type === 'channel' && c.id === id);
    await this.send(ch.server, 'Redirect', {
      Channel: ch.name,
      Context: context,
      Exten: to.exten,
      Priority: String(to.priority ?? 1),
    }).catch((err) => {
      w.cancel();
      throw err;
    });
    await w.done;
    return this.channelOr(id, ch);
  }

  /** Blind (`BlindTransfer`) or attended (`Atxfer`) transfer of a channel's call to `to`. */
  async transfer(id: string, o: { to: string; attended?: boolean; context?: string }): Promise<PbxChannel> {
    const ch = this.channel(id);
    if (!EXTEN.test(o.to)) throw new ControlError('CONTROL_INVALID', 'to: not a number or extension', 'to');
    const context = o.context ?? ch.context ?? this.entry(ch.server).pbx.clickToDial.context;
    if (!CONTEXT.test(context))
      throw new ControlError('CONTROL_INVALID', 'context: not a context name', 'context');
    const w = this.confirm((c) => c.type === 'channel' && c.id === id);
    await this.send(ch.server, o.attended ? 'Atxfer' : 'BlindTransfer', {
      Channel: ch.name,
      Exten: o.to,
      Context: context,
    }).catch((err) => {
      w.cancel();
      throw err;
    });
    await w.done;
    return this.channelOr(id, ch);
  }

  private channelOr(id: string, fallback: PbxChannel): PbxChannel {
    try {
      return this.channel(id);
    } catch {
      return fallback;
    }
  }

  private member(pbx: string, queue: string, iface: string): PbxQueueMember | undefined {
    return this.snapshot(pbx)
      .queues.find((q) => q.name === queue)
      ?.members.find((m) => m.interface.toLowerCase() === iface.toLowerCase());
  }

  private checkQueue(queue: string, iface: string): void {
    if (!QUEUE.test(queue)) throw new ControlError('CONTROL_INVALID', 'queue: not a queue name', 'queue');
    if (!INTERFACE.test(iface))
      throw new ControlError('CONTROL_INVALID', 'interface: not a channel interface', 'interface');
  }

  /** Adds a member to a queue. */
  async queueAdd(
    pbx: string,
    queue: string,
    m: { interface: string; penalty?: number; paused?: boolean; memberName?: string },
  ): Promise<PbxQueueMember | undefined> {
    this.checkQueue(queue, m.interface);
    if (m.memberName !== undefined && !REASON.test(m.memberName))
      throw new ControlError('CONTROL_INVALID', 'memberName: no control characters', 'memberName');
    if (!this.snapshot(pbx).queues.some((q) => q.name === queue))
      throw new ControlError('CONTROL_NOT_FOUND', `queue ${queue} not found`);
    const w = this.confirm(
      (c) =>
        c.type === 'member' &&
        (c.id.endsWith(`/${m.interface}`) || JSON.stringify(c.data).includes(m.interface)),
    );
    await this.send(pbx, 'QueueAdd', {
      Queue: queue,
      Interface: m.interface,
      ...(m.penalty !== undefined ? { Penalty: String(m.penalty) } : {}),
      ...(m.paused !== undefined ? { Paused: m.paused ? 'true' : 'false' } : {}),
      ...(m.memberName !== undefined ? { MemberName: m.memberName } : {}),
    }).catch((err) => {
      w.cancel();
      throw err;
    });
    await w.done;
    return this.member(pbx, queue, m.interface);
  }

  /** Removes a member from a queue. */
  async queueRemove(pbx: string, queue: string, iface: string): Promise<{ removed: boolean }> {
    this.checkQueue(queue, iface);
    if (!this.member(pbx, queue, iface))
      throw new ControlError('CONTROL_NOT_FOUND', `${iface} is not a member of ${queue}`);
    const w = this.confirm((c) => c.type === 'member' && c.op === 'remove');
    await this.send(pbx, 'QueueRemove', { Queue: queue, Interface: iface }).catch((err) => {
      w.cancel();
      throw err;
    });
    await w.done;
    return { removed: this.member(pbx, queue, iface) === undefined };
  }

  /** Pauses or unpauses a member (with a reason). */
  async queuePause(
    pbx: string,
    queue: string,
    iface: string,
    o: { paused: boolean; reason?: string },
  ): Promise<PbxQueueMember | undefined> {
    this.checkQueue(queue, iface);
    if (o.reason !== undefined && !REASON.test(o.reason))
      throw new ControlError('CONTROL_INVALID', 'reason: no control characters', 'reason');
    if (!this.member(pbx, queue, iface))
      throw new ControlError('CONTROL_NOT_FOUND', `${iface} is not a member of ${queue}`);
    const w = this.confirm((c) => c.type === 'member');
    await this.send(pbx, 'QueuePause', {
      Queue: queue,
      Interface: iface,
      Paused: o.paused ? 'true' : 'false',
      ...(o.reason ? { Reason: o.reason } : {}),
    }).catch((err) => {
      w.cancel();
      throw err;
    });
    await w.done;
    return this.member(pbx, queue, iface);
  }

  /** Stops click-to-dial sessions and waiters. */
  async close(): Promise<void> {
    this.waiters.clear();
    await Promise.all([...this.byId.values()].map((e) => e.c2d.close()));
  }
}
