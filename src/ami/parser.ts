import { AmiParseError } from './errors.js';
import { AmiMessage } from './message.js';

/** Options of {@link AmiParser}. */
export interface AmiParserOptions {
  /** Called once per complete packet, in wire order. */
  onMessage: (message: AmiMessage) => void;
  /** Called with the `Asterisk Call Manager/x.y` line when the stream starts with one. */
  onBanner?: (line: string) => void;
  /** Called when a packet is refused (too large, too many headers); parsing continues after it. */
  onError?: (error: AmiParseError) => void;
  /** Largest packet accepted, in bytes (default 1 MiB). */
  maxPacketBytes?: number;
  /** Largest number of lines in one packet (default 10,000). */
  maxHeaders?: number;
  /** Whether the stream may start with a banner line (default true; false for AJAM bodies). */
  banner?: boolean;
}

enum Mode {
  Banner = 0,
  Packet = 1,
  Follows = 2,
  Skip = 3,
  SkipFollows = 4,
}

const BLANK_CRLF = Buffer.from('\n\r\n', 'latin1');
const BLANK_LF = Buffer.from('\n\n', 'latin1');
const SENTINEL = Buffer.from('--END COMMAND--', 'latin1');
const FOLLOWS = Buffer.from('Response: Follows', 'latin1');
const EMPTY = Buffer.alloc(0);

/**
 * Pure streaming AMI parser: feed it chunks split anywhere (even between CR and LF), it calls `onMessage` once
 * per packet. Lines end in CRLF or bare LF; a blank line ends a packet; the pre-14 `Response: Follows` Command
 * body is read raw up to `--END COMMAND--`. Bytes are kept as received; decoding happens lazily in
 * {@link AmiMessage}. Oversized packets are reported through `onError` and skipped up to the next blank line.
 */
export class AmiParser {
  private readonly onMessage: (message: AmiMessage) => void;
  private readonly onBanner: ((line: string) => void) | undefined;
  private readonly onError: ((error: AmiParseError) => void) | undefined;
  private readonly maxPacketBytes: number;
  private readonly maxHeaders: number;
  private readonly bannerEnabled: boolean;
  private buf: Buffer = EMPTY;
  private pos = 0;
  private mode: Mode;
  // Search caches (positions in `buf`): the next match at or after the last search start, or -1 with
  // `*None` = the first position where a match could still start once more bytes arrive.
  private crlfAt = -1;
  private crlfNone = 0;
  private lfAt = -1;
  private lfNone = 0;
  private sentAt = -1;
  private sentNone = 0;
  private skipped = 0;

  constructor(options: AmiParserOptions) {
    this.onMessage = options.onMessage;
    this.onBanner = options.onBanner;
    this.onError = options.onError;
    this.maxPacketBytes = options.maxPacketBytes ?? 1024 * 1024;
    this.maxHeaders = options.maxHeaders ?? 10_000;
    this.bannerEnabled = options.banner ?? true;
    this.mode = this.bannerEnabled ? Mode.Banner : Mode.Packet;
  }

  /** Bytes received but not yet part of a complete packet. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** Forgets any partial packet and expects a banner again (for a new connection). */
  reset(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.mode = this.bannerEnabled ? Mode.Banner : Mode.Packet;
    this.crlfAt = this.lfAt = this.sentAt = -1;
    this.crlfNone = this.lfNone = this.sentNone = 0;
    this.skipped = 0;
  }

  /** Feeds one chunk; calls the callbacks synchronously for every packet it completes. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.pos >= this.buf.length) {
      this.buf = c;
      this.pos = 0;
      this.crlfAt = this.lfAt = this.sentAt = -1;
      this.crlfNone = this.lfNone = this.sentNone = 0;
    } else {
      const shift = this.pos;
      this.buf = Buffer.concat([this.buf.subarray(shift), c]);
      this.pos = 0;
      this.crlfAt = this.crlfAt < 0 ? -1 : this.crlfAt - shift;
      this.lfAt = this.lfAt < 0 ? -1 : this.lfAt - shift;
      this.sentAt = this.sentAt < 0 ? -1 : this.sentAt - shift;
      this.crlfNone = Math.max(0, this.crlfNone - shift);
      this.lfNone = Math.max(0, this.lfNone - shift);
      this.sentNone = Math.max(0, this.sentNone - shift);
    }
    this.run();
  }

  private run(): void {
    const buf = this.buf;
    const len = buf.length;
    while (this.pos < len) {
      const pos = this.pos;
      const mode = this.mode;
      if (mode === Mode.Banner) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) {
          if (len - pos > this.maxPacketBytes) this.mode = Mode.Packet;
          return;
        }
        const line = buf.toString('latin1', pos, nl > pos && buf[nl - 1] === 0x0d ? nl - 1 : nl);
        this.mode = Mode.Packet;
        if (line.startsWith('Asterisk Call Manager') || (line.length > 0 && line.indexOf(':') < 0)) {
          this.pos = nl + 1;
          this.onBanner?.(line);
        }
        continue;
      }
      if (mode === Mode.Skip || mode === Mode.SkipFollows) {
        let from = pos;
        if (mode === Mode.SkipFollows) {
          const s = this.findSentinel(pos);
          if (s < 0) {
            this.discard(Math.max(pos, len - SENTINEL.length));
            return;
          }
          from = s;
        }
        const blank = this.findBlank(from);
        if (blank < 0) {
          this.discard(Math.max(from, len - 2));
          return;
        }
        const next = blank + (buf[blank + 1] === 0x0a ? 2 : 3);
        this.skipped += next - pos;
        this.pos = next;
        this.mode = Mode.Packet;
        continue;
      }
      // Blank lines between packets (e.g. after a value ending in a bare LF) are not packets.
      const c = buf[pos];
      if (c === 0x0a) {
        this.pos = pos + 1;
        continue;
      }
      if (c === 0x0d) {
        if (pos + 1 >= len) return;
        if (buf[pos + 1] === 0x0a) {
          this.pos = pos + 2;
          continue;
        }
      }
      let from = pos;
      if (mode === Mode.Follows || (c === 0x52 && this.startsFollows(pos, len))) {
        if (len - pos < FOLLOWS.length + 1) return; // wait for the whole first line
        this.mode = Mode.Follows;
        const s = this.findSentinel(pos);
        if (s < 0) {
          if (len - pos > this.maxPacketBytes) this.tooLarge(pos, Mode.SkipFollows);
          return;
        }
        from = s;
      }
      const blank = this.findBlank(from);
      if (blank < 0) {
        if (len - pos > this.maxPacketBytes)
          this.tooLarge(pos, this.mode === Mode.Follows ? Mode.SkipFollows : Mode.Skip);
        return;
      }
      const end = blank + 1;
      const next = blank + (buf[blank + 1] === 0x0a ? 2 : 3);
      this.pos = next;
      this.mode = Mode.Packet;
      if (end - pos > this.maxPacketBytes) {
        this.onError?.(
          new AmiParseError(
            'AMI_PACKET_TOO_LARGE',
            `AMI packet of ${end - pos} bytes exceeds the ${this.maxPacketBytes}-byte limit; skipped`,
            next - pos,
          ),
        );
        continue;
      }
      if (end - pos > 2 * this.maxHeaders && this.countLines(pos, end) > this.maxHeaders) {
        this.onError?.(
          new AmiParseError(
            'AMI_TOO_MANY_HEADERS',
            `AMI packet has more than ${this.maxHeaders} lines; skipped`,
            next - pos,
          ),
        );
        continue;
      }
      this.onMessage(new AmiMessage(buf, pos, end));
    }
  }

  /** Whether the packet at `pos` starts with `Response: Follows` + line end (or could, once more bytes come). */
  private startsFollows(pos: number, len: number): boolean {
    const n = Math.min(FOLLOWS.length, len - pos);
    for (let i = 1; i < n; i++) if (this.buf[pos + i] !== FOLLOWS[i]) return false;
    if (len - pos <= FOLLOWS.length) return true;
    const t = this.buf[pos + FOLLOWS.length];
    return t === 0x0d || t === 0x0a;
  }

  /**
   * Index of the LF that ends the last line before the first blank line at or after `from`, or -1. A packet whose
   * first line and last line end in CR LF (every packet Asterisk writes) ends at the first `\n\r\n`: the search
   * for a bare-LF blank line, which costs a scan of the whole chunk, is only made for other packets.
   */
  private findBlank(from: number): number {
    const buf = this.buf;
    if (this.crlfAt < from) {
      const start = Math.max(from, this.crlfNone);
      this.crlfAt = buf.indexOf(BLANK_CRLF, start);
      if (this.crlfAt < 0) this.crlfNone = Math.max(start, buf.length - 2);
    }
    const crlf = this.crlfAt;
    if (crlf > from && buf[crlf - 1] === 0x0d) {
      const nl = buf.indexOf(0x0a, from);
      if (nl > from && buf[nl - 1] === 0x0d) return crlf;
    }
    if (this.lfAt < from) {
      const start = Math.max(from, this.lfNone);
      this.lfAt = buf.indexOf(BLANK_LF, start);
      if (this.lfAt < 0) this.lfNone = Math.max(start, buf.length - 1);
    }
    const a = this.crlfAt;
    const b = this.lfAt;
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  private findSentinel(from: number): number {
    if (this.sentAt < from) {
      const start = Math.max(from, this.sentNone);
      this.sentAt = this.buf.indexOf(SENTINEL, start);
      if (this.sentAt < 0) this.sentNone = Math.max(start, this.buf.length - SENTINEL.length + 1);
    }
    return this.sentAt;
  }

  private countLines(start: number, end: number): number {
    let n = 0;
    let i = this.buf.indexOf(0x0a, start);
    while (i >= 0 && i < end) {
      n++;
      i = this.buf.indexOf(0x0a, i + 1);
    }
    return n;
  }

  private tooLarge(pos: number, mode: Mode.Skip | Mode.SkipFollows): void {
    this.mode = mode;
    this.skipped = 0;
    this.onError?.(
      new AmiParseError(
        'AMI_PACKET_TOO_LARGE',
        `AMI packet exceeds the ${this.maxPacketBytes}-byte limit; skipping to the next blank line`,
        this.buf.length - pos,
      ),
    );
  }

  /** Drops bytes before `to` while skipping an oversized packet (keeps memory bounded). */
  private discard(to: number): void {
    if (to > this.pos) {
      this.skipped += to - this.pos;
      this.pos = to;
    }
  }
}
