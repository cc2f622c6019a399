/** `AgiChannel`: one typed method per AGI command (res_agi.c's list), with parsed results. */
import { AgiChannelCore, type AgiCommandOptions } from './channel-core.js';
import { type AgiArg, serializeAgiCommand } from './command.js';
import { AgiCommandError } from './errors.js';
import type { AgiReply } from './reply.js';

/** Result of a playback command that can be interrupted by a digit. */
export interface AgiPlayback {
  /** The digit that stopped playback (`'1'`, `'#'`…), absent when it played to the end. */
  readonly digit?: string;
  /** Sample offset where playback stopped (`endpos=`), when Asterisk reports it. */
  readonly endpos?: number;
}

/** Result of GET DATA. */
export interface AgiDigits {
  /** Digits entered, as characters (may be empty). */
  readonly digits: string;
  /** True when input ended by timeout rather than by `#` or reaching the maximum. */
  readonly timeout: boolean;
}

/** Result of RECORD FILE. */
export interface AgiRecording {
  /** Digit that stopped the recording, if any. */
  readonly digit?: string;
  /** True when recording ended by timeout (or silence). */
  readonly timeout: boolean;
  /** Sample offset of the end of the recording. */
  readonly endpos?: number;
}

/** Result of SPEECH RECOGNIZE. */
export interface AgiSpeechResult {
  /** `speech`, `digit`, `timeout`… (the data of the reply; `none` when nothing was recognised). */
  readonly kind: string;
  /** Digit pressed, for `digit` results. */
  readonly digit?: string;
  /** Sample offset where the prompt stopped. */
  readonly endpos?: number;
  /** Recognised results (`score`, `text`, `grammar` per index). */
  readonly results: readonly { readonly score: number; readonly text: string; readonly grammar: string }[];
}

/** Options of CONTROL STREAM FILE. */
export interface AgiControlStreamOptions {
  /** Skip step in ms (Asterisk default 3000). */
  readonly skipMs?: number;
  /** Fast-forward key (default `#`). */
  readonly forwardDigit?: string;
  /** Rewind key (default `*`). */
  readonly rewindDigit?: string;
  /** Pause key. */
  readonly pauseDigit?: string;
  /** Start offset in ms. */
  readonly offsetMs?: number;
}

/** Options of RECORD FILE. */
export interface AgiRecordOptions {
  /** Sample offset to start at. */
  readonly offset?: number;
  /** Play a beep first. */
  readonly beep?: boolean;
  /** Stop after this many seconds of silence. */
  readonly silenceSeconds?: number;
}

function digitOf(result: string): string | undefined {
  const n = Number(result);
  return Number.isInteger(n) && n > 0 ? String.fromCharCode(n) : undefined;
}

function playback(reply: AgiReply): AgiPlayback {
  const digit = digitOf(reply.result);
  if (digit === undefined && reply.endpos === undefined) return {};
  if (digit === undefined) return { endpos: reply.endpos };
  return reply.endpos === undefined ? { digit } : { digit, endpos: reply.endpos };
}

/**
 * A call under AGI control. Same API over FastAGI, stdio AGI and AsyncAGI. Every method returns a promise
 * that settles (never hangs): `-1` results reject with `AgiCommandError`, hangup with `AgiHangupError`.
 */
export class AgiChannel extends AgiChannelCore {
  /** Sends `words args…` (quoted as Asterisk parses them) and returns the reply, rejecting `result=-1`. */
  async run(words: string, args: readonly AgiArg[] = [], options?: AgiCommandOptions): Promise<AgiReply> {
    const line = serializeAgiCommand(words, args);
    const reply = await this.command(line, options);
    if (reply.result === '-1') throw new AgiCommandError(line, reply.result, reply.data ?? reply.text);
    return reply;
  }

  private async plain(words: string, args: readonly AgiArg[], options?: AgiCommandOptions): Promise<void> {
    await this.run(words, args, options);
  }

  private async success(
    words: string,
    args: readonly AgiArg[],
    options?: AgiCommandOptions,
  ): Promise<boolean> {
    return (await this.run(words, args, options)).result === '1';
  }

  private async value(words: string, args: readonly AgiArg[], options?: AgiCommandOptions) {
    const reply = await this.run(words, args, options);
    return reply.result === '1' ? (reply.data ?? '') : undefined;
  }

  /** ANSWER the channel. */
  answer(options?: AgiCommandOptions): Promise<void> {
    return this.plain('ANSWER', [], options);
  }

  /** ASYNCAGI BREAK: leave AsyncAGI and return the call to the dialplan. */
  asyncAgiBreak(options?: AgiCommandOptions): Promise<void> {
    return this.plain('ASYNCAGI BREAK', [], options);
  }

  /** CHANNEL STATUS: state number 0–9 (6 = up); rejects when the channel does not exist. */
  async channelStatus(channel?: string, options?: AgiCommandOptions): Promise<number> {
    return Number((await this.run('CHANNEL STATUS', [channel], options)).result);
  }

  /** CONTROL STREAM FILE with skip/forward/rewind/pause keys. */
  async controlStreamFile(
    file: string,
    escapeDigits = '',
    o: AgiControlStreamOptions = {},
    options?: AgiCommandOptions,
  ): Promise<AgiPlayback> {
    const args = [file, escapeDigits, o.skipMs, o.forwardDigit, o.rewindDigit, o.pauseDigit, o.offsetMs];
    if (o.offsetMs !== undefined) {
      // Positions are fixed: fill the gaps with Asterisk's defaults.
      args[2] ??= 3000;
      args[3] ??= '#';
      args[4] ??= '*';
      args[5] ??= '';
    } else if (o.pauseDigit !== undefined || o.rewindDigit !== undefined || o.forwardDigit !== undefined) {
      args[2] ??= 3000;
      if (o.rewindDigit !== undefined || o.pauseDigit !== undefined) args[3] ??= '#';
      if (o.pauseDigit !== undefined) args[4] ??= '*';
    }
    return playback(await this.run('CONTROL STREAM FILE', args, options));
  }

  /** DATABASE DEL: true when the key existed and was deleted. */
  databaseDel(family: string, key: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('DATABASE DEL', [family, key], options);
  }

  /** DATABASE DELTREE: true when something was deleted (Asterisk's inverted `0` is translated). */
  async databaseDelTree(family: string, keyTree?: string, options?: AgiCommandOptions): Promise<boolean> {
    return (await this.run('DATABASE DELTREE', [family, keyTree], options)).result === '0';
  }

  /** DATABASE GET: the value, or `undefined` when the key does not exist. */
  databaseGet(family: string, key: string, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.value('DATABASE GET', [family, key], options);
  }

  /** DATABASE PUT: true when stored. */
  databasePut(family: string, key: string, value: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('DATABASE PUT', [family, key, value], options);
  }

  /**
   * EXEC a dialplan application with its options as one argument; returns the application's return code
   * (Dial returns -1 when the callee hangs up: not an error). Rejects when the application does not exist.
   */
  async exec(app: string, appOptions?: string, options?: AgiCommandOptions): Promise<number> {
    const line = serializeAgiCommand('EXEC', [app, appOptions]);
    const reply = await this.command(line, options);
    if (reply.result === '-2') throw new AgiCommandError(line, reply.result, `application ${app} not found`);
    return Number(reply.result);
  }

  /** GET DATA: plays `file` and collects up to `maxDigits` digits. */
  async getData(
    file: string,
    timeoutMs?: number,
    maxDigits?: number,
    options?: AgiCommandOptions,
  ): Promise<AgiDigits> {
    const reply = await this.run(
      'GET DATA',
      [file, timeoutMs ?? (maxDigits !== undefined ? 0 : undefined), maxDigits],
      options,
    );
    return { digits: reply.result, timeout: reply.data === 'timeout' };
  }

  /** GET FULL VARIABLE: evaluates an expression like `${EXTEN}-${CHANNEL}`; `undefined` when unset. */
  getFullVariable(
    expression: string,
    channel?: string,
    options?: AgiCommandOptions,
  ): Promise<string | undefined> {
    return this.value('GET FULL VARIABLE', [expression, channel], options);
  }

  /** GET OPTION: like STREAM FILE, then waits `timeoutMs` for a digit. */
  async getOption(file: string, escapeDigits = '', timeoutMs?: number, options?: AgiCommandOptions) {
    return playback(await this.run('GET OPTION', [file, escapeDigits, timeoutMs], options));
  }

  /** GET VARIABLE: the value (possibly `''`), or `undefined` when the variable is not set. */
  getVariable(name: string, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.value('GET VARIABLE', [name], options);
  }

  /** GOSUB into the dialplan and back (reads the `100 Trying` then the final `200`). */
  async gosub(
    context: string,
    extension: string,
    priority: string | number,
    args?: string,
    options?: AgiCommandOptions,
  ): Promise<void> {
    await this.run('GOSUB', [context, extension, priority, args], options);
  }

  /** HANGUP the current channel (or `channel`). */
  hangup(channel?: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('HANGUP', [channel], options);
  }

  /** NOOP (does nothing; a cheap round trip). */
  noop(options?: AgiCommandOptions): Promise<void> {
    return this.plain('NOOP', [], options);
  }

  /** RECEIVE CHAR: the character received, or `undefined` on timeout. */
  async receiveChar(timeoutMs: number, options?: AgiCommandOptions): Promise<string | undefined> {
    return digitOf((await this.run('RECEIVE CHAR', [timeoutMs], options)).result);
  }

  /** RECEIVE TEXT: the text received. */
  async receiveText(timeoutMs: number, options?: AgiCommandOptions): Promise<string> {
    return (await this.run('RECEIVE TEXT', [timeoutMs], options)).data ?? '';
  }

  /** RECORD FILE to `file.format` until a digit in `escapeDigits`, `timeoutMs` (-1 none) or silence. */
  async recordFile(
    file: string,
    format: string,
    escapeDigits: string,
    timeoutMs: number,
    o: AgiRecordOptions = {},
    options?: AgiCommandOptions,
  ): Promise<AgiRecording> {
    const args: AgiArg[] = [file, format, escapeDigits, timeoutMs];
    if (o.offset !== undefined || o.beep || o.silenceSeconds !== undefined) args.push(o.offset ?? 0);
    if (o.beep) args.push('BEEP');
    if (o.silenceSeconds !== undefined) args.push(`s=${o.silenceSeconds}`);
    const reply = await this.run('RECORD FILE', args, options);
    const digit = reply.data === 'dtmf' ? digitOf(reply.result) : undefined;
    const out: { digit?: string; timeout: boolean; endpos?: number } = { timeout: reply.data === 'timeout' };
    if (digit !== undefined) out.digit = digit;
    if (reply.endpos !== undefined) out.endpos = reply.endpos;
    return out;
  }

  /** SAY ALPHA: spells `text`; returns the digit that interrupted, if any. */
  async sayAlpha(text: string, escapeDigits = '', options?: AgiCommandOptions): Promise<string | undefined> {
    return digitOf((await this.run('SAY ALPHA', [text, escapeDigits], options)).result);
  }

  /** SAY DIGITS: says each digit of `digits`. */
  async sayDigits(digits: string | number, escapeDigits = '', options?: AgiCommandOptions) {
    return digitOf((await this.run('SAY DIGITS', [digits, escapeDigits], options)).result);
  }

  /** SAY PHONETIC: spells `text` with the phonetic alphabet. */
  async sayPhonetic(text: string, escapeDigits = '', options?: AgiCommandOptions) {
    return digitOf((await this.run('SAY PHONETIC', [text, escapeDigits], options)).result);
  }

  /** SAY NUMBER, optionally with a gender (`f`, `m`, `c`, `n`). */
  async sayNumber(n: number, escapeDigits = '', gender?: string, options?: AgiCommandOptions) {
    return digitOf((await this.run('SAY NUMBER', [n, escapeDigits, gender], options)).result);
  }

  /** SAY DATE of a Unix time in seconds. */
  async sayDate(epochSeconds: number, escapeDigits = '', options?: AgiCommandOptions) {
    return digitOf((await this.run('SAY DATE', [epochSeconds, escapeDigits], options)).result);
  }

  /** SAY TIME of a Unix time in seconds. */
  async sayTime(epochSeconds: number, escapeDigits = '', options?: AgiCommandOptions) {
    return digitOf((await this.run('SAY TIME', [epochSeconds, escapeDigits], options)).result);
  }

  /** SAY DATETIME with an optional format (say.conf syntax) and time zone. */
  async sayDateTime(
    epochSeconds: number,
    escapeDigits = '',
    format?: string,
    timezone?: string,
    options?: AgiCommandOptions,
  ): Promise<string | undefined> {
    const args = [epochSeconds, escapeDigits, format ?? (timezone !== undefined ? '' : undefined), timezone];
    return digitOf((await this.run('SAY DATETIME', args, options)).result);
  }

  /** SEND IMAGE (channels that support images). */
  sendImage(image: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SEND IMAGE', [image], options);
  }

  /** SEND TEXT (channels that support text). */
  sendText(text: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SEND TEXT', [text], options);
  }

  /** SET AUTOHANGUP after `seconds` (0 disables). */
  setAutoHangup(seconds: number, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET AUTOHANGUP', [seconds], options);
  }

  /** SET CALLERID, e.g. `"Name" <5550100>`. */
  setCallerId(callerId: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET CALLERID', [callerId], options);
  }

  /** SET CONTEXT for when the script ends. */
  setContext(context: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET CONTEXT', [context], options);
  }

  /** SET EXTENSION for when the script ends. */
  setExtension(extension: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET EXTENSION', [extension], options);
  }

  /** SET PRIORITY (number or label) for when the script ends. */
  setPriority(priority: string | number, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET PRIORITY', [priority], options);
  }

  /** SET MUSIC on hold on or off, optionally with a class. */
  setMusic(on: boolean, mohClass?: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET MUSIC', [on ? 'on' : 'off', mohClass], options);
  }

  /** SET VARIABLE (works after hangup too). */
  setVariable(name: string, value: string, options?: AgiCommandOptions): Promise<void> {
    return this.plain('SET VARIABLE', [name, value], options);
  }

  /** SPEECH CREATE an engine session; false when it failed. */
  speechCreate(engine: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH CREATE', [engine], options);
  }

  /** SPEECH SET an engine setting. */
  speechSet(name: string, value: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH SET', [name, value], options);
  }

  /** SPEECH DESTROY the speech session. */
  speechDestroy(options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH DESTROY', [], options);
  }

  /** SPEECH LOAD GRAMMAR `name` from `path`. */
  speechLoadGrammar(name: string, path: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH LOAD GRAMMAR', [name, path], options);
  }

  /** SPEECH UNLOAD GRAMMAR `name`. */
  speechUnloadGrammar(name: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH UNLOAD GRAMMAR', [name], options);
  }

  /** SPEECH ACTIVATE GRAMMAR `name`. */
  speechActivateGrammar(name: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH ACTIVATE GRAMMAR', [name], options);
  }

  /** SPEECH DEACTIVATE GRAMMAR `name`. */
  speechDeactivateGrammar(name: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.success('SPEECH DEACTIVATE GRAMMAR', [name], options);
  }

  /** SPEECH RECOGNIZE while playing `prompt`, waiting `timeoutSeconds`. */
  async speechRecognize(
    prompt: string,
    timeoutSeconds: number,
    offset?: number,
    options?: AgiCommandOptions,
  ): Promise<AgiSpeechResult> {
    const reply = await this.run('SPEECH RECOGNIZE', [prompt, timeoutSeconds, offset], options);
    const f = reply.fields;
    const count = Number(f['results'] ?? 0);
    const results: { score: number; text: string; grammar: string }[] = [];
    for (let i = 0; i < count; i++) {
      results.push({
        score: Number(f[`score${i}`] ?? 0),
        text: f[`text${i}`] ?? '',
        grammar: f[`grammar${i}`] ?? '',
      });
    }
    const out: { kind: string; digit?: string; endpos?: number; results: typeof results } = {
      kind: reply.data ?? (reply.result === '0' ? 'none' : reply.result),
      results,
    };
    if (f['digit'] !== undefined) out.digit = f['digit'];
    if (reply.endpos !== undefined) out.endpos = reply.endpos;
    return out;
  }

  /** STREAM FILE (name without extension); `escapeDigits` stop it. */
  async streamFile(file: string, escapeDigits = '', offset?: number, options?: AgiCommandOptions) {
    return playback(await this.run('STREAM FILE', [file, escapeDigits, offset], options));
  }

  /** TDD MODE on/off/mate/tdd; false when unsupported. */
  tddMode(mode: 'on' | 'off' | 'mate' | 'tdd', options?: AgiCommandOptions): Promise<boolean> {
    return this.success('TDD MODE', [mode], options);
  }

  /** VERBOSE: logs `message` on the Asterisk console at `level` (1–4). */
  verbose(message: string, level?: number, options?: AgiCommandOptions): Promise<void> {
    return this.plain('VERBOSE', [message, level], options);
  }

  /** WAIT FOR DIGIT up to `timeoutMs` (-1 forever): the digit, or `undefined` on timeout. */
  async waitForDigit(timeoutMs: number, options?: AgiCommandOptions): Promise<string | undefined> {
    return digitOf((await this.run('WAIT FOR DIGIT', [timeoutMs], options)).result);
  }
}
