/** `AgiChannel`: one typed method per AGI command (res_agi.c's list), with parsed results. */
import { AgiChannelCore, type AgiCommandOptions, type AgiReplyMapper } from './channel-core.js';
import {
  type AgiControlStreamOptions,
  type AgiDigits,
  type AgiPlayback,
  type AgiRecording,
  type AgiRecordOptions,
  type AgiSpeechResult,
  checked,
  digitOf,
  toDeleted,
  toDigit,
  toDigits,
  toExit,
  toNumber,
  toPlayback,
  toSuccess,
  toText,
  toValue,
  toVoid,
} from './channel-results.js';
import { type AgiArg, isDeadSafeName, serializeAgiCommand } from './command.js';
import type { AgiReply } from './reply.js';

/**
 * A call under AGI control. Same API over FastAGI, stdio AGI and AsyncAGI. Every method returns a promise
 * that settles (never hangs): `-1` results reject with `AgiCommandError`, hangup with `AgiHangupError` —
 * including a `-1` from a prompt, GET DATA, RECORD FILE, SAY … or a blocking `EXEC` that Asterisk follows
 * with `HANGUP` (or by closing) within the `hangupGrace` window.
 */
export class AgiChannel extends AgiChannelCore {
  /** Sends `words args…` (quoted as Asterisk parses them) and returns the reply, rejecting `result=-1`. */
  run(words: string, args: readonly AgiArg[] = [], options?: AgiCommandOptions): Promise<AgiReply> {
    return this.send(words, args, options, checked);
  }

  private send<T>(
    words: string,
    args: readonly AgiArg[],
    options: AgiCommandOptions | undefined,
    map: AgiReplyMapper<T>,
  ): Promise<T> {
    let line: string;
    try {
      line = serializeAgiCommand(words, args);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.exchange(line, options, map, isDeadSafeName(words));
  }

  /** ANSWER the channel. */
  answer(options?: AgiCommandOptions): Promise<void> {
    return this.send('ANSWER', [], options, toVoid);
  }

  /** ASYNCAGI BREAK: leave AsyncAGI and return the call to the dialplan. */
  asyncAgiBreak(options?: AgiCommandOptions): Promise<void> {
    return this.send('ASYNCAGI BREAK', [], options, toVoid);
  }

  /** CHANNEL STATUS: state number 0–9 (6 = up); rejects when the channel does not exist. */
  channelStatus(channel?: string, options?: AgiCommandOptions): Promise<number> {
    return this.send('CHANNEL STATUS', [channel], options, toNumber);
  }

  /** CONTROL STREAM FILE with skip/forward/rewind/pause keys. */
  controlStreamFile(
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
    return this.send('CONTROL STREAM FILE', args, options, toPlayback);
  }

  /** DATABASE DEL: true when the key existed and was deleted. */
  databaseDel(family: string, key: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('DATABASE DEL', [family, key], options, toSuccess);
  }

  /** DATABASE DELTREE: true when something was deleted (Asterisk's inverted `0` is translated). */
  databaseDelTree(family: string, keyTree?: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('DATABASE DELTREE', [family, keyTree], options, toDeleted);
  }

  /** DATABASE GET: the value, or `undefined` when the key does not exist. */
  databaseGet(family: string, key: string, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.send('DATABASE GET', [family, key], options, toValue);
  }

  /** DATABASE PUT: true when stored. */
  databasePut(family: string, key: string, value: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('DATABASE PUT', [family, key, value], options, toSuccess);
  }

  /**
   * EXEC a dialplan application with its options as one argument; returns the application's return code
   * (Dial returns -1 when the callee hangs up: not an error). Rejects when the application does not exist.
   */
  exec(app: string, appOptions?: string, options?: AgiCommandOptions): Promise<number> {
    return this.send('EXEC', [app, appOptions], options, toExit);
  }

  /** GET DATA: plays `file` and collects up to `maxDigits` digits. */
  getData(
    file: string,
    timeoutMs?: number,
    maxDigits?: number,
    options?: AgiCommandOptions,
  ): Promise<AgiDigits> {
    const args = [file, timeoutMs ?? (maxDigits !== undefined ? 0 : undefined), maxDigits];
    return this.send('GET DATA', args, options, toDigits);
  }

  /** GET FULL VARIABLE: evaluates an expression like `${EXTEN}-${CHANNEL}`; `undefined` when unset. */
  getFullVariable(
    expression: string,
    channel?: string,
    options?: AgiCommandOptions,
  ): Promise<string | undefined> {
    return this.send('GET FULL VARIABLE', [expression, channel], options, toValue);
  }

  /** GET OPTION: like STREAM FILE, then waits `timeoutMs` for a digit. */
  getOption(file: string, escapeDigits = '', timeoutMs?: number, options?: AgiCommandOptions) {
    return this.send('GET OPTION', [file, escapeDigits, timeoutMs], options, toPlayback);
  }

  /** GET VARIABLE: the value (possibly `''`), or `undefined` when the variable is not set. */
  getVariable(name: string, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.send('GET VARIABLE', [name], options, toValue);
  }

  /** GOSUB into the dialplan and back (reads the `100 Trying` then the final `200`). */
  gosub(
    context: string,
    extension: string,
    priority: string | number,
    args?: string,
    options?: AgiCommandOptions,
  ): Promise<void> {
    return this.send('GOSUB', [context, extension, priority, args], options, toVoid);
  }

  /** HANGUP the current channel (or `channel`). */
  hangup(channel?: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('HANGUP', [channel], options, toVoid);
  }

  /** NOOP (does nothing; a cheap round trip). */
  noop(options?: AgiCommandOptions): Promise<void> {
    return this.send('NOOP', [], options, toVoid);
  }

  /** RECEIVE CHAR: the character received, or `undefined` on timeout. */
  receiveChar(timeoutMs: number, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.send('RECEIVE CHAR', [timeoutMs], options, toDigit);
  }

  /** RECEIVE TEXT: the text received. */
  receiveText(timeoutMs: number, options?: AgiCommandOptions): Promise<string> {
    return this.send('RECEIVE TEXT', [timeoutMs], options, toText);
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
  sayAlpha(text: string, escapeDigits = '', options?: AgiCommandOptions): Promise<string | undefined> {
    return this.send('SAY ALPHA', [text, escapeDigits], options, toDigit);
  }

  /** SAY DIGITS: says each digit of `digits`. */
  sayDigits(digits: string | number, escapeDigits = '', options?: AgiCommandOptions) {
    return this.send('SAY DIGITS', [digits, escapeDigits], options, toDigit);
  }

  /** SAY PHONETIC: spells `text` with the phonetic alphabet. */
  sayPhonetic(text: string, escapeDigits = '', options?: AgiCommandOptions) {
    return this.send('SAY PHONETIC', [text, escapeDigits], options, toDigit);
  }

  /** SAY NUMBER, optionally with a gender (`f`, `m`, `c`, `n`). */
  sayNumber(n: number, escapeDigits = '', gender?: string, options?: AgiCommandOptions) {
    return this.send('SAY NUMBER', [n, escapeDigits, gender], options, toDigit);
  }

  /** SAY DATE of a Unix time in seconds. */
  sayDate(epochSeconds: number, escapeDigits = '', options?: AgiCommandOptions) {
    return this.send('SAY DATE', [epochSeconds, escapeDigits], options, toDigit);
  }

  /** SAY TIME of a Unix time in seconds. */
  sayTime(epochSeconds: number, escapeDigits = '', options?: AgiCommandOptions) {
    return this.send('SAY TIME', [epochSeconds, escapeDigits], options, toDigit);
  }

  /** SAY DATETIME with an optional format (say.conf syntax) and time zone. */
  sayDateTime(
    epochSeconds: number,
    escapeDigits = '',
    format?: string,
    timezone?: string,
    options?: AgiCommandOptions,
  ): Promise<string | undefined> {
    const args = [epochSeconds, escapeDigits, format ?? (timezone !== undefined ? '' : undefined), timezone];
    return this.send('SAY DATETIME', args, options, toDigit);
  }

  /** SEND IMAGE (channels that support images). */
  sendImage(image: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SEND IMAGE', [image], options, toVoid);
  }

  /** SEND TEXT (channels that support text). */
  sendText(text: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SEND TEXT', [text], options, toVoid);
  }

  /** SET AUTOHANGUP after `seconds` (0 disables). */
  setAutoHangup(seconds: number, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET AUTOHANGUP', [seconds], options, toVoid);
  }

  /** SET CALLERID, e.g. `"Name" <5550100>`. */
  setCallerId(callerId: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET CALLERID', [callerId], options, toVoid);
  }

  /** SET CONTEXT for when the script ends. */
  setContext(context: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET CONTEXT', [context], options, toVoid);
  }

  /** SET EXTENSION for when the script ends. */
  setExtension(extension: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET EXTENSION', [extension], options, toVoid);
  }

  /** SET PRIORITY (number or label) for when the script ends. */
  setPriority(priority: string | number, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET PRIORITY', [priority], options, toVoid);
  }

  /** SET MUSIC on hold on or off, optionally with a class. */
  setMusic(on: boolean, mohClass?: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET MUSIC', [on ? 'on' : 'off', mohClass], options, toVoid);
  }

  /** SET VARIABLE (works after hangup too). */
  setVariable(name: string, value: string, options?: AgiCommandOptions): Promise<void> {
    return this.send('SET VARIABLE', [name, value], options, toVoid);
  }

  /** SPEECH CREATE an engine session; false when it failed. */
  speechCreate(engine: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH CREATE', [engine], options, toSuccess);
  }

  /** SPEECH SET an engine setting. */
  speechSet(name: string, value: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH SET', [name, value], options, toSuccess);
  }

  /** SPEECH DESTROY the speech session. */
  speechDestroy(options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH DESTROY', [], options, toSuccess);
  }

  /** SPEECH LOAD GRAMMAR `name` from `path`. */
  speechLoadGrammar(name: string, path: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH LOAD GRAMMAR', [name, path], options, toSuccess);
  }

  /** SPEECH UNLOAD GRAMMAR `name`. */
  speechUnloadGrammar(name: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH UNLOAD GRAMMAR', [name], options, toSuccess);
  }

  /** SPEECH ACTIVATE GRAMMAR `name`. */
  speechActivateGrammar(name: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH ACTIVATE GRAMMAR', [name], options, toSuccess);
  }

  /** SPEECH DEACTIVATE GRAMMAR `name`. */
  speechDeactivateGrammar(name: string, options?: AgiCommandOptions): Promise<boolean> {
    return this.send('SPEECH DEACTIVATE GRAMMAR', [name], options, toSuccess);
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
  streamFile(file: string, escapeDigits = '', offset?: number, options?: AgiCommandOptions) {
    return this.send('STREAM FILE', [file, escapeDigits, offset], options, toPlayback);
  }

  /** TDD MODE on/off/mate/tdd; false when unsupported. */
  tddMode(mode: 'on' | 'off' | 'mate' | 'tdd', options?: AgiCommandOptions): Promise<boolean> {
    return this.send('TDD MODE', [mode], options, toSuccess);
  }

  /** VERBOSE: logs `message` on the Asterisk console at `level` (1–4). */
  verbose(message: string, level?: number, options?: AgiCommandOptions): Promise<void> {
    return this.send('VERBOSE', [message, level], options, toVoid);
  }

  /** WAIT FOR DIGIT up to `timeoutMs` (-1 forever): the digit, or `undefined` on timeout. */
  waitForDigit(timeoutMs: number, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.send('WAIT FOR DIGIT', [timeoutMs], options, toDigit);
  }
}
