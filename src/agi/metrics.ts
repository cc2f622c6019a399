/** Counters of a FastAGI server, readable as a plain object. */

/** Latency figures of one route (session time from environment to handler end). */
export interface AgiRouteMetrics {
  /** Sessions handled by this route. */
  sessions: number;
  /** Sessions whose handler failed (hangups excluded). */
  errors: number;
  /** Sum of session durations, ms. */
  totalMs: number;
  /** Longest session, ms. */
  maxMs: number;
  /** Mean session duration, ms. */
  avgMs: number;
}

/** A snapshot of the server's counters. */
export interface FastAgiMetrics {
  /** Sessions open now. */
  activeSessions: number;
  /** Sessions accepted since start (refused ones excluded). */
  totalSessions: number;
  /** Connections refused (allow-list, max sessions, shutting down). */
  refusedSessions: number;
  /** AGI commands sent. */
  commands: number;
  /** Handler errors (not counting hangups). */
  errors: number;
  /** Sessions that ended because the caller hung up. */
  hangups: number;
  /** Per route pattern (`(not found)` for unmatched paths, `(handler)` for a single handler). */
  routes: Record<string, AgiRouteMetrics>;
}

/** Mutable metrics holder used by the server. */
export class AgiMetricsRecorder {
  private readonly m: FastAgiMetrics = {
    activeSessions: 0,
    totalSessions: 0,
    refusedSessions: 0,
    commands: 0,
    errors: 0,
    hangups: 0,
    routes: {},
  };

  /** Counts an accepted session. */
  opened(): void {
    this.m.activeSessions++;
    this.m.totalSessions++;
  }

  /** Counts a closed session. */
  closed(): void {
    this.m.activeSessions--;
  }

  /** Counts a refused connection. */
  refused(): void {
    this.m.refusedSessions++;
  }

  /** Counts one command sent. */
  command(): void {
    this.m.commands++;
  }

  /** Records a finished session of `route`. */
  session(route: string, ms: number, outcome: 'ok' | 'error' | 'hangup'): void {
    let r = this.m.routes[route];
    if (!r) {
      r = { sessions: 0, errors: 0, totalMs: 0, maxMs: 0, avgMs: 0 };
      this.m.routes[route] = r;
    }
    r.sessions++;
    r.totalMs += ms;
    if (ms > r.maxMs) r.maxMs = ms;
    r.avgMs = r.totalMs / r.sessions;
    if (outcome === 'error') {
      r.errors++;
      this.m.errors++;
    } else if (outcome === 'hangup') this.m.hangups++;
  }

  /** A deep copy of the counters. */
  snapshot(): FastAgiMetrics {
    const routes: Record<string, AgiRouteMetrics> = {};
    for (const [k, v] of Object.entries(this.m.routes)) routes[k] = { ...v };
    return { ...this.m, routes };
  }
}
