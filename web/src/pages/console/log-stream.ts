/**
 * The console's data: one WebSocket to `/api/v1/logs/live` with the filters in its query (the server filters), a
 * bounded buffer of the newest lines, pause (new lines wait, counted, also bounded) and reconnect after a drop
 * with `?since=<last seq>` so nothing that the server's ring still holds is missed. Listeners are told at most
 * every `FLUSH_MS`, so a flood of lines costs one render per tick, not one per line.
 */

/** One log line (`/api/v1/logs`). */
export interface LogLine {
  seq: number;
  pbx: string;
  source: 'file' | 'syslog';
  time: string | null;
  level: string | null;
  thread: string | null;
  callId: string | null;
  file: string | null;
  line: number | null;
  func: string | null;
  message: string;
  raw: string;
  parsed: boolean;
}

/** Server-side filters. */
export interface LogFilters {
  pbx?: string;
  level?: string;
  q?: string;
  callid?: string;
}

/** Stream state. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'refused';

/** Lines kept (older ones are dropped). */
export const MAX_LINES = 5000;
const FLUSH_MS = 100;
const SNAPSHOT = 500;

/** What the page reads (replaced, never mutated, on each flush). */
export interface LogView {
  /** Shown lines, oldest first. */
  lines: readonly LogLine[];
  /** Lines that arrived while paused. */
  waiting: number;
  state: StreamState;
  /** Why the server refused the stream. */
  reason: string;
}

/** The view before any stream exists. */
export const EMPTY_VIEW: LogView = { lines: [], waiting: 0, state: 'connecting', reason: '' };

/** The stream. */
export class LogStream {
  /** The current view. */
  view: LogView = EMPTY_VIEW;
  private state: StreamState = 'connecting';
  private reason = '';
  private buf: LogLine[] = [];
  private held: LogLine[] = [];
  private paused = false;
  private socket: WebSocket | undefined;
  private lastSeq: number | undefined;
  private retries = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly filters: LogFilters,
    private readonly base: () => string = defaultUrl,
  ) {
    this.open();
  }

  /** Change listener; returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Pauses (true) or resumes (false, the waiting lines join the list). */
  setPaused(p: boolean): void {
    if (this.paused === p) return;
    this.paused = p;
    if (!p) {
      for (const l of this.held) this.buf.push(l);
      this.held = [];
      this.trim(this.buf);
    }
    this.schedule();
  }

  /** Forgets the lines shown and waiting. */
  clear(): void {
    this.buf = [];
    this.held = [];
    this.schedule();
  }

  /** Stops for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.flushTimer);
    this.socket?.close(1000);
    this.socket = undefined;
    this.listeners.clear();
  }

  private open(): void {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(this.filters)) if (v) q.set(k, v);
    q.set('limit', String(SNAPSHOT));
    if (this.lastSeq !== undefined) q.set('since', String(this.lastSeq));
    const ws = new WebSocket(`${this.base()}?${q}`);
    this.socket = ws;
    ws.onmessage = (e) => {
      if (this.socket !== ws) return;
      let m: { type: string; lines?: LogLine[]; line?: LogLine };
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      this.retries = 0;
      if (m.type === 'snapshot' && m.lines) {
        for (const l of m.lines) this.add(l);
        this.setState('live');
      } else if (m.type === 'line' && m.line) {
        this.add(m.line);
      }
    };
    ws.onclose = (e) => {
      if (this.socket !== ws || this.closed) return;
      this.socket = undefined;
      // 1008: refused (role, bad filter); 4401/4403 the session. Retrying would not help.
      if (e.code === 1008 || e.code === 4401 || e.code === 4403) {
        this.reason = e.reason || String(e.code);
        this.setState('refused');
        return;
      }
      this.setState('reconnecting');
      this.retry = setTimeout(() => this.open(), Math.min(5000, 250 * 2 ** this.retries++));
    };
  }

  private add(l: LogLine): void {
    if (this.lastSeq !== undefined && l.seq <= this.lastSeq) return;
    this.lastSeq = l.seq;
    const into = this.paused ? this.held : this.buf;
    into.push(l);
    // Trim in batches: one splice per MAX_LINES/5 lines keeps a flood cheap.
    if (into.length > MAX_LINES + MAX_LINES / 5) this.trim(into);
    this.schedule();
  }

  private trim(a: LogLine[]): void {
    if (a.length > MAX_LINES) a.splice(0, a.length - MAX_LINES);
  }

  private setState(s: StreamState): void {
    this.state = s;
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer !== undefined || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.trim(this.buf);
      this.trim(this.held);
      this.view = {
        lines: this.buf.slice(),
        waiting: this.held.length,
        state: this.state,
        reason: this.reason,
      };
      for (const fn of this.listeners) fn();
    }, FLUSH_MS);
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/logs/live`;
}
