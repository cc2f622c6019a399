/**
 * Live push: every change of the PBX monitor (and every PBX link state change) gets a server-wide sequence
 * number, is kept in a bounded resume window, and is sent to each WebSocket client through a bounded queue (the
 * bytes its connection has not taken yet) — a slow client is dropped with close code 4008, never slowing the others.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { PbxChange } from '../pbx/index.js';
import type { ServerMetrics } from './metrics.js';
import type { PbxInfo, PbxLinks } from './pbx-links.js';

/** Close code for a client that could not keep up. */
export const CLOSE_SLOW = 4008;
/** Close code when the server shuts down. */
export const CLOSE_SHUTDOWN = 1001;

/** One message of the live stream (after the snapshot). */
export type LiveMessage =
  | { type: 'change'; seq: number; change: PbxChange }
  | { type: 'pbx'; seq: number; pbx: PbxInfo }
  | { type: string; seq: number; [key: string]: unknown };

interface Entry {
  seq: number;
  server: string | undefined;
  text: string;
}

interface Client {
  socket: WebSocket;
  pbx: string | undefined;
  alive: boolean;
}

/** Options of {@link LiveHub}. */
export interface LiveHubOptions {
  /** Changes kept for resumes. */
  resumeWindow: number;
  /** Bytes queued for one client (not yet taken by its TCP connection) before it is dropped as too slow. */
  maxBufferedBytes: number;
  /** Ping interval in ms (a client that did not answer the previous ping is terminated). */
  pingInterval: number;
}

/** The live stream's state and its clients. */
export class LiveHub {
  /** Changes of the stream carry this id; a resume with another epoch gets a snapshot. */
  readonly epoch = randomBytes(6).toString('hex');
  private seq = 0;
  private readonly ring: Entry[] = [];
  private readonly clients = new Set<Client>();
  private readonly corked = new Map<Client, { cork(): void; uncork(): void }>();
  private readonly pinger: NodeJS.Timeout;
  // Trunk changes go out as `{type: "trunk"}` (a line going down is news of its own); every other as `change`.
  private readonly onChange = (c: PbxChange) =>
    this.publish({ type: c.type === 'trunk' ? 'trunk' : 'change', change: c }, c.server);

  constructor(
    private readonly pbx: PbxLinks,
    private readonly metrics: ServerMetrics,
    private readonly options: LiveHubOptions,
  ) {
    pbx.monitor.on('change', this.onChange);
    for (const link of pbx.links.values()) {
      link.on('state', () => this.publish({ type: 'pbx', pbx: link.info() }, link.config.id));
    }
    this.pinger = setInterval(() => this.ping(), options.pingInterval);
    this.pinger.unref?.();
  }

  /** The last sequence number given. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Adds a message to the stream (rooms may publish their own types, e.g. `trunk`). */
  publish(message: { type: string; [key: string]: unknown }, server?: string): void {
    const seq = ++this.seq;
    const text = JSON.stringify({ ...message, seq });
    const entry: Entry = { seq, server, text };
    this.ring.push(entry);
    if (this.ring.length > this.options.resumeWindow)
      this.ring.splice(0, this.ring.length - this.options.resumeWindow);
    for (const c of this.clients) if (!c.pbx || !server || c.pbx === server) this.send(c, text);
  }

  /** The snapshot message for a client (all PBXs or one). */
  snapshot(pbx?: string): string {
    const servers = this.pbx.monitor.snapshot().filter((s) => !pbx || s.server === pbx);
    const info = this.pbx.list().filter((p) => !pbx || p.id === pbx);
    return JSON.stringify({
      type: 'snapshot',
      seq: this.seq,
      epoch: this.epoch,
      data: { pbx: info, servers },
    });
  }

  /**
   * Serves one client. With `since` (and this epoch) the missed messages are replayed when the window still has
   * them (`{type: "resume"}` first); otherwise the client gets a fresh snapshot.
   */
  attach(socket: WebSocket, o: { pbx?: string; since?: number; epoch?: string }): void {
    const client: Client = { socket, pbx: o.pbx, alive: true };
    const first = this.ring[0];
    const canResume =
      o.since !== undefined &&
      o.epoch === this.epoch &&
      o.since <= this.seq &&
      (o.since === this.seq || (first !== undefined && first.seq <= o.since + 1));
    if (canResume) {
      this.send(client, JSON.stringify({ type: 'resume', seq: o.since, epoch: this.epoch }));
      for (const e of this.ring) {
        if (e.seq > o.since! && (!client.pbx || !e.server || e.server === client.pbx))
          this.send(client, e.text);
      }
    } else {
      this.send(client, this.snapshot(o.pbx));
    }
    this.clients.add(client);
    this.metrics.wsClients.inc({ endpoint: 'live' });
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', () => {}); // the stream is one-way; client messages are ignored
    socket.on('close', () => {
      if (this.clients.delete(client)) this.metrics.wsClients.dec({ endpoint: 'live' });
    });
    socket.on('error', () => socket.terminate());
  }

  private send(c: Client, text: string): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    this.cork(c);
    // What the connection has not taken yet is this client's queue: past the bound, it is too slow.
    if (c.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.drop(c);
      return;
    }
    c.socket.send(text);
  }

  /**
   * Holds a client's writes until the end of this turn of the event loop: a burst of changes leaves as one
   * `writev` per client instead of one system call per message (the messages themselves are unchanged).
   */
  private cork(c: Client): void {
    if (this.corked.has(c)) return;
    const raw = (c.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (!raw) return;
    raw.cork();
    this.corked.set(c, raw);
    if (this.corked.size === 1) {
      setImmediate(() => {
        for (const r of this.corked.values()) r.uncork();
        this.corked.clear();
      });
    }
  }

  private drop(c: Client): void {
    if (!this.clients.delete(c)) return;
    this.metrics.wsClients.dec({ endpoint: 'live' });
    this.metrics.wsDropped.inc({ endpoint: 'live' });
    c.socket.close(CLOSE_SLOW, 'too slow: resume with ?since=');
    // A client that stopped reading never completes the closing handshake.
    setTimeout(() => c.socket.terminate(), 2000).unref?.();
  }

  private ping(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }

  /** Closes every client (server shutdown). */
  close(): void {
    clearInterval(this.pinger);
    this.pbx.monitor.off('change', this.onChange);
    for (const c of this.clients) c.socket.close(CLOSE_SHUTDOWN, 'server shutting down');
    this.clients.clear();
  }
}
