/**
 * What every part of the simulated PBX shares: state, clock, random numbers, options, the event sink and the log
 * writer. Action handlers, dialplan applications and (later) trunk modules all receive one `SimCore`.
 */
import type { SimClock } from './clock.js';
import type { SimConfigStore } from './config-store.js';
import type { Pairs } from './headers.js';
import type { SimLogWriter } from './log-writer.js';
import type { SimRandom } from './random.js';
import type { SimState } from './state.js';

/** What a dialled phone does. */
export interface PhoneBehaviour {
  /** `answer` (default), `busy` (486), `reject` (603), `noanswer` (rings until the dialler gives up). */
  outcome?: 'answer' | 'busy' | 'reject' | 'noanswer';
  /** Ring time before answering, simulated ms (default 1500). */
  ringMs?: number;
  /** After answering, the phone hangs up after this long; undefined = it waits for the other side. */
  talkMs?: number;
}

/** Where the router's FastAGI server is. */
export interface SimFastAgiTarget {
  host: string;
  port: number;
}

/** Tunables the engine reads. */
export interface SimCoreOptions {
  /** Behaviour of phones dialled without a per-call plan. */
  phone: Required<Pick<PhoneBehaviour, 'ringMs'>> & PhoneBehaviour;
  /** Overrides the host:port of every `AGI(agi://…)` in the dialplan. */
  fastAgi?: SimFastAgiTarget;
  /** Digits a FastAGI `GET DATA` / `WAIT FOR DIGIT` receives (default `1234`). */
  agiDigits: string;
  /** Phones added through the wizard register on their own after the reload. */
  autoRegisterProvisioned: boolean;
  /** Asterisk version string (`core show version`, CoreSettings). */
  version: string;
  /** AMI version (`CoreSettings` `AMIversion`). */
  amiVersion: string;
  /** System name (CoreSettings). */
  systemName: string;
}

/** The shared core. */
export interface SimCore {
  readonly state: SimState;
  readonly clock: SimClock;
  readonly rng: SimRandom;
  readonly config: SimConfigStore;
  readonly options: SimCoreOptions;
  readonly log: SimLogWriter;
  /** Start time (simulated ms) and last reload time. */
  readonly startedAt: number;
  lastReloadAt: number;
  /** Sends an event to every AMI session (and to local listeners). */
  emit(event: Pairs): void;
  /** Per-call plans for dialled phones, by linkedid. */
  readonly plans: Map<string, PhoneBehaviour>;
  /** Per-endpoint behaviours. */
  readonly behaviours: Map<string, PhoneBehaviour>;
  /** Tracks a background task so `close()` can wait for it and errors are not lost. */
  spawn(task: Promise<unknown>): void;
  /** Whether the PBX is closing. */
  readonly closing: boolean;
}
