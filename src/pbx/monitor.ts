/**
 * `PbxMonitor`: drives one `PbxModel` per AMI client. On every `ready` (and after a `gap`) it re-reads the
 * server's state with list actions and reconciles; between snapshots it applies events as they arrive.
 */
import { EventEmitter } from 'node:events';
import { PbxModel, type PbxModelOptions } from './model.js';
import { snapshotTrunks, trunkRequest } from './trunk-sync.js';
import type { PbxTrunk, PbxTrunkOptions } from './trunk-types.js';
import type { PbxChange, PbxKpis, PbxMessage, PbxServerSnapshot } from './types.js';

/** Reply of an AMI action as the monitor reads it (an `AmiResponse` fits). */
export interface PbxActionReply {
  /** False for `Response: Error`. */
  ok: boolean;
  /** The response packet. */
  message: PbxMessage;
  /** List items. */
  items: PbxMessage[];
}

/** What the monitor needs of an AMI client (`AmiClient` from `switchboard/ami` fits). */
export interface PbxAmiClient {
  /** Connection state (`ready` once logged in). */
  readonly state: string;
  /** Subscribes to events. */
  on(event: 'event', listener: (m: PbxMessage) => void): unknown;
  /** Subscribes to state changes. */
  on(event: 'state', listener: (s: string) => void): unknown;
  /** Subscribes to reconnect gaps. */
  on(event: 'gap', listener: (g: { from: Date; to: Date }) => void): unknown;
  /** Unsubscribes. */
  off(event: 'event', listener: (m: PbxMessage) => void): unknown;
  /** Unsubscribes. */
  off(event: 'state', listener: (s: string) => void): unknown;
  /** Unsubscribes. */
  off(event: 'gap', listener: (g: { from: Date; to: Date }) => void): unknown;
  /** Sends an action; resolves with the reply and list items. */
  action(
    name: string,
    params?: Record<string, string>,
    options?: { onItem?: (item: PbxMessage) => void },
  ): Promise<PbxActionReply>;
}

/** One server to watch. */
export interface PbxServerSource {
  /** Server id, prefixed to every object id (must be unique within the monitor). */
  id: string;
  /** Its AMI client (the monitor does not own it: the caller connects and closes it). */
  client: PbxAmiClient;
  /** This server's trunk endpoints and DAHDI spans (instead of the monitor-wide `trunks` option). */
  trunks?: PbxTrunkOptions;
}

/** Options of a `PbxMonitor`. */
export interface PbxMonitorOptions extends Omit<PbxModelOptions, 'server'> {
  /** How often ended calls are checked for their record (default 1000 ms). */
  tickMs?: number;
  /** How often a `kpi` change is emitted per server (default 10,000 ms; 0 disables). */
  kpiEveryMs?: number;
  /** Clock (default `Date.now`). */
  now?: () => number;
  /** Delay before a snapshot that failed on a live link is tried again (default 5000 ms). */
  retryMs?: number;
}

/** Error of a closed monitor (`PBX_CLOSED`). */
export class PbxClosedError extends Error {
  /** Stable code. */
  readonly code = 'PBX_CLOSED';
  constructor() {
    super('The PBX monitor was closed');
    this.name = 'PbxClosedError';
  }
}

/** A snapshot of a server could not be taken (`PBX_SYNC_FAILED`); `cause` is the AMI error code, if any. */
export class PbxSyncError extends Error {
  /** Stable code. */
  readonly code = 'PBX_SYNC_FAILED';
  /**
   * @param server the server id
   * @param reason what went wrong
   * @param causeCode the underlying error code (`AMI_TIMEOUT`…)
   */
  constructor(
    readonly server: string,
    reason: string,
    readonly causeCode?: string,
  ) {
    super(`Snapshot of ${server} failed: ${reason}${causeCode ? ` (${causeCode})` : ''}`);
    this.name = 'PbxSyncError';
  }
}

/** Events of a `PbxMonitor`. */
export interface PbxMonitorEvents {
  /** One change of one server's model. */
  change: [change: PbxChange];
  /** A server's state was (re)read from a snapshot. */
  synced: [server: string];
  /** A list action failed for another reason than the link going down. */
  error: [error: Error];
}

interface Server {
  id: string;
  client: PbxAmiClient;
  model: PbxModel;
  syncing: Promise<void> | undefined;
  again: boolean;
  synced: boolean;
  waiters: { resolve: () => void; reject: (e: Error) => void }[];
  onEvent: (m: PbxMessage) => void;
  onState: (s: string) => void;
  onGap: () => void;
  retry: NodeJS.Timeout | undefined;
}

/** Several servers' live models, kept in sync over their AMI clients. */
export class PbxMonitor extends EventEmitter<PbxMonitorEvents> {
  private readonly servers = new Map<string, Server>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastKpi = 0;
  private closed = false;

  /**
   * @param sources the servers (ids must be unique)
   * @param options model and timing options
   */
  constructor(
    sources: PbxServerSource[],
    private readonly options: PbxMonitorOptions = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
    for (const src of sources) {
      if (this.servers.has(src.id)) throw new TypeError(`Duplicate server id: ${src.id}`);
      const srv: Server = {
        id: src.id,
        client: src.client,
        model: new PbxModel({ ...options, ...(src.trunks ? { trunks: src.trunks } : {}), server: src.id }),
        syncing: undefined,
        again: false,
        synced: false,
        waiters: [],
        retry: undefined,
        onEvent: (m) => this.emitAll(srv.model.apply(m, this.now())),
        onState: (s) => {
          if (s === 'ready') this.sync(srv);
          else if (s === 'closed') this.failWaiters(srv, new PbxSyncError(srv.id, 'its AMI client closed'));
        },
        // `ready` already started a re-snapshot after a reconnect; the gap only matters if none is running.
        onGap: () => {
          if (!srv.syncing) this.sync(srv);
        },
      };
      this.servers.set(src.id, srv);
    }
  }

  /** Subscribes to the clients, snapshots those already ready, starts the record/KPI timer. */
  start(): this {
    if (this.closed) throw new PbxClosedError();
    if (this.timer) return this;
    for (const srv of this.servers.values()) {
      srv.client.on('event', srv.onEvent);
      srv.client.on('state', srv.onState);
      srv.client.on('gap', srv.onGap);
      if (srv.client.state === 'ready') this.sync(srv);
    }
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 1000);
    return this;
  }

  /** Resolves once every server has been snapshotted at least once. */
  async ready(): Promise<void> {
    await Promise.all(
      [...this.servers.values()].map((srv) =>
        srv.synced
          ? undefined
          : new Promise<void>((resolve, reject) => {
              if (this.closed) reject(new PbxClosedError());
              else srv.waiters.push({ resolve, reject });
            }),
      ),
    );
  }

  /** The model of one server. */
  model(id: string): PbxModel | undefined {
    return this.servers.get(id)?.model;
  }

  /** A consistent snapshot of every server. */
  snapshot(): PbxServerSnapshot[] {
    const now = this.now();
    return [...this.servers.values()].map((s) => s.model.snapshot(now));
  }

  /** KPIs of every server over the sliding window. */
  kpis(): Record<string, PbxKpis> {
    const to = this.now();
    return Object.fromEntries([...this.servers.values()].map((s) => [s.id, s.model.kpis({ to })]));
  }

  /** Re-reads one server's state now (also done automatically on `ready` and `gap`). */
  resync(id: string): Promise<void> {
    const srv = this.servers.get(id);
    if (!srv) return Promise.reject(new TypeError(`Unknown server id: ${id}`));
    this.sync(srv);
    return srv.syncing ?? Promise.resolve();
  }

  /**
   * Asks a registration trunk (`<server>/pjsip-registration/<name>` or `…/sip-registration/…`) to register again:
   * `PJSIPRegister` (chan_sip: `sip reload`). The trunk is `registering` until its next `Registry` event. Rejects with
   * `PbxTrunkError` (`PBX_TRUNK_NOT_FOUND`, `PBX_TRUNK_UNSUPPORTED`, `PBX_TRUNK_ACTION_FAILED` with Asterisk's message).
   */
  register(id: string): Promise<PbxTrunk> {
    return this.trunkOp(id, 'register');
  }

  /** Unregisters a PJSIP registration trunk (`PJSIPUnregister`); chan_sip cannot (`PBX_TRUNK_UNSUPPORTED`). */
  unregister(id: string): Promise<PbxTrunk> {
    return this.trunkOp(id, 'unregister');
  }

  private trunkOp(id: string, op: 'register' | 'unregister'): Promise<PbxTrunk> {
    if (this.closed) return Promise.reject(new PbxClosedError());
    const srv = this.servers.get(id.slice(0, id.indexOf('/')));
    if (!srv) return Promise.reject(new TypeError(`Unknown server in trunk id: ${id}`));
    return trunkRequest(srv.client, srv.model, id, op, this.now, (c) => this.emitAll(c));
  }

  /** Emits now the records of every call that has ended (instead of waiting `recordLingerMs` for late Cdrs). */
  flush(): void {
    const now = this.now();
    for (const srv of this.servers.values()) this.emitAll(srv.model.flush(now));
  }

  /**
   * Stops listening and timing; records of calls already ended are emitted first (never lost); pending `ready()`
   * calls reject with `PbxClosedError`. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const srv of this.servers.values()) {
      if (srv.retry) clearTimeout(srv.retry);
      srv.retry = undefined;
      srv.client.off('event', srv.onEvent);
      srv.client.off('state', srv.onState);
      srv.client.off('gap', srv.onGap);
      for (const w of srv.waiters.splice(0)) w.reject(new PbxClosedError());
    }
    await Promise.all([...this.servers.values()].map((s) => s.syncing?.catch(() => undefined)));
  }

  private failWaiters(srv: Server, e: Error): void {
    for (const w of srv.waiters.splice(0)) w.reject(e);
  }

  private emitAll(changes: PbxChange[]): void {
    for (const c of changes) this.emit('change', c);
  }

  private tick(): void {
    const now = this.now();
    const every = this.options.kpiEveryMs ?? 10_000;
    const kpi = every > 0 && now - this.lastKpi >= every;
    if (kpi) this.lastKpi = now;
    for (const srv of this.servers.values()) this.emitAll(srv.model.tick(now, kpi));
  }

  private sync(srv: Server): void {
    if (this.closed) return;
    if (srv.syncing) {
      srv.again = true;
      return;
    }
    srv.syncing = this.snapshotServer(srv)
      .then(
        () => {
          srv.synced = true;
          for (const w of srv.waiters.splice(0)) w.resolve();
          this.emit('synced', srv.id);
        },
        (err: unknown) => {
          // A link lost mid-snapshot is retried on the next `ready`; anything else is reported, and so is any
          // failure once the client is closed for good (no `ready` will come).
          const code = (err as { code?: string }).code;
          if (this.closed) return;
          const e = new PbxSyncError(srv.id, err instanceof Error ? err.message : String(err), code);
          if (code !== 'AMI_DISCONNECTED' && code !== 'AMI_CLOSED') {
            if (this.listenerCount('error') > 0) this.emit('error', e);
            this.failWaiters(srv, e);
            // The link is still up but the picture may be incomplete: try again a little later.
            srv.retry ??= setTimeout(() => {
              srv.retry = undefined;
              if (srv.client.state === 'ready') this.sync(srv);
            }, this.options.retryMs ?? 5000);
          } else if (srv.client.state === 'closed') this.failWaiters(srv, e);
        },
      )
      .finally(() => {
        srv.syncing = undefined;
        this.emitAll(srv.model.endSnapshot());
        if (srv.again && !this.closed && srv.client.state === 'ready') {
          srv.again = false;
          this.sync(srv);
        }
      });
  }

  private async snapshotServer(srv: Server): Promise<void> {
    const { client, model } = srv;
    srv.again = false;
    const token = model.beginSnapshot();
    const started = { onItem: () => model.channelListStarted() };
    const csc = await client.action('CoreShowChannels', {}, started);
    if (csc.ok) this.emitAll(model.applyChannels(csc.items, token, this.now()));
    else {
      // Servers without CoreShowChannels (very old) still answer Status.
      const st = await client.action('Status', {}, started);
      if (st.ok) this.emitAll(model.applyChannels(st.items, token, this.now()));
    }
    const qs = await client.action('QueueStatus');
    if (qs.ok) this.emitAll(model.applyQueueStatus(qs.items, token, this.now()));
    for (const name of ['DeviceStateList', 'ExtensionStateList']) {
      const r = await client.action(name);
      if (r.ok) this.emitAll(model.applyDevices(r.items));
    }
    const pj = await client.action('PJSIPShowEndpoints');
    const endpointItems = pj.ok ? pj.items : [];
    if (pj.ok) this.emitAll(model.applyEndpoints(pj.items, 'PJSIP'));
    else if (/no endpoints/i.test(pj.message.get('Message') ?? ''))
      this.emitAll(model.applyEndpoints([], 'PJSIP'));
    else {
      const sp = await client.action('SIPpeers');
      if (sp.ok) this.emitAll(model.applyEndpoints(sp.items, 'SIP'));
    }
    const rooms = await client.action('ConfbridgeListRooms');
    if (rooms.ok || /no active conferences/i.test(rooms.message.get('Message') ?? '')) {
      const members = [];
      for (const r of rooms.ok ? rooms.items : []) {
        const name = r.get('Conference');
        if (!name) continue;
        const list = await client.action('ConfbridgeList', { Conference: name });
        if (list.ok) members.push(...list.items);
      }
      this.emitAll(model.applyConferences(rooms.ok ? rooms.items : [], members));
    }
    this.emitAll(await snapshotTrunks(client, model, endpointItems, this.now));
    this.emitAll(model.endSnapshot());
  }
}
