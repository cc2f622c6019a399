/**
 * A fake Asterisk FastAGI caller: connects to a FastAGI server like Asterisk does (realistic environment),
 * answers each command from a script or a function, hangs up on demand, and records what it received.
 */
import { connect, type Socket } from 'node:net';
import { isDeadSafeCommand, parseAgiArgs, splitAgiCommand } from '../agi/index.js';

/** One command received from the server. */
export interface FakeAgiCommand {
  /** The raw line, without LF. */
  readonly line: string;
  /** The arguments as Asterisk's parse_args splits them. */
  readonly argv: readonly string[];
  /** The command name (`GET VARIABLE`), or `undefined` when Asterisk would not know it. */
  readonly name: string | undefined;
  /** The arguments after the command name. */
  readonly args: readonly string[];
}

/**
 * A reply: one line (`200 result=1 (x)`), several lines (GOSUB's `100` then `200`, a 520 block), `undefined`
 * for the default reply, or `null` for no reply now (hang up later with `call.hangup()`).
 */
export type FakeAgiAnswer = string | readonly string[] | undefined | null;

/** Answers a command; may be async to simulate a slow command (playback, Dial). */
export type FakeAgiAnswerer = (
  command: FakeAgiCommand,
  call: FakeFastAgiCall,
) => FakeAgiAnswer | Promise<FakeAgiAnswer>;

/** Options of {@link FakeFastAgiCall.connect}. */
export interface FakeAgiCallOptions {
  /** Server port. */
  readonly port: number;
  /** Server host (default 127.0.0.1). */
  readonly host?: string;
  /** Script path and query as in the dialplan URL, e.g. `ivr?lang=en` or `/callers/42` (default `route`). */
  readonly script?: string;
  /** Dialplan arguments (`agi_arg_N`). */
  readonly args?: readonly string[];
  /** Overrides of environment values; keys with or without the `agi_` prefix. */
  readonly env?: Readonly<Record<string, string>>;
  /** How to answer: a function, or a script of answers used in order (then the defaults). */
  readonly answer?: FakeAgiAnswerer | readonly (FakeAgiAnswer | FakeAgiAnswerer)[];
  /** Hang up when the Nth command (1-based) arrives: reply `200 result=-1` then `HANGUP`, like Asterisk. */
  readonly hangupOnCommand?: number;
  /**
   * Milliseconds between a hung-up command's `200 result=-1` and the `HANGUP` line (default
   * {@link FAKE_AGI_HANGUP_GAP_MS}, what the recorded transcripts show).
   */
  readonly hangupGap?: number;
  /** Like AGIEXITONHANGUP: close the connection right after sending HANGUP. */
  readonly exitOnHangup?: boolean;
}

/** How the call ended. */
export interface FakeAgiCallResult {
  /** Every command received, in order. */
  readonly commands: readonly FakeAgiCommand[];
  /** Who closed: the server (we read EOF) or the caller (`drop()`, `exitOnHangup`). */
  readonly closedBy: 'server' | 'caller';
  /** True when the caller hung up during the call. */
  readonly hungUp: boolean;
}

let sequence = 0;

/**
 * The recorded transcripts (Asterisk master, 13 and 11) show `HANGUP` 42–44 ms after the `-1` of the command the
 * hangup cut short, and as long after the reply to a `HANGUP` command: the AGI loop notices the dead channel one
 * read later. The fake keeps that gap, so that a server which takes the `-1` for a failure is caught.
 */
export const FAKE_AGI_HANGUP_GAP_MS = 40;

/** The environment Asterisk sends, values taken from the recorded transcripts; `overrides` win. */
export function fakeAgiEnvironment(
  options: {
    port?: number;
    host?: string;
    script?: string;
    args?: readonly string[];
    env?: Readonly<Record<string, string>>;
  } = {},
): string {
  const n = ++sequence;
  const script = (options.script ?? 'route').replace(/^\//, '');
  const host = options.host ?? '127.0.0.1';
  const env: [string, string][] = [
    ['agi_network', 'yes'],
    ['agi_network_script', script],
    ['agi_request', `agi://${host}:${options.port ?? 4573}/${script}`],
    ['agi_channel', `Local/100@sb-test-${n.toString(16).padStart(8, '0')};2`],
    ['agi_language', 'en'],
    ['agi_type', 'Local'],
    ['agi_uniqueid', `1795341080.${n}`],
    ['agi_version', '13.38.3'],
    ['agi_callerid', '33'],
    ['agi_calleridname', 'SB Harness'],
    ['agi_callingpres', '0'],
    ['agi_callingani2', '0'],
    ['agi_callington', '0'],
    ['agi_callingtns', '0'],
    ['agi_dnid', 'unknown'],
    ['agi_rdnis', 'unknown'],
    ['agi_context', 'sb-test'],
    ['agi_extension', '100'],
    ['agi_priority', '3'],
    ['agi_enhanced', '0.0'],
    ['agi_accountcode', ''],
    ['agi_threadid', '140236520683200'],
  ];
  (options.args ?? []).forEach((a, i) => {
    env.push([`agi_arg_${i + 1}`, a]);
  });
  for (const [k, v] of Object.entries(options.env ?? {})) {
    const key = k.startsWith('agi_') ? k : `agi_${k}`;
    const at = env.findIndex(([name]) => name === key);
    if (at >= 0) env[at] = [key, v];
    else env.push([key, v]);
  }
  for (const [k, v] of env) {
    if (/[\r\n]/.test(k + v)) throw new TypeError(`environment value of ${k} contains CR/LF`);
  }
  return `${env.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`;
}

/** The reply Asterisk would give on a live channel when nothing else is scripted. */
export function defaultAgiAnswer(command: FakeAgiCommand): string | string[] {
  switch (command.name) {
    case undefined:
      return '510 Invalid or unknown command';
    case 'SET VARIABLE':
    case 'VERBOSE':
    case 'DATABASE PUT':
    case 'DATABASE DEL':
    case 'SET CALLERID':
    case 'TDD MODE':
      return '200 result=1';
    case 'DATABASE DELTREE':
      return '200 result=0';
    case 'HANGUP':
      return '200 result=1';
    case 'GET DATA':
      return '200 result= (timeout)';
    case 'STREAM FILE':
    case 'CONTROL STREAM FILE':
    case 'GET OPTION':
      return '200 result=0 endpos=0';
    case 'CHANNEL STATUS':
      return '200 result=6';
    case 'GOSUB':
      return ['100 result=0 Trying...', '200 result=0 Gosub complete'];
    default:
      return '200 result=0';
  }
}

const DEAD = '511 Command Not Permitted on a dead channel or intercept routine';

/** One fake call. Create with `await FakeFastAgiCall.connect({ port, … })`. */
export class FakeFastAgiCall {
  /** Every command received so far. */
  readonly commands: FakeAgiCommand[] = [];
  /** Resolves when the connection is closed (never rejects). */
  readonly done: Promise<FakeAgiCallResult>;
  private readonly socket: Socket;
  private readonly options: FakeAgiCallOptions;
  private buffer = '';
  private waiting = false; // a command awaits its answer
  private withheld = false; // …and its answer was withheld (`null`): like a prompt still playing
  private queue: string[] = [];
  private dead = false;
  private closedBy: 'server' | 'caller' = 'server';
  private scriptIndex = 0;
  // Between the `-1` and `HANGUP`: lines that arrive are read once HANGUP is out (then answered as dead).
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingSince = 0;

  private constructor(socket: Socket, options: FakeAgiCallOptions) {
    this.socket = socket;
    this.options = options;
    this.done = new Promise((resolve) => {
      socket.once('close', () => {
        if (this.gapTimer) clearTimeout(this.gapTimer);
        this.gapTimer = undefined;
        resolve({ commands: this.commands, closedBy: this.closedBy, hungUp: this.dead });
      });
    });
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.onData(text));
    socket.on('error', () => {});
    // Like Asterisk: when the server ends its side, we finish too.
    socket.on('end', () => socket.end());
  }

  /** Connects and sends the environment; resolves once connected. */
  static connect(options: FakeAgiCallOptions): Promise<FakeFastAgiCall> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port: options.port, host: options.host ?? '127.0.0.1', noDelay: true });
      const onError = (err: Error) => reject(err);
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        const call = new FakeFastAgiCall(socket, options);
        socket.write(fakeAgiEnvironment(options));
        resolve(call);
      });
    });
  }

  /** True once hung up. */
  get hungUp(): boolean {
    return this.dead;
  }

  /**
   * Hangs up like Asterisk: a command waiting for its answer gets its `-1` reply at once (`200 result=-1`;
   * `endpos=` for playback, `(hangup)` for RECORD FILE), then `HANGUP` follows `hangupGap` ms later, as a
   * separate write; lines the server sends in between are read after the `HANGUP`, and every later command that
   * is not dead-safe gets 511. With `replyFirst: false`, `HANGUP` goes first and the waiting command is then
   * answered as on a dead channel (the race where Asterisk saw the hangup first).
   */
  hangup(options: { replyFirst?: boolean } = {}): void {
    this.hangupNow(options.replyFirst !== false, false);
  }

  private hangupNow(replyFirst: boolean, afterHangupCommand: boolean): void {
    if (this.dead || this.socket.destroyed) return;
    this.dead = true;
    const pending = this.waiting ? this.commands[this.commands.length - 1] : undefined;
    this.waiting = false;
    this.withheld = false;
    if (pending && !replyFirst) {
      const answer = isDeadSafeCommand(pending.line) ? (this.plainDefault(pending) ?? '200 result=0') : DEAD;
      this.write(`HANGUP\n${answer}`);
      this.afterHangup();
      return;
    }
    if (pending) this.write(this.cutShortReply(pending));
    if (!pending && !afterHangupCommand) {
      // Nothing running: Asterisk's AGI loop is reading the channel and sees the hangup at once.
      this.write('HANGUP');
      this.afterHangup();
      return;
    }
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      this.write('HANGUP');
      this.afterHangup();
    }, this.options.hangupGap ?? FAKE_AGI_HANGUP_GAP_MS);
  }

  private afterHangup(): void {
    if (this.options.exitOnHangup) {
      this.closedBy = 'caller';
      this.socket.end();
      return;
    }
    this.next();
  }

  /** The `-1` reply of a command cut short by the hangup, shaped as res_agi writes it for that command. */
  private cutShortReply(cmd: FakeAgiCommand): string {
    const endpos = Math.max(0, Math.round((performance.now() - this.pendingSince) * 8));
    switch (cmd.name) {
      case 'STREAM FILE':
      case 'CONTROL STREAM FILE':
      case 'GET OPTION':
        return `200 result=-1 endpos=${endpos}`;
      case 'RECORD FILE':
        return `200 result=-1 (hangup) endpos=${endpos}`;
      default:
        return '200 result=-1';
    }
  }

  private plainDefault(cmd: FakeAgiCommand): string | undefined {
    const d = defaultAgiAnswer(cmd);
    return typeof d === 'string' ? d : d.join('\n');
  }

  /** Drops the connection abruptly (like a crash or a network cut). */
  drop(): void {
    this.closedBy = 'caller';
    this.socket.destroy();
  }

  private write(line: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(`${line}\n`);
  }

  private onData(text: string): void {
    this.buffer += text;
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0) {
      this.queue.push(this.buffer.slice(0, nl));
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf('\n');
    }
    this.next();
  }

  private next(): void {
    if (this.waiting && this.withheld && this.queue.length > 0) {
      // Like Asterisk: a byte arriving during playback cuts it short, the old command sends no reply.
      this.waiting = false;
    }
    if (this.waiting || this.gapTimer) return;
    this.withheld = false;
    const line = this.queue.shift();
    if (line === undefined) return;
    const argv = parseAgiArgs(line);
    const { name, args } = splitAgiCommand(argv);
    const cmd: FakeAgiCommand = { line, argv, name, args };
    this.commands.push(cmd);
    this.waiting = true;
    this.pendingSince = performance.now();
    if (!this.dead && this.options.hangupOnCommand === this.commands.length) {
      this.hangup();
      return;
    }
    if (this.dead && !isDeadSafeCommand(line)) {
      this.reply(DEAD);
      return;
    }
    let answer: FakeAgiAnswer | Promise<FakeAgiAnswer>;
    try {
      answer = this.answerFor(cmd);
    } catch {
      answer = '200 result=-1';
    }
    if (answer instanceof Promise) {
      answer.then(
        (a) => this.settle(cmd, a),
        () => this.settle(cmd, '200 result=-1'),
      );
    } else this.settle(cmd, answer);
  }

  private answerFor(cmd: FakeAgiCommand): FakeAgiAnswer | Promise<FakeAgiAnswer> {
    const a = this.options.answer;
    if (typeof a === 'function') return a(cmd, this);
    if (a && this.scriptIndex < a.length) {
      const step = a[this.scriptIndex++];
      return typeof step === 'function' ? step(cmd, this) : step;
    }
    return undefined;
  }

  private settle(cmd: FakeAgiCommand, answer: FakeAgiAnswer): void {
    if (!this.waiting || this.commands[this.commands.length - 1] !== cmd) return; // answered by hangup()
    if (answer === null) {
      this.withheld = true;
      if (this.queue.length > 0) this.next();
      return;
    }
    const lines = answer === undefined ? defaultAgiAnswer(cmd) : answer;
    this.reply(lines);
    if (cmd.name === 'HANGUP' && cmd.args.length === 0 && !this.dead && answer === undefined)
      this.hangupNow(true, true);
  }

  private reply(lines: string | readonly string[]): void {
    this.waiting = false;
    this.withheld = false;
    for (const l of typeof lines === 'string' ? [lines] : lines) this.write(l);
    this.next();
  }
}
