/**
 * Asterisk-format log lines (`[Mon  d HH:MM:SS] LEVEL[thread][C-callid] file.c: message`, as in
 * `logs/messages.log`), appended to a file like Asterisk's logger does. The call id part is present only on a
 * channel's lines: one id per call (linkedid), one thread id per channel.
 */
import { appendFile } from 'node:fs/promises';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What the writer needs of a channel. */
export interface LogChannel {
  name: string;
  linkedid: string;
}

/** `[Dec  4 02:26:26]` of a time (local time, like Asterisk's default `dateformat`). */
export function logStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}]`;
}

/** Writes log lines to a file (or nowhere), in order, without blocking the simulator. */
export class SimLogWriter {
  private readonly callIds = new Map<string, number>();
  private readonly threads = new Map<string, number>();
  private nextCall = 1;
  private nextThread = 12000;
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Lines written so far (kept only when no file is given, for tests). */
  readonly lines: string[] = [];
  /** Main thread id (non-channel lines). */
  private readonly mainThread = 11981;

  /**
   * @param file path to append to (undefined: keep the lines in memory, bounded)
   * @param now the simulated clock
   */
  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number,
  ) {}

  /** `VERBOSE` line (a channel's line carries its call id). */
  verbose(ch: LogChannel | undefined, source: string, message: string): void {
    this.line('VERBOSE', ch, source, message);
  }

  /** `NOTICE` line. */
  notice(ch: LogChannel | undefined, source: string, message: string): void {
    this.line('NOTICE', ch, source, message);
  }

  /** `WARNING` line. */
  warning(ch: LogChannel | undefined, source: string, message: string): void {
    this.line('WARNING', ch, source, message);
  }

  /** `ERROR` line. */
  error(ch: LogChannel | undefined, source: string, message: string): void {
    this.line('ERROR', ch, source, message);
  }

  /** Forgets a finished call's ids. */
  forget(ch: LogChannel): void {
    this.threads.delete(ch.name);
  }

  private line(level: string, ch: LogChannel | undefined, source: string, message: string): void {
    let who = `[${this.mainThread}]`;
    if (ch) {
      let call = this.callIds.get(ch.linkedid);
      if (call === undefined) {
        call = this.nextCall++;
        this.callIds.set(ch.linkedid, call);
        if (this.callIds.size > 5000) {
          const first = this.callIds.keys().next().value;
          if (first !== undefined) this.callIds.delete(first);
        }
      }
      let th = this.threads.get(ch.name);
      if (th === undefined) {
        th = this.nextThread++;
        this.threads.set(ch.name, th);
      }
      who = `[${th}][C-${call.toString(16).padStart(8, '0')}]`;
    }
    // A caller ID name may hold anything; a log line must stay one line.
    const text = `${logStamp(this.now())} ${level}${who} ${source}: ${message.replace(/[\r\n]/g, ' ')}`;
    if (this.file === undefined) {
      this.lines.push(text);
      if (this.lines.length > 2000) this.lines.splice(0, this.lines.length - 2000);
      return;
    }
    this.pending.push(`${text}\n`);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.file === undefined) return;
    const chunk = this.pending.join('');
    this.pending = [];
    const file = this.file;
    this.writing = this.writing.then(() => appendFile(file, chunk)).catch(() => {});
  }

  /** Writes what is pending and waits for it. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
  }
}
