/**
 * `SimulatedPbx`: a whole simulated Asterisk behind a real AMI socket, built on `FakeAmiServer` — the office's
 * phones, queue and conference with consistent state, the actions a current Asterisk answers (in its wording and
 * field order), AsyncAGI, FastAGI to the router, Asterisk-format log lines and optional seeded traffic.
 */
import { EventEmitter } from 'node:events';
import type { AmiMessage } from '../../ami/index.js';
import { FakeAmiServer } from '../ami-server.js';
import type { SimModule } from './action-table.js';
import { callsModule } from './actions-calls.js';
import { commandModule } from './actions-command.js';
import { conferenceModule } from './actions-conference.js';
import { configModule } from './actions-config.js';
import { pjsipModule } from './actions-pjsip.js';
import { queueModule } from './actions-queue.js';
import { statusModule } from './actions-status.js';
import { amiHandlers, onManagerLogin } from './ami-front.js';
import { atxferModule } from './atxfer.js';
import { hangupListeners, newChannel, requestHangup, waitFor } from './channels.js';
import { SimClock, SimSleepCancelled } from './clock.js';
import { SimConfigStore } from './config-store.js';
import type { PhoneBehaviour, SimCore, SimCoreOptions, SimFastAgiTarget } from './core.js';
import {
  clearSpanAlarm,
  type DahdiAlarm,
  dahdiModule,
  raiseSpanAlarm,
  type SimDahdiOptions,
} from './dahdi.js';
import { currentPlan, findExten, runDialplan } from './dialplan.js';
import { sendDtmf } from './dtmf.js';
import type { Pairs } from './headers.js';
import { SimLogWriter } from './log-writer.js';
import { moduleLoadModule, notifyModule, type SimNotifyHook } from './notify.js';
import { sleepUnless } from './phone.js';
import { checkText, phoneConfig, type SimPhoneSpec, SimulatedPbxError } from './phones.js';
import { loadQueues } from './queues.js';
import { SimRandom } from './random.js';
import { applyPjsip, type RegisterOptions, register, unregister } from './registrar.js';
import { SEED_CONFIG } from './seed-config.js';
import { SimState } from './state.js';
import { SimTraffic, type TrafficOptions } from './traffic.js';
import { setFarEndDown, trunksModule } from './trunks.js';
import { viewBridges, viewChannels, viewEndpoints, viewQueues } from './views.js';

export { type SimPhoneSpec, SimulatedPbxError } from './phones.js';

import './apps-basic.js';
import './asyncagi.js';
import './conference.js';

/** Options of {@link SimulatedPbx.start}. */
export interface SimulatedPbxOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: ephemeral). */
  port?: number;
  /** Manager users: name → secret (default `{ admin: 'secret' }`). */
  users?: Record<string, string>;
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Simulated ms per real ms (default 1). */
  speed?: number;
  /** Background traffic; false or absent = none (tests drive calls by hand). */
  traffic?: TrafficOptions | false;
  /** More phones, added to `pjsip.conf` with a `Dial` extension in their context. */
  phones?: SimPhoneSpec[];
  /** Phones registered at start (default: every phone of pjsip.conf except trunks). */
  registered?: string[];
  /** Replaces or adds configuration files (name → text). */
  config?: Record<string, string>;
  /** Where `AGI(agi://…)` connects, whatever the dialplan says (the router's FastAGI server). */
  fastAgi?: SimFastAgiTarget;
  /** Digits a caller types at FastAGI `GET DATA` (default `1234`). */
  agiDigits?: string;
  /** Append Asterisk-format log lines to this file (default: kept in memory, see `logLines`). */
  logFile?: string;
  /** Phones provisioned through `pjsip_wizard.conf` register by themselves after the reload (default true). */
  autoRegisterProvisioned?: boolean;
  /** Default behaviour of dialled phones (default: answer after 1.5 s, never hang up first). */
  phone?: PhoneBehaviour;
  /** Extra action modules. */
  modules?: SimModule[];
  /** Configuration files of the seed to leave out (e.g. `pjsip_notify.conf`: res_pjsip_notify then declines to load). */
  withoutConfig?: string[];
  /** PJSIP outbound registrations: `farEndDown` makes every register end `Rejected` after 32 s (default false). */
  trunks?: { farEndDown?: boolean };
  /** DAHDI E1 spans (default: span 1, ISDN PRI); false = no chan_dahdi (its actions are unknown). */
  dahdi?: SimDahdiOptions | false;
  /** Called for each NOTIFY a registered phone receives through `PJSIPNotify` (the test plays the phone). */
  onNotify?: SimNotifyHook;
}

/** A call placed with {@link SimulatedPbx.placeCall}. */
export interface SimPlacedCall {
  channel: string;
  uniqueid: string;
  linkedid: string;
}

/** Events of a {@link SimulatedPbx}. */
export interface SimulatedPbxEvents {
  /** Every AMI event sent (ordered headers). */
  event: [event: Pairs];
  /** Every action received. */
  action: [action: AmiMessage];
  /** A background task failed. */
  error: [error: Error];
}

/** A simulated Asterisk PBX speaking AMI on a real socket. */
export class SimulatedPbx extends EventEmitter<SimulatedPbxEvents> {
  /** Always true: lets a server tell a simulation from a real PBX. */
  static readonly isSimulated = true;
  /** Always true. */
  readonly isSimulated = true;
  private readonly tasks = new Set<Promise<unknown>>();
  private traffic: SimTraffic | undefined;
  private closed = false;
  private onHangup: (typeof hangupListeners)[number] = () => {};
  /** @internal the shared core (for modules and white-box tests) */
  readonly core: SimCore;

  private constructor(
    private readonly server: FakeAmiServer,
    core: SimCore,
    private readonly host: string,
  ) {
    super();
    this.core = core;
  }

  /** Starts the simulator and its AMI listener. */
  static async start(options: SimulatedPbxOptions = {}): Promise<SimulatedPbx> {
    const speed = options.speed ?? 1;
    const clock = new SimClock(speed);
    const rng = new SimRandom(options.seed ?? 1);
    const state = new SimState(rng, clock.now());
    const files: Record<string, string> = { ...SEED_CONFIG, ...options.config };
    for (const f of options.withoutConfig ?? []) delete files[f];
    const config = new SimConfigStore(phoneConfig(options.phones ?? [], files));
    const log = new SimLogWriter(options.logFile, () => clock.now());
    const opts: SimCoreOptions = {
      phone: { ringMs: 1500, ...options.phone },
      ...(options.fastAgi ? { fastAgi: options.fastAgi } : {}),
      agiDigits: options.agiDigits ?? '1234',
      autoRegisterProvisioned: options.autoRegisterProvisioned ?? true,
      version: 'UNKNOWN__and_probably_unsupported',
      amiVersion: '13.0.0',
      systemName: 'switchboard-sim',
    };
    let pbx: SimulatedPbx | undefined;
    const core: SimCore = {
      state,
      clock,
      rng,
      config,
      options: opts,
      log,
      startedAt: clock.now(),
      lastReloadAt: clock.now(),
      plans: new Map(),
      behaviours: new Map(),
      emit: (ev) => {
        server.emit(ev);
        pbx?.emit('event', ev);
      },
      spawn: (task) => pbx?.track(task),
      get closing() {
        return pbx?.closed ?? false;
      },
    };
    const modules = [
      statusModule,
      pjsipModule,
      queueModule,
      configModule,
      commandModule,
      callsModule,
      conferenceModule,
      atxferModule,
      trunksModule(options.trunks),
      notifyModule(options.onNotify),
      moduleLoadModule,
      ...(options.dahdi === false ? [] : [dahdiModule(options.dahdi)]),
      ...(options.modules ?? []),
    ];
    const handlers = amiHandlers(core, modules, (e) => pbx?.emit('error', e));
    const users = options.users ?? { admin: 'secret' };
    const server = await FakeAmiServer.start({
      users,
      banner: 'Asterisk Call Manager/13.0.0',
      loginFailDelay: Math.min(1000, 1000 / speed),
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      handlers,
      onLogin: onManagerLogin(
        core,
        options.host ?? '127.0.0.1',
        () => server.port,
        () => server.sessions.length,
      ),
    });
    pbx = new SimulatedPbx(server, core, options.host ?? '127.0.0.1');
    const self = pbx;
    // Every action is seen by listeners, including the ones FakeAmiServer answers itself.
    const watch = () => {
      if (self.closed) return;
      void server.nextAction().then(({ action }) => {
        self.emit('action', action);
        watch();
      });
    };
    watch();
    pbx.onHangup = (c, ch) => {
      if (c !== core) return;
      if (ch.role === 'caller' && ch.linkedid === ch.uniqueid) core.plans.delete(ch.linkedid);
      log.forget(ch);
    };
    hangupListeners.push(pbx.onHangup);
    log.notice(undefined, 'loader.c', '321 modules will be loaded.');
    applyPjsip(core, 'res_pjsip.so');
    if (config.has('pjsip_wizard.conf')) applyPjsip(core, 'res_pjsip_config_wizard.so');
    loadQueues(core);
    currentPlan(core);
    for (const m of modules) m.install?.(core);
    const initial =
      options.registered ?? [...state.endpoints.values()].filter((e) => !e.outboundAuth).map((e) => e.name);
    for (const name of initial) register(core, name);
    log.verbose(undefined, 'asterisk.c', 'Asterisk Ready.');
    if (options.traffic) pbx.setTraffic(options.traffic);
    return pbx;
  }

  private track(task: Promise<unknown>): void {
    const t = task.catch((e: unknown) => {
      if (!(e instanceof SimSleepCancelled) && !this.closed) this.emit('error', e as Error);
    });
    this.tasks.add(t);
    void t.finally(() => this.tasks.delete(t));
  }

  /** The listening port. */
  get port(): number {
    return this.server.port;
  }

  /** `ami://user:secret@host:port` for a configured user (default the first). */
  url(user?: string): string {
    return this.server.url(user).replace('@127.0.0.1:', `@${this.host}:`);
  }

  /** The AMI URL without credentials (for printing). */
  get publicUrl(): string {
    return `ami://${this.host}:${this.port}`;
  }

  /** The AMI sessions (FakeAmiServer's). */
  get sessions(): FakeAmiServer['sessions'] {
    return this.server.sessions;
  }

  /** Log lines kept in memory when no `logFile` is set. */
  logLines(): readonly string[] {
    return this.core.log.lines;
  }

  /** A phone registers (throws `SIM_AUTH_FAILED` with a wrong `secret`, `SIM_NO_ENDPOINT` for an unknown one). */
  registerEndpoint(name: string, opts: RegisterOptions = {}): void {
    for (const v of [opts.contact, opts.userAgent, opts.secret]) checkText('register', v);
    register(this.core, name, opts);
  }

  /** A phone unregisters. */
  unregisterEndpoint(name: string): void {
    unregister(this.core, name);
  }

  /** Sets how a phone behaves when dialled (ring time, answer or not, talk time). */
  setPhoneBehaviour(name: string, behaviour: PhoneBehaviour): void {
    this.core.behaviours.set(name, behaviour);
  }

  /**
   * A registered phone dials a number in its context, like a real SIP phone: the office dialplan decides.
   * `answer` (default true) and `talkMs` describe the far end; `hangupBy` says who ends the call.
   */
  placeCall(call: {
    from: string;
    to: string;
    answer?: boolean;
    outcome?: 'busy' | 'reject';
    ringMs?: number;
    talkMs?: number;
    hangupBy?: 'caller' | 'callee';
    callerIdName?: string;
    patienceMs?: number;
  }): SimPlacedCall {
    if (this.closed) throw new SimulatedPbxError('SIM_CLOSED', 'the simulated PBX is closed');
    for (const [k, v] of Object.entries({ from: call.from, to: call.to, callerIdName: call.callerIdName }))
      checkText(k, v);
    const ep = this.core.state.endpoints.get(call.from);
    if (!ep) throw new SimulatedPbxError('SIM_NO_ENDPOINT', `No endpoint named ${call.from}`);
    if (!ep.contact) throw new SimulatedPbxError('SIM_NOT_REGISTERED', `${call.from} is not registered`);
    if (!findExten(currentPlan(this.core), ep.context, call.to))
      throw new SimulatedPbxError(
        'SIM_NO_EXTENSION',
        `No extension ${call.to} in context ${ep.context} (the phone gets 404)`,
      );
    const core = this.core;
    const ch = newChannel(core, {
      base: `PJSIP/${ep.name}`,
      tech: 'PJSIP',
      endpoint: ep.name,
      state: 4,
      context: ep.context,
      exten: call.to,
      callerNum: ep.name,
      callerName: call.callerIdName ?? '',
      language: ep.language,
      role: 'caller',
    });
    const talkMs = call.talkMs ?? 3000;
    const hangupBy = call.hangupBy ?? 'caller';
    core.plans.set(ch.linkedid, {
      outcome: call.outcome ?? (call.answer === false ? 'noanswer' : 'answer'),
      ringMs: call.ringMs ?? core.options.phone.ringMs,
      ...(hangupBy === 'callee' ? { talkMs } : {}),
    });
    this.track(runDialplan(core, ch));
    this.track(
      (async () => {
        const patience = call.patienceMs ?? Number.POSITIVE_INFINITY;
        const bridged = waitFor(ch, (c) => c.bridge !== undefined);
        if (Number.isFinite(patience)) {
          await Promise.race([bridged, sleepUnless(core, patience, ch)]);
          if (!ch.gone.aborted && ch.bridge === undefined) {
            requestHangup(core, ch, 16);
            return;
          }
        } else await bridged;
        if (ch.gone.aborted || hangupBy !== 'caller') return;
        if (await sleepUnless(core, talkMs, ch)) requestHangup(core, ch, 16);
      })(),
    );
    return { channel: ch.name, uniqueid: ch.uniqueid, linkedid: ch.linkedid };
  }

  /** Hangs up a channel (by name), or every channel of a call (by linkedid). */
  hangup(target: string, cause = 16): number {
    const chans = [...this.core.state.channels.values()].filter(
      (c) => c.name === target || c.linkedid === target,
    );
    for (const c of chans) requestHangup(this.core, c, cause);
    return chans.length;
  }

  /** The caller (or callee) presses keys: DTMFBegin/DTMFEnd on that channel. */
  async sendDtmf(channel: string, digits: string): Promise<void> {
    const ch = this.core.state.channel(channel);
    if (!ch) throw new SimulatedPbxError('SIM_NO_CHANNEL', `No channel ${channel}`);
    await sendDtmf(this.core, ch, digits, 'Received');
  }

  /** Puts a DAHDI span in alarm (`Alarm` per channel, `SpanAlarm`); throws `SIM_DAHDI` for an unknown span. */
  spanAlarm(span: number, alarm: DahdiAlarm = 'Red Alarm'): void {
    raiseSpanAlarm(this.core, span, alarm);
  }

  /** Clears a span's alarm (`AlarmClear` per channel, `SpanAlarmClear`). */
  clearSpanAlarm(span: number): void {
    clearSpanAlarm(this.core, span);
  }

  /** Whether the far end of the PJSIP outbound registrations answers (down: a register ends `Rejected` after 32 s). */
  setTrunkFarEnd(state: 'up' | 'down'): void {
    setFarEndDown(this.core, state === 'down');
  }

  /** Turns background traffic on (with these settings) or off. */
  setTraffic(options: TrafficOptions | false): void {
    this.traffic?.stop();
    this.traffic = undefined;
    if (options === false || this.closed) return;
    this.traffic = new SimTraffic(this.core, { placeCall: (c) => this.placeCall(c) }, options);
    this.traffic.start();
  }

  /** Endpoints and their registration. */
  endpoints(): ReturnType<typeof viewEndpoints> {
    return viewEndpoints(this.core);
  }

  /** Live channels. */
  channels(): ReturnType<typeof viewChannels> {
    return viewChannels(this.core);
  }

  /** Live bridges. */
  bridges(): ReturnType<typeof viewBridges> {
    return viewBridges(this.core);
  }

  /** Queues with members and waiting callers. */
  queues(): ReturnType<typeof viewQueues> {
    return viewQueues(this.core);
  }

  /** Waits until no background task is running (every call finished). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ((this.tasks.size > 0 || this.core.state.channels.size > 0) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 5));
  }

  /** Stops traffic, ends every call, closes every AMI session and the listener, flushes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.setTraffic(false);
    this.closed = true;
    this.core.clock.close();
    await Promise.race([Promise.allSettled([...this.tasks]), new Promise((r) => setTimeout(r, 1000))]);
    const i = hangupListeners.indexOf(this.onHangup);
    if (i >= 0) hangupListeners.splice(i, 1);
    await this.server.close();
    this.core.log.verbose(undefined, 'asterisk.c', 'Executing last minute cleanups');
    await this.core.log.close();
  }
}
