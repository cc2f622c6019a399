/** A bounded in-memory ring of log lines per PBX, with the filters of `/api/v1/logs` and live subscribers. */
import type { LogLine } from './parse.js';

/** A line as stored: which PBX, a sequence number across all PBXs, where it came from. */
export interface LogEntry extends LogLine {
  seq: number;
  pbx: string;
  source: 'file' | 'syslog';
}

/** Filters of a query or a live subscription. */
export interface LogFilter {
  pbx?: string;
  /** Minimum level (ERROR > WARNING > NOTICE > VERBOSE > DEBUG); lines without a level pass only with no filter. */
  level?: string;
  /** Case-insensitive text anywhere in the raw line. */
  q?: string;
  callId?: string;
  /** Lines with `seq` greater than this. */
  since?: number;
}

const RANK: Record<string, number> = {
  ERROR: 5,
  SECURITY: 4,
  WARNING: 4,
  NOTICE: 3,
  VERBOSE: 2,
  DTMF: 2,
  DEBUG: 1,
};

/** Whether an entry passes a filter. */
export function matches(e: LogEntry, f: LogFilter): boolean {
  if (f.pbx !== undefined && e.pbx !== f.pbx) return false;
  if (f.since !== undefined && e.seq <= f.since) return false;
  if (f.callId !== undefined && e.callId !== f.callId) return false;
  if (f.level !== undefined) {
    const want = RANK[f.level.toUpperCase()] ?? 0;
    if (e.level === null || (RANK[e.level] ?? 0) < want) return false;
  }
  if (f.q !== undefined && !e.raw.toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

/** The rings of every PBX. */
export class LogRing {
  #seq = 0;
  readonly #rings = new Map<string, LogEntry[]>();
  readonly #listeners = new Set<(e: LogEntry) => void>();

  constructor(
    /** Lines kept per PBX. */
    readonly capacity = 5000,
  ) {}

  /** Adds a line. */
  add(pbx: string, source: LogEntry['source'], line: LogLine): LogEntry {
    const e: LogEntry = { ...line, seq: ++this.#seq, pbx, source };
    let ring = this.#rings.get(pbx);
    if (!ring) {
      ring = [];
      this.#rings.set(pbx, ring);
    }
    ring.push(e);
    // Trimming in chunks keeps the cost of splice amortised.
    if (ring.length > this.capacity + Math.max(1, this.capacity >> 4))
      ring.splice(0, ring.length - this.capacity);
    for (const l of this.#listeners) l(e);
    return e;
  }

  /** The latest `limit` matching lines, oldest first. */
  query(f: LogFilter, limit = 200): LogEntry[] {
    const rings = f.pbx !== undefined ? [this.#rings.get(f.pbx) ?? []] : [...this.#rings.values()];
    const out: LogEntry[] = [];
    for (const ring of rings) {
      const start = Math.max(0, ring.length - this.capacity);
      let taken = 0;
      for (let i = ring.length - 1; i >= start && taken < limit; i--) {
        const e = ring[i]!;
        if (matches(e, f)) {
          out.push(e);
          taken++;
        }
      }
    }
    return out.sort((a, b) => a.seq - b.seq).slice(-limit);
  }

  /** Calls `fn` with every new line; returns the unsubscribe function. */
  subscribe(fn: (e: LogEntry) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}
