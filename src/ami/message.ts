import { isUtf8 } from 'node:buffer';

/** What an AMI packet is: `Event:` wins over `Response:` (OriginateResponse carries both). */
export type AmiMessageKind = 'event' | 'response' | 'other';

/** Plain-object form of a message: repeated headers become arrays, in wire order. */
export type AmiMessageJson = Record<string, string | string[]>;

const SENTINEL = '--END COMMAND--';
// First value of a header, as decodeHeaders would give it: one optional space skipped, CR before LF dropped.
const EVENT_KEY = /(?:^|\n)event: ?([^\n]*?)\r?(?:\n|$)/i;
const ACTIONID_KEY = /(?:^|\n)actionid: ?([^\n]*?)\r?(?:\n|$)/i;
const RESPONSE_KEY = /(?:^|\n)response: ?([^\n]*?)\r?(?:\n|$)/i;
const RESPONSE_FOLLOWS = /^response: ?follows\r?(?:\n|$)/i;
const EMPTY_VALUES: string[] = [];
/** Cached single-header lookups by lower-cased name (names with `(` or regex-unsafe chars use the full split). */
const LOOKUPS = new Map<string, RegExp>();
const SIMPLE_NAME = /^[A-Za-z0-9_-]+$/;

/** The same lookups keyed by the caller's spelling (`Channel`): no lower-casing per call on the hot path. */
const BY_NAME = new Map<string, RegExp | null>();

function lookupByName(name: string): RegExp | undefined {
  let re = BY_NAME.get(name);
  if (re === undefined) {
    re = lookup(name.toLowerCase()) ?? null;
    if (BY_NAME.size < 512) BY_NAME.set(name, re);
  }
  return re ?? undefined;
}

/**
 * The value of an `Event:` first line, read from the bytes without decoding the packet (how Asterisk writes every
 * event); `undefined` when the packet starts otherwise or the value is not plain ASCII (then the text is decoded).
 */
function leadingEvent(buf: Buffer, start: number, end: number): string | undefined {
  if (end - start < 7) return undefined;
  if (
    (buf[start]! | 0x20) !== 0x65 /* e */ ||
    (buf[start + 1]! | 0x20) !== 0x76 /* v */ ||
    (buf[start + 2]! | 0x20) !== 0x65 /* e */ ||
    (buf[start + 3]! | 0x20) !== 0x6e /* n */ ||
    (buf[start + 4]! | 0x20) !== 0x74 /* t */ ||
    buf[start + 5] !== 0x3a /* : */
  )
    return undefined;
  let v = start + 6;
  if (buf[v] === 0x20) v++;
  let e = buf.indexOf(0x0a, v);
  if (e < 0 || e > end) e = end;
  if (e > v && buf[e - 1] === 0x0d) e--;
  for (let i = v; i < e; i++) if (buf[i]! >= 0x80) return undefined;
  return buf.toString('latin1', v, e);
}

function lookup(lower: string): RegExp | undefined {
  let re = LOOKUPS.get(lower);
  if (re === undefined) {
    if (!SIMPLE_NAME.test(lower) || LOOKUPS.size > 256) return undefined;
    re = new RegExp(`(?:^|\\n)${lower}: ?([^\\n]*?)\\r?(?:\\n|$)`, 'i');
    LOOKUPS.set(lower, re);
  }
  return re;
}

/**
 * One AMI packet. Built from the raw bytes by the parser and decoded lazily on first access: header values
 * are UTF-8 when the bytes are valid UTF-8, otherwise each offending line is decoded as latin-1 (lossless:
 * `Buffer.from(value, 'latin1')` gives the bytes back, and `raw` always holds the packet exactly as received).
 */
export class AmiMessage {
  private readonly buf: Buffer;
  private readonly start: number;
  private readonly end: number;
  private _text: string | undefined;
  private _names: string[] | undefined;
  private _values: string[] = EMPTY_VALUES;
  private _lower: string[] | undefined;
  private _event: string | undefined;
  private _response: string | undefined;
  private _responseKnown = false;
  private _actionId: string | undefined;
  private _idKnown = false;
  private _output: string[] | undefined;
  private _follows = false;
  private _scanned = false;

  /** Wraps `buf[start, end)`: header lines with their terminators, without the blank line that ended the packet. */
  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.start = start;
    this.end = end;
  }

  /** Builds a message from header pairs (arrays become repeated headers), e.g. for fakes and tests. */
  static from(
    headers: ReadonlyArray<readonly [string, string]> | Record<string, string | readonly string[]>,
  ) {
    const pairs: Array<readonly [string, string]> = [];
    if (Array.isArray(headers)) pairs.push(...(headers as ReadonlyArray<readonly [string, string]>));
    else {
      for (const [k, v] of Object.entries(headers as Record<string, string | readonly string[]>)) {
        if (typeof v === 'string') pairs.push([k, v]);
        else for (const x of v) pairs.push([k, x]);
      }
    }
    let s = '';
    for (const [k, v] of pairs) s += `${k}: ${v}\r\n`;
    return new AmiMessage(Buffer.from(s, 'utf8'));
  }

  /** The packet bytes exactly as received (header lines and their terminators, no final blank line). */
  get raw(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  /** Wire text of the packet (decoded), e.g. for regular-expression filters. */
  text(): string {
    if (this._text === undefined) this._text = decode(this.buf, this.start, this.end);
    return this._text;
  }

  /** `event` when the packet has `Event:`, else `response` when it has `Response:`, else `other`. */
  get kind(): AmiMessageKind {
    if (!this._scanned) this.scanKeys();
    return this._event !== undefined ? 'event' : this._response !== undefined ? 'response' : 'other';
  }

  /** Value of the first `Event:` header. */
  get event(): string | undefined {
    if (!this._scanned) this.scanKeys();
    return this._event;
  }

  /** Value of the first `Response:` header. */
  get response(): string | undefined {
    if (!this._scanned) this.scanKeys();
    if (!this._responseKnown) {
      this._response = RESPONSE_KEY.exec(this.text())?.[1];
      this._responseKnown = true;
    }
    return this._response;
  }

  /** Value of the first `ActionID:` header. */
  get actionId(): string | undefined {
    if (!this._scanned) this.scanKeys();
    if (!this._idKnown) {
      // Looked up on demand: a client with no action pending never needs an event's ActionID.
      this._idKnown = true;
      this._actionId = ACTIONID_KEY.exec(this.text())?.[1];
    }
    return this._actionId;
  }

  /** Command output lines: the raw body of a pre-14 `Response: Follows`, or the 14+ `Output:` headers. */
  get output(): string[] | undefined {
    if (this._names === undefined) this.decodeHeaders();
    if (this._follows) return this._output;
    if (this._response === undefined) return undefined;
    const all = this.getAll('Output');
    return all.length > 0 ? all : undefined;
  }

  /** Ordered `[name, value]` pairs with the original spelling; a line without a colon has the name `''`. */
  get headers(): ReadonlyArray<readonly [string, string]> {
    const names = this.names();
    const out: Array<readonly [string, string]> = new Array(names.length);
    for (let i = 0; i < names.length; i++) out[i] = [names[i]!, this._values[i]!];
    return out;
  }

  /** Value of the first header with this name (case-insensitive). */
  get(name: string): string | undefined {
    if (!this._scanned) this.scanKeys(); // splits everything at once for a possible pre-14 Command body
    if (this._names === undefined) {
      // Not split yet: one cached case-insensitive search is much cheaper than splitting every header.
      const re = lookupByName(name);
      if (re !== undefined) return re.exec(this.text())?.[1];
    }
    const q = name.toLowerCase();
    const lower = this.lowerNames();
    for (let i = 0; i < lower.length; i++) if (lower[i] === q) return this._values[i];
    return undefined;
  }

  /** Values of every header with this name (case-insensitive), in wire order. */
  getAll(name: string): string[] {
    const lower = this.lowerNames();
    const q = name.toLowerCase();
    const out: string[] = [];
    for (let i = 0; i < lower.length; i++) if (lower[i] === q) out.push(this._values[i]!);
    return out;
  }

  /** Whether a header with this name (case-insensitive) is present. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Plain object: first spelling of each name as key, repeated headers as arrays; pre-14 output as `Output`. */
  toJSON(): AmiMessageJson {
    const names = this.names();
    const out: AmiMessageJson = {};
    for (let i = 0; i < names.length; i++) {
      const k = names[i]!;
      const v = this._values[i]!;
      const prev = out[k];
      if (prev === undefined) out[k] = v;
      else if (typeof prev === 'string') out[k] = [prev, v];
      else prev.push(v);
    }
    if (this._follows && this._output !== undefined && out['Output'] === undefined)
      out['Output'] = this._output;
    return out;
  }

  private names(): string[] {
    if (this._names === undefined) this.decodeHeaders();
    return this._names!;
  }

  private lowerNames(): string[] {
    if (this._lower === undefined) {
      const names = this.names();
      const lower = new Array<string>(names.length);
      for (let i = 0; i < names.length; i++) lower[i] = names[i]!.toLowerCase();
      this._lower = lower;
    }
    return this._lower;
  }

  /**
   * Finds Event (and Response for non-events) without splitting every header (the client's hot path): the leading
   * `Event:` line from the bytes, else one case-insensitive regular expression per key, which V8 runs much faster
   * than splitting lines in JavaScript. ActionID is looked up when asked.
   */
  private scanKeys(): void {
    this._scanned = true;
    // An event starts with `Event:`: its name comes from the bytes, and the rest is decoded only if read.
    const lead = leadingEvent(this.buf, this.start, this.end);
    if (lead !== undefined) {
      this._event = lead;
      return;
    }
    const s = this.text();
    if (RESPONSE_FOLLOWS.test(s)) {
      // A possible pre-14 Command body (`Response: Follows` first): split everything.
      this.decodeHeaders();
      return;
    }
    this._event = EVENT_KEY.exec(s)?.[1];
    // An event's kind does not depend on `Response:` (OriginateResponse): look it up only when asked.
    if (this._event === undefined) {
      this._response = RESPONSE_KEY.exec(s)?.[1];
      this._responseKnown = true;
    }
  }

  private decodeHeaders(): void {
    const s = this.text();
    const len = s.length;
    const names: string[] = [];
    const values: string[] = [];
    this._values = values;
    let pos = 0;
    let paren = s.indexOf('(');
    if (paren < 0) paren = len;
    let follows = false;
    while (pos < len) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0) nl = len;
      let end = nl;
      const crlf = end > pos && s.charCodeAt(end - 1) === 13;
      if (crlf) end--;
      if (follows && (!crlf || s.charCodeAt(pos) === 45 /* - */ || !isHeaderLine(s, pos, end))) {
        this._output = commandOutput(s, pos);
        break;
      }
      let colon = s.indexOf(':', pos);
      if (colon >= end) colon = -1;
      if (colon >= 0) {
        if (paren < pos) {
          paren = s.indexOf('(', pos);
          if (paren < 0) paren = len;
        }
        // `ChanVariable(IAX2/host:4569-1): n=v` — the name may hold a colon inside parentheses.
        if (paren < colon) {
          const close = s.indexOf(')', paren);
          if (close >= 0 && close < end) {
            const c2 = s.indexOf(':', close);
            if (c2 >= 0 && c2 < end) colon = c2;
          }
        }
      }
      if (colon < 0) {
        names.push('');
        values.push(s.slice(pos, end));
      } else {
        const name = s.slice(pos, colon);
        let v = colon + 1;
        if (v < end && s.charCodeAt(v) === 32) v++;
        const value = s.slice(v, end);
        names.push(name);
        values.push(value);
        const nlen = colon - pos;
        if (nlen === 5) {
          if (this._event === undefined && name.toLowerCase() === 'event') this._event = value;
        } else if (nlen === 8) {
          const lower = name.toLowerCase();
          if (lower === 'actionid') {
            if (this._actionId === undefined) this._actionId = value;
          } else if (lower === 'response') {
            if (this._response === undefined) this._response = value;
            if (names.length === 1 && value === 'Follows') follows = true;
          }
        }
      }
      pos = nl + 1;
    }
    if (follows) {
      this._follows = true;
      if (this._output === undefined) this._output = [];
    }
    this._names = names;
    this._scanned = true;
    this._responseKnown = true;
    this._idKnown = true;
  }
}

function isHeaderLine(s: string, pos: number, end: number): boolean {
  const colon = s.indexOf(':', pos);
  if (colon <= pos || colon >= end) return false;
  for (let i = pos; i < colon; i++) if (s.charCodeAt(i) === 32) return false;
  return true;
}

/** Splits a pre-14 Command body (from `pos` to the end of the packet) into lines, dropping the sentinel. */
function commandOutput(s: string, pos: number): string[] {
  let body = s.slice(pos);
  const at = body.lastIndexOf(SENTINEL);
  if (at >= 0) body = body.slice(0, at);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  if (body.length === 0) return [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** UTF-8 when valid (the usual case), else line by line: valid lines as UTF-8, the others as latin-1. */
function decode(buf: Buffer, start: number, end: number): string {
  const s = buf.toString('utf8', start, end);
  if (s.indexOf('\ufffd') < 0) return s;
  const bytes = buf.subarray(start, end);
  if (isUtf8(bytes)) return s;
  let out = '';
  let pos = 0;
  while (pos < bytes.length) {
    let nl = bytes.indexOf(0x0a, pos);
    nl = nl < 0 ? bytes.length : nl + 1;
    const line = bytes.subarray(pos, nl);
    out += line.toString(isUtf8(line) ? 'utf8' : 'latin1');
    pos = nl;
  }
  return out;
}
