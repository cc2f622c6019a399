/**
 * Background traffic of the simulated PBX, deterministic for a seed: phones call each other, the `ventas` queue,
 * the conference and outside numbers (which the office dialplan sends to the FastAGI router); calls are answered
 * or not, talk for a while and hang up; queue agents pause and come back with a reason.
 */

import type { SimCore } from './core.js';
import { currentPlan, findExten } from './dialplan.js';
import { memberEvent } from './queues.js';
import type { SimEndpoint } from './state.js';

/** Traffic settings. */
export interface TrafficOptions {
  /** New calls per simulated minute (default 6). */
  callsPerMinute?: number;
  /** Share of calls answered (default 0.8); of the rest, a quarter are busy. */
  answerRatio?: number;
  /** Talk time range, simulated ms (default 5 s – 60 s). */
  talkMs?: { min: number; max: number };
  /** Share of calls to the queue (default 0.3). */
  queueShare?: number;
  /** Share of calls to the conference (default 0.05). */
  conferenceShare?: number;
  /** Share of calls to outside numbers through the router (default 0.15). */
  outsideShare?: number;
  /** Mean time between an agent pausing or unpausing, simulated ms (default 90 s; 0 = never). */
  agentPauseEveryMs?: number;
  /** Upper bound of live calls the generator keeps (default 2000). */
  maxConcurrent?: number;
}

/** What the generator needs from the PBX. */
export interface TrafficHost {
  placeCall(call: {
    from: string;
    to: string;
    answer: boolean;
    outcome?: 'busy';
    talkMs: number;
    hangupBy: 'caller' | 'callee';
    callerIdName?: string;
    patienceMs?: number;
  }): unknown;
}

const REASONS = ['lunch', 'break', 'meeting', 'training'];

/** Runs traffic until stopped. */
export class SimTraffic {
  private stopped = false;
  private cancels: Array<() => void> = [];

  /**
   * @param core the simulator
   * @param host places calls
   * @param options settings
   */
  constructor(
    private readonly core: SimCore,
    private readonly host: TrafficHost,
    private readonly options: TrafficOptions,
  ) {}

  /** Starts the loops. */
  start(): void {
    this.nextCall();
    if ((this.options.agentPauseEveryMs ?? 90_000) > 0) this.nextPause();
  }

  /** Stops every loop. */
  stop(): void {
    this.stopped = true;
    for (const c of this.cancels) c();
    this.cancels = [];
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const cancel = this.core.clock.after(ms, () => {
      this.cancels = this.cancels.filter((c) => c !== cancel);
      if (!this.stopped) fn();
    });
    this.cancels.push(cancel);
  }

  private nextCall(): void {
    const cpm = Math.max(0.001, this.options.callsPerMinute ?? 6);
    this.schedule(this.core.rng.exp(60_000 / cpm), () => {
      try {
        this.placeOne();
      } catch {
        // A phone that unregistered in between, an extension removed by UpdateConfig: try again later.
      }
      this.nextCall();
    });
  }

  private registered(): SimEndpoint[] {
    return [...this.core.state.endpoints.values()].filter((e) => e.contact && !e.outboundAuth);
  }

  /** The extension that dials an endpoint from a context (`200` for alonso in oficina2, or its name). */
  private extenFor(context: string, target: SimEndpoint): string | undefined {
    const ctx = currentPlan(this.core).get(context);
    if (!ctx) return undefined;
    const hits = [...ctx.entries()].filter(
      ([k, steps]) =>
        !k.startsWith('_') &&
        steps[0]?.app.toLowerCase() === 'dial' &&
        steps[0]?.data.startsWith(`PJSIP/${target.name},`),
    );
    if (hits.length === 0) return undefined;
    return this.core.rng.pick(hits)[0];
  }

  private placeOne(): void {
    const { rng, state } = this.core;
    if (state.channels.size >= (this.options.maxConcurrent ?? 2000) * 2) return;
    const phones = this.registered();
    if (phones.length === 0) return;
    const from = rng.pick(phones);
    const talk = this.options.talkMs ?? { min: 5000, max: 60000 };
    const talkMs = rng.int(talk.min, talk.max);
    const answered = rng.chance(this.options.answerRatio ?? 0.8);
    const busy = !answered && rng.chance(0.25);
    const r = rng.next();
    const plan = currentPlan(this.core);
    const q = this.options.queueShare ?? 0.3;
    const c = this.options.conferenceShare ?? 0.05;
    const o = this.options.outsideShare ?? 0.15;
    let to: string | undefined;
    if (r < q)
      to = [...(plan.get(from.context)?.entries() ?? [])].find(([, s]) =>
        s.some((x) => x.app.toLowerCase() === 'queue'),
      )?.[0];
    else if (r < q + c) to = findExten(plan, from.context, '700') ? '700' : undefined;
    else if (r < q + c + o) to = `0${rng.int(600000000, 999999999)}`;
    if (to === undefined) {
      const others = phones.filter((p) => p !== from);
      if (others.length === 0) return;
      to = this.extenFor(from.context, rng.pick(others));
    }
    if (to === undefined) return;
    this.host.placeCall({
      from: from.name,
      to,
      answer: answered,
      ...(busy ? { outcome: 'busy' as const } : {}),
      talkMs,
      hangupBy: rng.chance(0.5) ? 'caller' : 'callee',
      patienceMs: rng.int(10_000, 60_000),
    });
  }

  private nextPause(): void {
    this.schedule(this.core.rng.exp(this.options.agentPauseEveryMs ?? 90_000), () => {
      const members = [...this.core.state.queues.values()].flatMap((q) => q.members.map((m) => ({ q, m })));
      if (members.length > 0) {
        const { q, m } = this.core.rng.pick(members);
        m.paused = !m.paused;
        m.pausedReason = m.paused ? this.core.rng.pick(REASONS) : '';
        m.lastPause = Math.floor(this.core.clock.now() / 1000);
        memberEvent(this.core, 'QueueMemberPause', q, m);
      }
      this.nextPause();
    });
  }
}
