/**
 * AriClient: the typed REST resources, one events WebSocket, the live objects registry and the Stasis
 * applications, owned together and closed together.
 */
import { DTMF_BUFFER_LIMIT, StasisCall } from './call.js';
import { type AriConnectionOptions, type AriEndpoint, resolveEndpoint } from './connection.js';
import { TypedEmitter } from './emitter.js';
import {
  AriAbortedError,
  AriClosedError,
  type AriError,
  AriHangupError,
  AriInvalidArgumentError,
} from './errors.js';
import type { AriEvent, AriEventOf, KnownAriEventType, StasisStartEvent } from './events.js';
import {
  AriHttp,
  type AriHttpOptions,
  type AriMethod,
  type AriQuery,
  type AriRequestOptions,
} from './http.js';
import type { LiveBridge } from './live/bridge.js';
import type { LiveChannel } from './live/channel.js';
import type { LivePlayback } from './live/playback.js';
import type { LiveRecordingObject } from './live/recording.js';
import { LiveRegistry } from './live/registry.js';
import { ApplicationsResource } from './resources/applications.js';
import { AsteriskResource } from './resources/asterisk.js';
import { BridgesResource } from './resources/bridges.js';
import { ChannelsResource } from './resources/channels.js';
import {
  DeviceStatesResource,
  EndpointsResource,
  EventsResource,
  MailboxesResource,
  PlaybacksResource,
  SoundsResource,
} from './resources/misc.js';
import { RecordingsResource } from './resources/recordings.js';
import {
  AriEventSocket,
  type AriEventSocketEvents,
  type AriGap,
  type AriReconnectOptions,
  type AriSocketState,
} from './socket.js';

/** Options of {@link AriClient}. */
export interface AriClientOptions extends AriConnectionOptions, AriHttpOptions {
  /** Applications to register besides those given to {@link AriClient.app}. */
  apps?: string[];
  /** Subscribe to every channel, bridge, endpoint and device state. */
  subscribeAll?: boolean;
  /** Ms between WebSocket pings (default 15,000; 0 disables). */
  pingIntervalMs?: number;
  /** Ms to wait for a pong (default 5,000). */
  pongTimeoutMs?: number;
  /** Ms allowed for the WebSocket handshake (default 10,000). */
  connectTimeoutMs?: number;
  /** Reconnect policy, or false. */
  reconnect?: AriReconnectOptions | false;
  /** Random source for jitter (tests). */
  random?: () => number;
}

/** Handler of one call in a Stasis application. */
export type StasisHandler = (call: StasisCall, args: string[]) => Promise<void> | void;

/** Options of {@link AriClient.app}. */
export interface StasisAppOptions {
  /** Hang the channel up when the handler throws (default true), so a failed flow never strands a caller. */
  hangupOnError?: boolean;
  /** Digits buffered per call while the flow is not waiting (default {@link DTMF_BUFFER_LIMIT}). */
  dtmfBufferLimit?: number;
}

/** A registered Stasis application. */
export interface StasisApp {
  /** Application name. */
  readonly name: string;
  /** Calls currently inside the application. */
  readonly activeCalls: number;
}

/** A handler failure, reported per call (other calls are not affected). */
export interface AriCallError {
  /** Application. */
  app: string;
  /** Channel id. */
  channelId: string;
  /** What the handler threw. */
  error: unknown;
}

/** Events of {@link AriClient}: every known event type by name, plus connection and application events. */
export type AriClientEvents = { [K in KnownAriEventType]: AriEventOf<K> } & {
  /** Every event, known or unknown, in arrival order. */
  event: AriEvent;
  /** Events may have been missed between `from` and `to` (after a reconnect). */
  gap: AriGap;
  /** The events socket opened. */
  open: AriEventSocketEvents['open'];
  /** The events socket went away. */
  disconnect: AriEventSocketEvents['disconnect'];
  /** A reconnect is scheduled. */
  reconnecting: AriEventSocketEvents['reconnecting'];
  /** Another connection took an application; this client stopped using it. */
  replaced: AriEventSocketEvents['replaced'];
  /** A frame that is not a valid event. */
  invalidFrame: AriEventSocketEvents['invalidFrame'];
  /** Socket state changed. */
  state: AriSocketState;
  /** A failure not tied to a request (e.g. reconnect refused). */
  error: AriError;
  /** A Stasis handler threw. */
  callError: AriCallError;
};

interface AppEntry {
  name: string;
  handler: StasisHandler;
  options: Required<StasisAppOptions>;
  calls: Map<string, StasisCall>;
}

/** Resource usage, for leak checks. */
export interface AriClientStats {
  /** Live objects tracked. */
  liveObjects: number;
  /** Listeners attached to live objects. */
  objectListeners: number;
  /** Calls inside Stasis applications. */
  activeCalls: number;
  /** REST requests in flight. */
  pendingRequests: number;
  /** Events socket state. */
  socketState: AriSocketState;
}

/** The ARI client. */
export class AriClient extends TypedEmitter<AriClientEvents> {
  /** Where the client connects (no credentials). */
  readonly endpoint: AriEndpoint;
  /** `/asterisk`. */
  readonly asterisk: AsteriskResource;
  /** `/applications`. */
  readonly applications: ApplicationsResource;
  /** `/channels`. */
  readonly channels: ChannelsResource;
  /** `/bridges`. */
  readonly bridges: BridgesResource;
  /** `/deviceStates`. */
  readonly deviceStates: DeviceStatesResource;
  /** `/endpoints`. */
  readonly endpoints: EndpointsResource;
  /** `/events` (REST side). */
  readonly events: EventsResource;
  /** `/mailboxes`. */
  readonly mailboxes: MailboxesResource;
  /** `/playbacks`. */
  readonly playbacks: PlaybacksResource;
  /** `/recordings`. */
  readonly recordings: RecordingsResource;
  /** `/sounds`. */
  readonly sounds: SoundsResource;
  readonly #http: AriHttp;
  readonly #registry: LiveRegistry;
  readonly #options: AriClientOptions;
  readonly #apps = new Map<string, AppEntry>();
  #socket: AriEventSocket | undefined;
  #closed = false;

  constructor(options: AriClientOptions) {
    super();
    this.#options = options;
    this.endpoint = resolveEndpoint(options);
    this.#http = new AriHttp(this.endpoint, options);
    const h = this.#http;
    this.asterisk = new AsteriskResource(h);
    this.applications = new ApplicationsResource(h);
    this.channels = new ChannelsResource(h);
    this.bridges = new BridgesResource(h);
    this.deviceStates = new DeviceStatesResource(h);
    this.endpoints = new EndpointsResource(h);
    this.events = new EventsResource(h);
    this.mailboxes = new MailboxesResource(h);
    this.playbacks = new PlaybacksResource(h);
    this.recordings = new RecordingsResource(h);
    this.sounds = new SoundsResource(h);
    this.#registry = new LiveRegistry(this);
  }

  /** Untyped core: any method and path below `/ari` (e.g. `/channels`), query and JSON body. */
  request<T = unknown>(
    method: AriMethod,
    path: string,
    params: { query?: AriQuery; body?: unknown } = {},
    options?: AriRequestOptions,
  ): Promise<T> {
    let p = path.startsWith('/') ? path : `/${path}`;
    let query = params.query;
    const q = p.indexOf('?');
    if (q >= 0) {
      // A query written into the path (`/sounds?lang=en`) is merged with the explicit one.
      query = { ...Object.fromEntries(new URLSearchParams(p.slice(q + 1))), ...query };
      p = p.slice(0, q);
    }
    if (p === '/ari' || p.startsWith('/ari/')) p = p.slice(4) || '/';
    if (/[\s\u0000-\u001f\u007f]/.test(p)) {
      return Promise.reject(
        new AriInvalidArgumentError('path must not contain spaces or control characters'),
      );
    }
    return this.#http.request<T>({ method, path: p, query, body: params.body }, options);
  }

  /**
   * Registers a Stasis application: each StasisStart runs `handler` as its own async flow; `call.signal` aborts on
   * StasisEnd or hangup; a throw is reported as `callError` and affects no other call. Register before connect().
   */
  app(name: string, handler: StasisHandler, options: StasisAppOptions = {}): StasisApp {
    if (this.#closed) throw new AriClosedError();
    if (this.#apps.has(name)) throw new AriInvalidArgumentError(`application ${name} is already registered`);
    if (this.#socket && !this.#socket.apps.includes(name)) {
      throw new AriInvalidArgumentError(`register application ${name} before connect()`);
    }
    const entry: AppEntry = {
      name,
      handler,
      options: {
        hangupOnError: options.hangupOnError ?? true,
        dtmfBufferLimit: options.dtmfBufferLimit ?? DTMF_BUFFER_LIMIT,
      },
      calls: new Map(),
    };
    this.#apps.set(name, entry);
    return {
      name,
      get activeCalls() {
        return entry.calls.size;
      },
    };
  }

  /** Opens the events WebSocket for every registered application (plus `options.apps`). */
  async connect(): Promise<void> {
    if (this.#closed) throw new AriClosedError();
    if (this.#socket) throw new AriInvalidArgumentError('connect() was already called');
    const apps = [...new Set([...(this.#options.apps ?? []), ...this.#apps.keys()])];
    const o = this.#options;
    const socket = new AriEventSocket(this.endpoint, {
      apps,
      subscribeAll: o.subscribeAll,
      pingIntervalMs: o.pingIntervalMs,
      pongTimeoutMs: o.pongTimeoutMs,
      connectTimeoutMs: o.connectTimeoutMs,
      reconnect: o.reconnect,
      random: o.random,
    });
    this.#socket = socket;
    socket.on('event', (event) => this.dispatch(event));
    socket.on('gap', (gap) => this.emit('gap', gap));
    socket.on('open', (e) => this.emit('open', e));
    socket.on('disconnect', (e) => this.emit('disconnect', e));
    socket.on('reconnecting', (e) => this.emit('reconnecting', e));
    socket.on('replaced', (e) => this.emit('replaced', e));
    socket.on('invalidFrame', (e) => this.emit('invalidFrame', e));
    socket.on('state', (s) => this.emit('state', s));
    socket.on('error', (e) => this.emit('error', e));
    try {
      await socket.connect();
    } catch (err) {
      this.#socket = undefined;
      socket.clear();
      await socket.close();
      throw err;
    }
  }

  /**
   * Delivers one event exactly as if it came from the WebSocket: client listeners, then Stasis applications, then
   * live objects. Public so tests (and other transports) can feed events; the socket calls it for every frame.
   */
  dispatch(event: AriEvent): void {
    if (this.#closed) return;
    this.emit('event', event);
    this.emit(event.type as KnownAriEventType, event as never);
    if (event.type === 'StasisStart' && !('unknown' in event)) this.#startCall(event as StasisStartEvent);
    this.#registry.dispatch(event);
  }

  /** Gets or creates the live channel with this id; without an id, a fresh id for a channel you will originate. */
  channel(id?: string): LiveChannel {
    return this.#registry.channel(id);
  }
  /** Gets or creates the live bridge with this id (fresh id when omitted; then `bridge.create()`). */
  bridge(id?: string): LiveBridge {
    return this.#registry.bridge(id);
  }
  /** Gets or creates the live playback with this id. */
  playback(id?: string): LivePlayback {
    return this.#registry.playback(id);
  }
  /** Gets or creates the live recording with this name. */
  recording(name: string): LiveRecordingObject {
    return this.#registry.recording(name);
  }

  /** Resource usage: live objects, their listeners, calls, pending requests. */
  stats(): AriClientStats {
    let activeCalls = 0;
    for (const a of this.#apps.values()) activeCalls += a.calls.size;
    return {
      liveObjects: this.#registry.size,
      objectListeners: this.#registry.listenerCount(),
      activeCalls,
      pendingRequests: this.#http.pendingCount,
      socketState: this.#socket?.state ?? 'idle',
    };
  }

  /** Closes the socket, ends every call, releases every live object, fails pending requests. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = undefined;
    for (const app of this.#apps.values()) {
      for (const call of app.calls.values()) call.end('client closed');
      app.calls.clear();
    }
    this.#registry.releaseAll('client closed');
    this.#http.close();
    if (socket) await socket.close();
    socket?.clear();
  }

  #startCall(event: StasisStartEvent): void {
    const entry = this.#apps.get(event.application);
    if (!entry || !event.channel) return;
    const existing = entry.calls.get(event.channel.id);
    if (existing) existing.end('re-entered the application');
    const channel = this.#registry.channel(event.channel.id);
    channel.snapshot = event.channel;
    const call = new StasisCall(entry.name, event, channel, entry.options.dtmfBufferLimit);
    entry.calls.set(channel.id, call);
    call.signal.addEventListener(
      'abort',
      () => {
        if (entry.calls.get(channel.id) === call) entry.calls.delete(channel.id);
      },
      { once: true },
    );
    const onError = (error: unknown) => {
      // A wait rejected because the caller hung up is how a flow normally ends, not a failure.
      if (call.ended && (error instanceof AriHangupError || error instanceof AriAbortedError)) return;
      this.emit('callError', { app: entry.name, channelId: channel.id, error });
      if (entry.options.hangupOnError && !call.ended) call.hangup().catch(() => {});
    };
    try {
      const result = entry.handler(call, call.args);
      if (result && typeof (result as Promise<void>).then === 'function')
        (result as Promise<void>).catch(onError);
    } catch (err) {
      onError(err);
    }
  }
}
