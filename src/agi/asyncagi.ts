/**
 * AsyncAGI: `AGI(agi:async)` calls controlled over one AMI connection, with the same `AgiChannel` API.
 * AsyncAGIStart starts the handler; each command is an AMI `AGI` action with its own CommandID and completes on
 * the matching AsyncAGIExec (URL-decoded result); AsyncAGIEnd (or the channel's Hangup) ends the call. Asterisk
 * 11's `Event: AsyncAGI` with `SubEvent: Start|Exec|End` is understood too. Calls are followed by channel name
 * across renames (masquerades: transfers, pickups): the `Rename` event (`Channel` or, before 1.6, `Oldname`, then
 * `Newname`), and on 12+, where that event is gone, an AsyncAGI event whose `Uniqueid` is the call's under a new
 * `Channel`.
 */
import pino, { type Logger } from 'pino';
import { AgiChannel } from './channel.js';
import { channelOptionsOf } from './channel-core.js';
import { AgiDisconnectedError, AgiHangupError, AgiProtocolError } from './errors.js';
import { AgiReader } from './reader.js';
import { type AgiRequest, parseAgiEnvironment } from './request.js';
import { type AgiHandler, AgiRouter } from './router.js';
import { createAgiContext, runAgiHandler } from './run-handler.js';

/** The part of an AMI message the dispatcher reads (an `AmiMessage` fits). */
export interface AsyncAgiMessage {
  /** Header value by case-insensitive name (first occurrence). */
  get(name: string): string | undefined;
}

/** The part of an AMI client the dispatcher uses (an `AmiClient` fits). */
export interface AsyncAgiAmi {
  /** Subscribes to every AMI event. */
  on(event: 'event', listener: (message: AsyncAgiMessage) => void): unknown;
  /** Subscribes to link state changes (`reconnecting`, `closed`…): replies in flight are lost then. */
  on(event: 'state', listener: (state: string) => void): unknown;
  /** Unsubscribes. */
  off(event: 'event', listener: (message: AsyncAgiMessage) => void): unknown;
  /** Unsubscribes from state changes. */
  off(event: 'state', listener: (state: string) => void): unknown;
  /** Sends an action; resolves with `ok: false` for `Response: Error`. */
  action(
    name: string,
    params: Record<string, string>,
  ): Promise<{ readonly ok: boolean; readonly message: AsyncAgiMessage }>;
}

/** Options of {@link AsyncAgiDispatcher}. */
export interface AsyncAgiDispatcherOptions {
  /** One handler for every call… */
  readonly handler?: AgiHandler;
  /** …or a router (the path of an AsyncAGI request is `/async`). */
  readonly router?: AgiRouter;
  /** pino logger (default silent). */
  readonly logger?: Logger;
  /** Close a session after this many ms (no default). */
  readonly sessionTimeout?: number;
  /** Hangup grace window for a `-1` from a waiting command, ms (see `AgiChannelOptions.hangupGrace`). */
  readonly hangupGrace?: number;
  /** Channel variable set to the error code when a handler fails (default `SWITCHBOARD_ERROR`). */
  readonly errorVariable?: string;
  /** CommandID generator (default `sb-<n>`; unique per dispatcher). */
  readonly commandId?: () => string;
  /**
   * Takes only the calls this returns true for (default: every call). Other AsyncAGI calls on the same manager
   * are left alone — no command, no `ASYNCAGI BREAK` — for the program that started them.
   */
  readonly accept?: (request: AgiRequest) => boolean;
}

/** Decodes Asterisk's URL encoding (`%XX`, UTF-8); `+` stays literal, malformed escapes stay as they are. */
export function decodeAsyncAgiValue(value: string): string {
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 37 && i + 2 < value.length + 0 && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 128) bytes.push(c);
    else for (const b of Buffer.from(value[i]!, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

interface AsyncSession {
  /** The channel's current name: commands go there, events are matched by it. */
  name: string;
  readonly uniqueid: string;
  readonly channel: AgiChannel;
  expected: string | undefined;
}

const silent = pino({ level: 'silent' });

/** Runs a handler for every AsyncAGI call seen on an AMI connection. */
export class AsyncAgiDispatcher {
  private readonly ami: AsyncAgiAmi;
  private readonly options: AsyncAgiDispatcherOptions;
  private readonly router: AgiRouter;
  private readonly logger: Logger;
  private readonly sessions = new Map<string, AsyncSession>();
  private readonly byUniqueid = new Map<string, AsyncSession>();
  // Every handler still running, including one whose call already re-entered AsyncAGI under the same name.
  private readonly running = new Set<Promise<void>>();
  private readonly listener = (m: AsyncAgiMessage) => this.onEvent(m);
  private readonly stateListener = (state: string) => this.onState(state);
  private counter = 0;
  private started = false;

  constructor(ami: AsyncAgiAmi, options: AsyncAgiDispatcherOptions) {
    if (!options.handler === !options.router) throw new TypeError('give exactly one of handler or router');
    this.ami = ami;
    this.options = options;
    this.router = options.router ?? new AgiRouter().route('*', options.handler!);
    this.logger = options.logger ?? silent;
  }

  /** Starts listening for AsyncAGI events. */
  start(): this {
    if (!this.started) {
      this.started = true;
      this.ami.on('event', this.listener);
      this.ami.on('state', this.stateListener);
    }
    return this;
  }

  /** Number of calls being handled. */
  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Stops listening and closes every live session (pending commands reject). Idempotent. */
  async close(): Promise<void> {
    if (this.started) {
      this.ami.off('event', this.listener);
      this.ami.off('state', this.stateListener);
    }
    this.started = false;
    for (const s of this.sessions.values()) s.channel.close();
    await Promise.all([...this.running]);
  }

  /**
   * A dropped link loses the AsyncAGIExec of a command in flight: that command rejects with
   * `AGI_DISCONNECTED` instead of waiting forever (the calls themselves live on, later commands go out after
   * the reconnect). A closed client ends every session: nothing more can arrive.
   */
  private onState(state: string): void {
    if (state === 'closed') {
      for (const s of this.sessions.values()) s.channel.transportClosed();
      return;
    }
    if (state !== 'reconnecting') return;
    for (const s of this.sessions.values()) {
      if (s.expected === undefined) continue;
      s.expected = undefined;
      s.channel.receiveError(new AgiDisconnectedError());
    }
  }

  private onEvent(m: AsyncAgiMessage): void {
    const event = m.get('Event');
    let sub: string | undefined;
    if (event === 'AsyncAGIStart') sub = 'Start';
    else if (event === 'AsyncAGIExec') sub = 'Exec';
    else if (event === 'AsyncAGIEnd') sub = 'End';
    else if (event === 'AsyncAGI') sub = m.get('SubEvent');
    else if (event === 'Rename') {
      this.rename(m);
      return;
    } else if (event === 'Hangup') {
      // The channel is gone: nothing more can come for it (AsyncAGIEnd normally came first).
      const name = m.get('Channel');
      if (name && this.sessions.size > 0) this.sessions.get(name)?.channel.transportClosed();
      return;
    } else return;
    const name = m.get('Channel');
    if (!name) return;
    if (sub === 'Start') this.begin(name, m.get('Env') ?? '', m.get('Uniqueid'));
    else if (sub === 'Exec') this.exec(this.follow(name, m), m.get('CommandID'), m.get('Result') ?? '');
    else if (sub === 'End') this.follow(name, m)?.channel.transportClosed();
  }

  /** A `Rename` (1.4: `Oldname`; 1.6–11: `Channel`; both with `Newname`): the call's commands follow it. */
  private rename(m: AsyncAgiMessage): void {
    const from = m.get('Channel') ?? m.get('Oldname');
    const to = m.get('Newname');
    if (!from || !to || from === to) return;
    const s = this.sessions.get(from);
    if (s) this.move(s, to);
  }

  /**
   * The session an AsyncAGI event is about. Asterisk 12+ raises no `Rename`: a masqueraded call shows up under a
   * new `Channel` with the `Uniqueid` it started with (or answering a CommandID of ours), so the session moves to
   * that name. Only events for unknown channel names pay for this lookup.
   */
  private follow(name: string, m: AsyncAgiMessage): AsyncSession | undefined {
    const s = this.sessions.get(name);
    if (s) return s;
    const uniqueid = m.get('Uniqueid');
    let found = uniqueid === undefined ? undefined : this.byUniqueid.get(uniqueid);
    if (!found) {
      // The reply to a command of ours (CommandIDs are unique to this dispatcher) names the channel it ran on.
      const commandId = m.get('CommandID');
      if (commandId !== undefined)
        for (const s of this.sessions.values()) if (s.expected === commandId) found = s;
    }
    if (!found || found.channel.closed) return undefined;
    this.move(found, name);
    return found;
  }

  private move(s: AsyncSession, to: string): void {
    if (this.sessions.get(s.name) === s) this.sessions.delete(s.name);
    this.logger.debug({ from: s.name, to }, 'AsyncAGI channel renamed');
    s.name = to;
    this.sessions.set(to, s);
  }

  private exec(s: AsyncSession | undefined, commandId: string | undefined, result: string): void {
    const name = s?.name;
    if (!s || commandId === undefined || commandId !== s.expected) return; // another client's command
    s.expected = undefined;
    let delivered = false;
    const reader = new AgiReader(
      (e) => {
        if (e.type === 'reply' && !delivered) {
          delivered = true;
          s.channel.receiveReply(e.reply);
        } else if (e.type === 'hangup') s.channel.receiveHangup();
      },
      { environment: false },
    );
    try {
      const text = decodeAsyncAgiValue(result);
      reader.push(text.endsWith('\n') ? text : `${text}\n`);
    } catch (err) {
      this.logger.warn({ err, channel: name }, 'AsyncAGI result not understood');
    }
    if (!delivered)
      s.channel.receiveError(new AgiProtocolError(`AsyncAGI result without a reply: ${result}`));
  }

  private begin(name: string, env: string, uniqueid: string | undefined): void {
    // A call that re-enters AGI(agi:async) after its AsyncAGIEnd starts anew, even if the previous handler
    // has not returned yet.
    if (this.sessions.get(name)?.channel.closed === false) return;
    let request: AgiRequest;
    try {
      request = parseAgiEnvironment(decodeAsyncAgiValue(env));
    } catch (err) {
      this.logger.warn({ err, channel: name }, 'AsyncAGIStart with a bad environment');
      return;
    }
    if (this.options.accept && !this.options.accept(request)) return;
    const ami = this.ami;
    const nextId = this.options.commandId ?? (() => `sb-${++this.counter}`);
    let session: AsyncSession | undefined;
    const channel = new AgiChannel(
      request,
      {
        send(line) {
          const id = nextId();
          if (session) session.expected = id;
          ami.action('AGI', { Channel: session?.name ?? name, Command: line, CommandID: id }).then(
            (r) => {
              if (r.ok || !session || session.expected !== id) return;
              session.expected = undefined;
              const msg = r.message.get('Message') ?? 'AGI action refused';
              // "Channel … does not exist.": the call is gone.
              channel.receiveError(new AgiHangupError(`AsyncAGI: ${msg}`));
              if (/does not exist/i.test(msg)) channel.transportClosed();
            },
            (err: unknown) => {
              if (!session || session.expected !== id) return;
              session.expected = undefined;
              channel.receiveError(err instanceof Error ? err : new Error(String(err)));
            },
          );
        },
        close() {},
      },
      channelOptionsOf(this.options),
    );
    // Asterisk 11's AsyncAGI events carry no Uniqueid: the environment's agi_uniqueid is the same value.
    const id = uniqueid ?? request.uniqueid;
    const s: AsyncSession = { name, uniqueid: id, channel, expected: undefined };
    session = s;
    this.sessions.set(name, s);
    if (id) this.byUniqueid.set(id, s);
    const done = this.run(s);
    this.running.add(done);
    const forget = () => this.running.delete(done);
    done.then(forget, forget);
  }

  private async run(s: AsyncSession): Promise<void> {
    await Promise.resolve();
    const channel = s.channel;
    const request = channel.request;
    const ctx = createAgiContext(channel, () =>
      this.logger.child({ uniqueid: request.uniqueid, channel: s.name }),
    );
    await runAgiHandler(this.router, channel, ctx, this.options.errorVariable ?? 'SWITCHBOARD_ERROR');
    // Hand the call back to the dialplan, or it would wait in AGI(agi:async) forever.
    if (!channel.closed && !channel.hungUp) await channel.asyncAgiBreak({ timeout: 5000 }).catch(() => {});
    channel.close();
    if (this.sessions.get(s.name) === s) this.sessions.delete(s.name);
    if (this.byUniqueid.get(s.uniqueid) === s) this.byUniqueid.delete(s.uniqueid);
    if (this.logger.isLevelEnabled('info'))
      ctx.logger.info({ commands: channel.commandCount }, 'AsyncAGI call');
  }
}
