/**
 * FakeAriPbx: a small Stasis simulator mounted on a {@link FakeAriServer}. It keeps channels and bridges, answers
 * the common REST operations like Asterisk (404 `Channel not found`, 409 when not in Stasis) and emits the events
 * Asterisk would — in the worst-case order: events of an operation are sent *before* its HTTP reply.
 */
import type { Bridge, Channel } from '../ari/index.js';
import { fakeBridge, fakeChannel, fakeEvent } from './ari-fake-events.js';
import type { FakeAriReply, FakeAriServer } from './ari-fake-server.js';

interface SimChannel {
  snapshot: Channel;
  app: string | undefined;
  inStasis: boolean;
  vars: Map<string, string>;
}

/** Options of {@link FakeAriPbx}. */
export interface FakeAriPbxOptions {
  /** Ms between PlaybackStarted and PlaybackFinished (default 0: next macrotask). */
  playbackMs?: number;
}

const notFound = (what: string): FakeAriReply => ({ status: 404, body: { message: `${what} not found` } });
const notInStasis: FakeAriReply = { status: 409, body: { message: 'Channel not in Stasis application' } };

/** Simulated Asterisk state and behaviour for Stasis tests. */
export class FakeAriPbx {
  readonly #server: FakeAriServer;
  readonly #opts: Required<FakeAriPbxOptions>;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #removers: Array<() => void> = [];
  readonly #playing = new Map<string, { id: string; app: string; playback: Record<string, string> }>();
  #seq = 0;
  /** Channels by id. */
  readonly channels = new Map<string, SimChannel>();
  /** Bridges by id. */
  readonly bridges = new Map<string, Bridge>();
  /** Media played, as `channelId media` strings, in order. */
  readonly played: string[] = [];

  constructor(server: FakeAriServer, options: FakeAriPbxOptions = {}) {
    this.#server = server;
    this.#opts = { playbackMs: options.playbackMs ?? 0 };
    this.#install();
  }

  /** A caller dials into `Stasis(app,args…)`: StasisStart is sent. Returns the channel id. */
  startCall(app: string, args: string[] = [], overrides: Partial<Channel> = {}): string {
    const id = overrides.id ?? `1795340000.${++this.#seq}`;
    const snapshot = fakeChannel(id, {
      state: 'Ring',
      dialplan: {
        context: 'default',
        exten: '100',
        priority: 1,
        app_name: 'Stasis',
        app_data: [app, ...args].join(','),
      },
      ...overrides,
    });
    this.channels.set(id, { snapshot, app, inStasis: true, vars: new Map() });
    this.#emit(app, 'StasisStart', { args, channel: snapshot });
    return id;
  }

  /** The caller presses keys: one ChannelDtmfReceived per digit, in order. */
  pressDigits(channelId: string, digits: string): void {
    const ch = this.channels.get(channelId);
    if (!ch?.app) throw new Error(`no channel ${channelId}`);
    for (const digit of digits)
      this.#emit(ch.app, 'ChannelDtmfReceived', { digit, duration_ms: 100, channel: ch.snapshot });
  }

  /** The caller hangs up: ChannelHangupRequest, StasisEnd (if in Stasis), ChannelDestroyed. */
  callerHangup(channelId: string, cause = 16): void {
    this.#destroy(channelId, cause, false);
  }

  /** Removes the routes and stops timers. */
  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const r of this.#removers.splice(0)) r();
  }

  #emit(app: string, type: string, fields: Record<string, unknown>): void {
    this.#server.send(fakeEvent(type, app, fields));
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #destroy(channelId: string, cause: number, soft: boolean): boolean {
    const ch = this.channels.get(channelId);
    if (!ch) return false;
    this.channels.delete(channelId);
    const app = ch.app;
    if (!app) return true;
    this.#emit(
      app,
      'ChannelHangupRequest',
      soft ? { cause, soft: true, channel: ch.snapshot } : { cause, channel: ch.snapshot },
    );
    for (const bridge of this.bridges.values()) {
      const i = bridge.channels.indexOf(channelId);
      if (i >= 0) {
        bridge.channels.splice(i, 1);
        this.#emit(app, 'ChannelLeftBridge', { bridge: { ...bridge }, channel: ch.snapshot });
      }
    }
    for (const pb of [...this.#playing.values()]) {
      if (pb.playback.target_uri !== `channel:${channelId}`) continue;
      this.#playing.delete(pb.id);
      this.#emit(pb.app, 'PlaybackFinished', { playback: { ...pb.playback, state: 'done' } });
    }
    if (ch.inStasis) this.#emit(app, 'StasisEnd', { channel: ch.snapshot });
    this.#emit(app, 'ChannelDestroyed', { cause, cause_txt: 'Normal Clearing', channel: ch.snapshot });
    return true;
  }

  #stasis(id: string): SimChannel | FakeAriReply {
    const ch = this.channels.get(id);
    if (!ch) return notFound('Channel');
    if (!ch.inStasis) return notInStasis;
    return ch;
  }

  #install(): void {
    const s = this.#server;
    const add = (...r: Parameters<FakeAriServer['route']>) => this.#removers.push(s.route(...r));
    const isReply = (x: SimChannel | FakeAriReply): x is FakeAriReply => 'status' in x;

    add('GET', '/channels', () => ({
      status: 200,
      body: [...this.channels.values()].map((c) => c.snapshot),
    }));
    add('GET', '/channels/:channelId', (req) => {
      const ch = this.channels.get(req.params.channelId!);
      return ch ? { status: 200, body: ch.snapshot } : notFound('Channel');
    });
    add('POST', '/channels/:channelId/answer', (req) => {
      const ch = this.#stasis(req.params.channelId!);
      if (isReply(ch)) return ch;
      if (ch.snapshot.state !== 'Up') {
        ch.snapshot = { ...ch.snapshot, state: 'Up' };
        this.#emit(ch.app!, 'ChannelStateChange', { channel: ch.snapshot });
      }
      return { status: 204 };
    });
    const play = (channelId: string, playbackId: string, media: string): FakeAriReply => {
      const ch = this.#stasis(channelId);
      if (isReply(ch)) return ch;
      this.played.push(`${channelId} ${media}`);
      const playback = {
        id: playbackId,
        media_uri: media,
        target_uri: `channel:${channelId}`,
        language: 'en',
      };
      const app = ch.app!;
      this.#emit(app, 'PlaybackStarted', { playback: { ...playback, state: 'playing' } });
      this.#playing.set(playbackId, { id: playbackId, app, playback });
      this.#later(this.#opts.playbackMs, () => {
        if (!this.#playing.delete(playbackId)) return;
        this.#emit(app, 'PlaybackFinished', { playback: { ...playback, state: 'done' } });
      });
      return {
        status: 201,
        statusMessage: 'Created',
        body: { ...playback, state: 'queued' },
        headers: [['Location', `/ari/playbacks/${playbackId}`]],
      };
    };
    add('POST', '/channels/:channelId/play', (req) =>
      req.query.media
        ? play(req.params.channelId!, req.query.playbackId ?? `pb-${++this.#seq}`, req.query.media)
        : undefined,
    );
    add('POST', '/channels/:channelId/play/:playbackId', (req) =>
      req.query.media ? play(req.params.channelId!, req.params.playbackId!, req.query.media) : undefined,
    );
    add('DELETE', '/playbacks/:playbackId', (req) => {
      const pb = this.#playing.get(req.params.playbackId!);
      if (!pb) return notFound('Playback');
      this.#playing.delete(pb.id);
      this.#emit(pb.app, 'PlaybackFinished', { playback: { ...pb.playback, state: 'done' } });
      return { status: 204 };
    });
    add('DELETE', '/channels/:channelId', (req) =>
      this.#destroy(req.params.channelId!, 16, true) ? { status: 204 } : notFound('Channel'),
    );
    add('POST', '/channels/:channelId/continue', (req) => {
      const ch = this.#stasis(req.params.channelId!);
      if (isReply(ch)) return ch;
      ch.inStasis = false;
      this.#emit(ch.app!, 'StasisEnd', { channel: ch.snapshot });
      ch.app = undefined;
      return { status: 204 };
    });
    add('GET', '/channels/:channelId/variable', (req) => {
      const ch = this.channels.get(req.params.channelId!);
      if (!ch) return notFound('Channel');
      const v = ch.vars.get(req.query.variable ?? '');
      return v === undefined
        ? {
            status: 404,
            statusMessage: 'Variable Not Found',
            body: { message: 'Provided variable was not found' },
          }
        : { status: 200, body: { value: v } };
    });
    add('POST', '/channels/:channelId/variable', (req) => {
      const ch = this.channels.get(req.params.channelId!);
      if (!ch) return notFound('Channel');
      if (!req.query.variable) return { status: 400, body: { message: 'Variable name is required' } };
      ch.vars.set(req.query.variable, req.query.value ?? '');
      if (ch.app) {
        this.#emit(ch.app, 'ChannelVarset', {
          variable: req.query.variable,
          value: req.query.value ?? '',
          channel: ch.snapshot,
        });
      }
      return { status: 204 };
    });
    const originate = (
      id: string | undefined,
      q: Record<string, string>,
      body: unknown,
      dial: boolean,
    ): FakeAriReply => {
      if (!q.endpoint) return { status: 400, body: { message: 'Endpoint must be specified' } };
      if (!q.app) return { status: 400, body: { message: 'Application or extension must be specified' } };
      const channelId = id ?? q.channelId ?? `1795341000.${++this.#seq}`;
      if (this.channels.has(channelId))
        return { status: 409, body: { message: 'Channel with given unique ID already exists' } };
      const snapshot = fakeChannel(channelId, { name: `${q.endpoint}-${this.#seq}`, state: 'Down' });
      const vars = new Map(Object.entries((body as { variables?: Record<string, string> })?.variables ?? {}));
      const ch: SimChannel = { snapshot, app: q.app, inStasis: !dial, vars };
      this.channels.set(channelId, ch);
      // Worst case for clients: the new channel's first events leave before the HTTP reply.
      for (const [variable, value] of vars)
        this.#emit(q.app, 'ChannelVarset', { variable, value, channel: snapshot });
      if (dial) this.#answerDialled(ch, (q.appArgs ?? '').split(',').filter(Boolean));
      else
        this.#emit(q.app, 'StasisStart', {
          args: (q.appArgs ?? '').split(',').filter(Boolean),
          channel: snapshot,
        });
      return { status: 200, body: snapshot };
    };
    add('POST', '/channels', (req) => originate(undefined, req.query, req.body, true));
    add('POST', '/channels/create', (req) => originate(undefined, req.query, req.body, false));
    add('POST', '/channels/:channelId', (req) =>
      req.params.channelId === 'create'
        ? undefined
        : originate(req.params.channelId, req.query, req.body, true),
    );
    add('POST', '/channels/:channelId/dial', (req) => {
      const ch = this.#stasis(req.params.channelId!);
      if (isReply(ch)) return ch;
      ch.snapshot = { ...ch.snapshot, state: 'Up' };
      this.#emit(ch.app!, 'Dial', { dialstatus: 'ANSWER', dialstring: ch.snapshot.name, peer: ch.snapshot });
      this.#emit(ch.app!, 'ChannelStateChange', { channel: ch.snapshot });
      return { status: 204 };
    });
    add('POST', '/bridges', (req) => {
      const id = req.query.bridgeId ?? `bridge-${++this.#seq}`;
      const bridge = fakeBridge(id, { name: req.query.name ?? '', bridge_type: req.query.type ?? 'mixing' });
      this.bridges.set(id, bridge);
      return { status: 200, body: bridge };
    });
    add('GET', '/bridges/:bridgeId', (req) => {
      const b = this.bridges.get(req.params.bridgeId!);
      return b ? { status: 200, body: b } : notFound('Bridge');
    });
    add('DELETE', '/bridges/:bridgeId', (req) => {
      const b = this.bridges.get(req.params.bridgeId!);
      if (!b) return notFound('Bridge');
      this.bridges.delete(b.id);
      this.#server.send(fakeEvent('BridgeDestroyed', '', { bridge: b }));
      return { status: 204 };
    });
    add('POST', '/bridges/:bridgeId/addChannel', (req) => {
      const b = this.bridges.get(req.params.bridgeId!);
      if (!b) return notFound('Bridge');
      const ids = (req.query.channel ?? '').split(',').filter(Boolean);
      if (ids.length === 0) return { status: 400, body: { message: 'Missing parameter channel' } };
      for (const id of ids) {
        const ch = this.channels.get(id);
        if (!ch) return { status: 422, body: { message: 'Channel not found' } };
        if (!ch.inStasis) return notInStasis;
      }
      for (const id of ids) {
        const ch = this.channels.get(id)!;
        b.channels.push(id);
        this.#emit(ch.app!, 'ChannelEnteredBridge', {
          bridge: { ...b, channels: [...b.channels] },
          channel: ch.snapshot,
        });
      }
      return { status: 204 };
    });
  }

  #answerDialled(ch: SimChannel, args: string[]): void {
    const app = ch.app!;
    this.#emit(app, 'Dial', { dialstatus: '', forward: '', dialstring: ch.snapshot.name, peer: ch.snapshot });
    ch.snapshot = { ...ch.snapshot, state: 'Up' };
    this.#emit(app, 'ChannelStateChange', { channel: ch.snapshot });
    this.#emit(app, 'Dial', {
      dialstatus: 'ANSWER',
      forward: '',
      dialstring: ch.snapshot.name,
      peer: ch.snapshot,
    });
    ch.inStasis = true;
    this.#emit(app, 'StasisStart', { args, channel: ch.snapshot });
  }
}
