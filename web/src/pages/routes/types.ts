/** The shapes of the router's REST resources the Outbound routes page reads. */

/** A time window (rules-file shape). */
export interface RouteWindow {
  weekdays?: string;
  startTime?: string | null;
  endTime?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  timezone?: string;
}

/** A dial target. */
export interface RouteTarget {
  template: string;
  options?: string | null;
  timeout?: number | null;
}

/** `GET /api/v1/routes` item. */
export interface Route {
  name: string;
  pattern: string;
  callerId?: string | null;
  app: string;
  data: Record<string, unknown>;
  order: number;
  enabled: boolean;
  rewrite: { strip: number; prepend: string };
  failoverOn: string[];
  targets: RouteTarget[];
  windows: RouteWindow[];
}

/** `GET /api/v1/router/extensions` item. */
export interface RouterExtension {
  number: string;
  name: string;
  routes: string[];
}

/** `GET /api/v1/router/users` item (never a PIN). */
export interface RouterUser {
  name: string;
  routes: string[];
}

/** One `check` finding. */
export interface Finding {
  level: 'error' | 'warning' | 'info';
  rows: string[];
  message: string;
}

/** `POST /api/v1/routes/explain`. */
export interface Explanation {
  dialed: string;
  caller: string;
  at: string;
  candidates: { route: string; pattern: string; verdict: string }[];
  route: string | null;
  app: string | null;
  number: string | null;
  failover: string[];
  failoverOn: string[];
  pin: 'not needed' | 'required' | null;
  unlockedBy: string[];
  window: string | null;
  error: string | null;
}

/** Applications the router runs. */
export const APPS = [
  'dial',
  'voicemail',
  'conference',
  'playback',
  'busy',
  'congestion',
  'hangup',
  'gosub',
  'custom',
] as const;
