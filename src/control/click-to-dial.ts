/**
 * Click-to-dial with the right caller ID on both legs and no dialplan change (the way recorded in
 * `ami/sip-click-to-dial`): `Originate` the caller's phone into `AGI(agi:async,…)` showing the number it is about
 * to call; once it answers, AsyncAGI sets `CALLERID(num)`/`CALLERID(name)` back to the caller and runs
 * `EXEC Dial Local/<to>@<context>/n,<timeout>`, so the far phone shows the caller's own extension.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AgiChannel } from '../agi/index.js';
import { AsyncAgiDispatcher } from '../agi/index.js';
import type { AmiMessage } from '../ami/index.js';
import type { PbxChange, PbxChannel } from '../pbx/index.js';
import { ControlError } from './errors.js';
import type { ControlPbx } from './types.js';

/** Where a click-to-dial call is. */
export type ClickToDialState =
  | 'ringing-caller'
  | 'caller-answered'
  | 'ringing-callee'
  | 'connected'
  | 'ended'
  | 'failed';

/** A click-to-dial request and its progress. */
export interface ClickToDialCall {
  /** Request id (`c2d-…`). */
  id: string;
  pbx: string;
  from: string;
  to: string;
  state: ClickToDialState;
  /** Why it failed or ended, in words (`busy`, `no answer`…). */
  reason?: string;
  /** The live call's id (`<pbx>/<linkedid>`) once the caller's phone answered. */
  callId?: string;
  /** The caller's channel. */
  channel?: string;
  /** Who asked. */
  by: string;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link ClickToDial.dial}. */
export interface ClickToDialRequest {
  from: string;
  to: string;
  /** What the called phone shows (default: number = `from`, name = `from`). */
  callerId?: { name?: string; number?: string };
  /** What the caller's own phone shows while it rings (default: the number it is about to call). */
  calleeName?: string;
  /** Account name, for the record. */
  by: string;
}

// OriginateResponse `Reason` codes (include/asterisk/frame.h: AST_CONTROL_*) in words.
const REASONS: Record<string, string> = {
  '0': 'the caller phone could not be reached',
  '1': 'the caller hung up',
  '3': 'the caller phone did not answer',
  '5': 'the caller phone is busy',
  '8': 'congestion',
};

const ARG = 'switchboard-c2d';
/** Where the caller's extension goes in the channel template (a literal `${from}`, not a JS template). */
const FROM_PLACEHOLDER = '$' + '{from}';
const EXTENSION = /^[A-Za-z0-9_*#+.-]{1,40}$/;
const NUMBER = /^[0-9A-Za-z*#+_.-]{1,64}$/;
const NAME = /^[^\x00-\x1f\x7f"<>\\]{0,80}$/;

/** Events of {@link ClickToDial}. */
export interface ClickToDialEvents {
  progress: [call: ClickToDialCall];
}

/** Click-to-dial for one PBX. */
export class ClickToDial extends EventEmitter<ClickToDialEvents> {
  private readonly calls = new Map<string, ClickToDialCall>();
  private readonly pending = new Map<string, ClickToDialRequest & { id: string }>();
  private readonly dispatcher: AsyncAgiDispatcher;
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly pbx: ControlPbx) {
    super();
    this.dispatcher = new AsyncAgiDispatcher(pbx.ami, {
      accept: (r) => r.args[0] === ARG && this.pending.has(r.args[1] ?? ''),
      handler: (ch) => this.run(ch),
      commandId: (() => {
        let n = 0;
        return () => `c2d-${++n}`;
      })(),
    }).start();
    // Finished requests stay readable for a while (`GET /calls/:id`), then go.
    this.sweep = setInterval(() => {
      const cutoff = Date.now() - 10 * 60_000;
      for (const [id, c] of this.calls)
        if (c.updatedAt < cutoff && (c.state === 'ended' || c.state === 'failed')) this.calls.delete(id);
    }, 60_000);
    this.sweep.unref?.();
  }

  /** A request by id. */
  get(id: string): ClickToDialCall | undefined {
    return this.calls.get(id);
  }

  /**
   * Rings `from`, and once it answers calls `to`. Resolves as soon as Asterisk queued the originate; progress
   * follows on `progress`. Rejects `CONTROL_INVALID` for bad input, `CONTROL_REFUSED` when Asterisk refused.
   */
  async dial(req: ClickToDialRequest): Promise<ClickToDialCall> {
    if (!EXTENSION.test(req.from))
      throw new ControlError('CONTROL_INVALID', 'from: not an extension', 'from');
    if (!NUMBER.test(req.to))
      throw new ControlError('CONTROL_INVALID', 'to: digits, letters and * # + only', 'to');
    const shownName = req.calleeName ?? req.to;
    const cidNum = req.callerId?.number ?? req.from;
    const cidName = req.callerId?.name ?? req.from;
    if (!NAME.test(shownName))
      throw new ControlError(
        'CONTROL_INVALID',
        'calleeName: no quotes, <, > or control characters',
        'calleeName',
      );
    if (!NAME.test(cidName))
      throw new ControlError(
        'CONTROL_INVALID',
        'callerId.name: no quotes, <, > or control characters',
        'callerId.name',
      );
    if (!NUMBER.test(cidNum))
      throw new ControlError('CONTROL_INVALID', 'callerId.number: not a number', 'callerId.number');
    const id = `c2d-${randomUUID()}`;
    const now = Date.now();
    const call: ClickToDialCall = {
      id,
      pbx: this.pbx.id,
      from: req.from,
      to: req.to,
      state: 'ringing-caller',
      by: req.by,
      createdAt: now,
      updatedAt: now,
    };
    const settings = this.pbx.clickToDial;
    this.pending.set(id, { ...req, callerId: { name: cidName, number: cidNum }, id });
    const queued = new Promise<void>((resolve, reject) => {
      this.pbx.ami
        .originate(
          {
            Channel: settings.channel.replaceAll(FROM_PLACEHOLDER, req.from),
            Application: 'AGI',
            Data: `agi:async,${ARG},${id}`,
            CallerID: `"${shownName}" <${req.to}>`,
            Timeout: String(settings.timeout * 1000),
          },
          { timeout: (settings.timeout + 30) * 1000, onQueued: () => resolve() },
        )
        .then(
          (response) => this.originated(id, response),
          (err: Error) => {
            this.pending.delete(id);
            reject(
              (err as { code?: string }).code === 'PBX_NOT_CONNECTED'
                ? err
                : new ControlError('CONTROL_REFUSED', `Asterisk refused the call: ${err.message}`),
            );
            this.update(id, { state: 'failed', reason: err.message });
          },
        );
    });
    this.calls.set(id, call);
    await queued;
    return { ...call };
  }

  /** Resolves when the request reaches one of `states` (or ends), or after `ms`. */
  waitFor(id: string, states: readonly ClickToDialState[], ms: number): Promise<ClickToDialCall | undefined> {
    const current = this.calls.get(id);
    const final = (c: ClickToDialCall) =>
      states.includes(c.state) || c.state === 'ended' || c.state === 'failed';
    if (!current || final(current)) return Promise.resolve(current && { ...current });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.off('progress', on);
        resolve(this.calls.get(id) && { ...this.calls.get(id)! });
      }, ms);
      const on = (c: ClickToDialCall) => {
        if (c.id !== id || !final(c)) return;
        clearTimeout(timer);
        this.off('progress', on);
        resolve({ ...c });
      };
      this.on('progress', on);
    });
  }

  /** Follows the far leg in the live model: the call is connected once a non-Local leg other than ours is up. */
  onChange(change: PbxChange): void {
    if (change.type !== 'channel') return;
    const ch = change.data as PbxChannel;
    for (const c of this.calls.values()) {
      if (c.state !== 'ringing-callee' || c.callId !== `${this.pbx.id}/${ch.linkedid}`) continue;
      if (ch.name === c.channel || ch.name.startsWith('Local/')) continue;
      if (change.op !== 'remove' && ch.state === 6) this.update(c.id, { state: 'connected' });
    }
  }

  private originated(id: string, response: AmiMessage): void {
    if (response.get('Response') === 'Success') return; // the AsyncAGI session takes it from here
    this.pending.delete(id);
    const reason =
      REASONS[response.get('Reason') ?? ''] ?? `the call failed (reason ${response.get('Reason') ?? '?'})`;
    this.update(id, { state: 'failed', reason });
  }

  private update(id: string, patch: Partial<ClickToDialCall>): void {
    const c = this.calls.get(id);
    if (!c || c.state === 'ended' || c.state === 'failed') return;
    Object.assign(c, patch, { updatedAt: Date.now() });
    this.emit('progress', { ...c });
  }

  private async run(ch: AgiChannel): Promise<void> {
    const id = ch.request.args[1] ?? '';
    const req = this.pending.get(id);
    this.pending.delete(id);
    if (!req) return;
    const linkedid = this.pbx.model()?.channel(ch.request.uniqueid)?.linkedid ?? ch.request.uniqueid;
    this.update(id, {
      state: 'caller-answered',
      callId: `${this.pbx.id}/${linkedid}`,
      channel: ch.request.channel,
    });
    const s = this.pbx.clickToDial;
    try {
      // Quoted like the recorded session: `SET VARIABLE CALLERID(name) "Reina"`.
      await ch.command(`SET VARIABLE CALLERID(num) ${req.callerId!.number}`);
      await ch.command(`SET VARIABLE CALLERID(name) "${req.callerId!.name}"`);
      this.update(id, { state: 'ringing-callee' });
      await ch.command(`EXEC Dial Local/${req.to}@${s.context}/n,${s.timeout}`).catch((err: Error) => {
        // Dial answers -1 when the call ends by a hangup: that is the end of the call, not a failure.
        if (
          (err as { code?: string }).code !== 'AGI_COMMAND_FAILED' &&
          (err as { code?: string }).code !== 'AGI_HANGUP'
        )
          throw err;
      });
      const c = this.calls.get(id);
      this.update(id, { state: 'ended', ...(c?.state === 'connected' ? {} : { reason: 'not answered' }) });
    } catch (err) {
      this.update(id, { state: 'ended', reason: (err as Error).message });
    }
  }

  /** Stops following AsyncAGI calls. */
  async close(): Promise<void> {
    clearInterval(this.sweep);
    await this.dispatcher.close();
  }
}
