/** Streaming reader of what Asterisk sends on an AGI connection: environment, replies, HANGUP. Pure. */
import { StringDecoder } from 'node:string_decoder';
import { AgiProtocolError } from './errors.js';
import { type AgiReply, isAgiReplyLine, parseAgiReply } from './reply.js';
import { type AgiRequest, parseAgiEnvironment } from './request.js';

/** One thing read from the AGI stream. */
export type AgiReaderEvent =
  | { readonly type: 'environment'; readonly request: AgiRequest }
  | { readonly type: 'reply'; readonly reply: AgiReply }
  /** A `1xx` line (GOSUB's `100 result=0 Trying...`): the final reply is still to come. */
  | { readonly type: 'interim'; readonly reply: AgiReply }
  /** The out-of-band `HANGUP` line (may arrive at any time, even while a reply is awaited, and twice). */
  | { readonly type: 'hangup' };

/** Options of {@link AgiReader}. */
export interface AgiReaderOptions {
  /** Read the `agi_*` environment block first (default true; false for AsyncAGI results). */
  readonly environment?: boolean;
  /** Longest line accepted without LF, in characters (default 1 MiB). */
  readonly maxLineLength?: number;
}

const USAGE_END = '520 End of proper usage.';

/**
 * Feeds on chunks (split anywhere, even inside a UTF-8 sequence) and calls `onEvent` for each complete item.
 * A malformed stream throws {@link AgiProtocolError} from `push`.
 */
export class AgiReader {
  private buffer = '';
  // Only made when a chunk ends inside a UTF-8 sequence: most sessions never need one.
  private decoder: StringDecoder | undefined;
  private env: boolean;
  private block: string[] | undefined;
  private readonly maxLine: number;

  constructor(
    private readonly onEvent: (event: AgiReaderEvent) => void,
    options: AgiReaderOptions = {},
  ) {
    this.env = options.environment !== false;
    this.maxLine = options.maxLineLength ?? 1 << 20;
  }

  /** True while the environment block is still being read. */
  get readingEnvironment(): boolean {
    return this.env;
  }

  /** Adds bytes (or text) and emits every complete item they finish. */
  push(chunk: Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decode(chunk as Buffer);
    let buf = this.buffer.length === 0 ? text : this.buffer + text;
    if (this.env) {
      // The environment block ends with an empty line: take it whole, parse it in one pass.
      const end = buf.charCodeAt(0) === 10 ? 0 : buf.indexOf('\n\n');
      if (end < 0) {
        if (buf.length > this.maxLine) {
          this.buffer = '';
          throw new AgiProtocolError(`AGI environment longer than ${this.maxLine} characters`);
        }
        this.buffer = buf;
        return;
      }
      let block = end === 0 ? '' : buf.slice(0, end + 1);
      buf = buf.slice(end === 0 ? 1 : end + 2);
      this.env = false;
      let hangup = false;
      if (block.startsWith('HANGUP\n') || block.includes('\nHANGUP\n')) {
        hangup = true;
        block = block.replace(/(^|\n)HANGUP\n/g, '$1');
      }
      this.onEvent({ type: 'environment', request: parseAgiEnvironment(block) });
      if (hangup) this.onEvent({ type: 'hangup' });
    }
    let start = 0;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', start)) {
      const line = buf.slice(start, nl);
      start = nl + 1;
      this.line(line);
    }
    buf = start === 0 ? buf : buf.slice(start);
    if (buf.length > this.maxLine) {
      this.buffer = '';
      throw new AgiProtocolError(`line longer than ${this.maxLine} characters without LF`);
    }
    this.buffer = buf;
  }

  private decode(chunk: Buffer): string {
    if (this.decoder === undefined) {
      if (chunk.length === 0 || chunk[chunk.length - 1]! < 0x80) return chunk.toString('utf8');
      this.decoder = new StringDecoder('utf8');
    }
    return this.decoder.write(chunk);
  }

  /** Text received after the last LF (an incomplete line). */
  get pending(): string {
    return this.buffer;
  }

  private line(line: string): void {
    if (this.block !== undefined) {
      // Usage text of a 520 block. The block ends at a line starting `520 `; Asterisk 11 glues the terminator to
      // the end of the last usage line without a line break.
      const block = this.block;
      if (line.startsWith('520 ')) {
        this.block = undefined;
        this.finishBlock(block, line, line);
      } else if (line.endsWith(USAGE_END)) {
        this.block = undefined;
        const textPart = line.slice(0, -USAGE_END.length);
        if (textPart !== '') block.push(textPart);
        this.finishBlock(block, USAGE_END, line);
      } else block.push(line);
      return;
    }
    if (line === 'HANGUP') {
      this.onEvent({ type: 'hangup' });
      return;
    }
    if (line === '') return; // stray empty line (e.g. a second blank after the environment)
    if (!isAgiReplyLine(line))
      throw new AgiProtocolError(`not an AGI reply: ${JSON.stringify(line.slice(0, 120))}`);
    if (line[3] === '-') {
      this.block = [line];
      return;
    }
    const reply = parseAgiReply(line);
    this.onEvent(reply.code < 200 ? { type: 'interim', reply } : { type: 'reply', reply });
  }

  private finishBlock(block: string[], last: string, rawLast: string): void {
    const first = block[0]!;
    const usage = block.slice(1);
    const lines = [...block, rawLast];
    const reply = parseAgiReply(`${last.slice(0, 3)} ${first.slice(4)}`, usage, lines);
    this.onEvent({ type: 'reply', reply });
  }
}
