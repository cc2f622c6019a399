/**
 * Follows a log file like `tail -F`: new lines as they are written, across rotation (the file renamed and a new
 * one created: the old one is read to its end first) and truncation (`logger rotate` with copytruncate, or `> file`:
 * read again from the start). Polls with `stat` — works on every file system, including network mounts where
 * change notifications do not arrive.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';

/** Options of {@link FileFollower}. */
export interface FollowOptions {
  /** Poll interval in ms (default 500). */
  interval?: number;
  /** Read what the file already holds (default false: start at its end, like `tail -F -n 0`). */
  fromStart?: boolean;
  /** Longest line kept; longer ones are cut (default 16 KiB). */
  maxLine?: number;
}

/** Follows one file and calls `onLine` for every complete line. */
export class FileFollower {
  #fh: FileHandle | undefined;
  #ino = -1;
  #offset = 0;
  #partial = '';
  #timer: NodeJS.Timeout | undefined;
  #busy: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #interval: number;
  readonly #maxLine: number;

  constructor(
    readonly path: string,
    private readonly onLine: (line: string) => void,
    private readonly options: FollowOptions = {},
  ) {
    this.#interval = options.interval ?? 500;
    this.#maxLine = options.maxLine ?? 16_384;
  }

  /** Opens the file (a missing file is waited for) and starts polling. */
  async start(): Promise<void> {
    await this.#reopen(this.options.fromStart ?? false);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#busy = this.poll().finally(() => this.#schedule());
    }, this.#interval);
    this.#timer.unref?.();
  }

  async #reopen(fromStart: boolean): Promise<void> {
    await this.#fh?.close().catch(() => {});
    this.#fh = undefined;
    try {
      const fh = await open(this.path, 'r');
      const s = await fh.stat();
      this.#fh = fh;
      this.#ino = s.ino;
      this.#offset = fromStart ? 0 : s.size;
      this.#partial = '';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.#ino = -1;
    }
  }

  async #drain(): Promise<void> {
    const fh = this.#fh;
    if (!fh) return;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.#offset);
      if (bytesRead === 0) return;
      this.#offset += bytesRead;
      this.#emit(buf.subarray(0, bytesRead).toString('utf8'));
    }
  }

  #emit(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    if (this.#partial.length > this.#maxLine) {
      parts.push(this.#partial.slice(0, this.#maxLine));
      this.#partial = '';
    }
    for (const p of parts) {
      const line = p.endsWith('\r') ? p.slice(0, -1) : p;
      if (line !== '') this.onLine(line.length > this.#maxLine ? line.slice(0, this.#maxLine) : line);
    }
  }

  /** One poll: reads new bytes, handles rotation and truncation. Tests may call it directly. */
  async poll(): Promise<void> {
    if (this.#closed) return;
    let current: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      current = await stat(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (!this.#fh) {
      // The file appeared (or came back after rotation): everything in it is new.
      if (current) {
        await this.#reopen(true);
        await this.#drain();
      }
      return;
    }
    if (current && current.ino !== this.#ino) {
      // Rotated: finish the old file, then the new one from its start.
      await this.#drain();
      if (this.#partial) this.#emit('\n');
      await this.#reopen(true);
      await this.#drain();
      return;
    }
    const s = await this.#fh.stat();
    if (s.size < this.#offset) {
      // Truncated in place.
      this.#offset = 0;
      this.#partial = '';
    }
    await this.#drain();
  }

  /** Stops polling and closes the file. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#busy.catch(() => {});
    await this.#fh?.close().catch(() => {});
    this.#fh = undefined;
  }
}
