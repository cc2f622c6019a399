/**
 * Time windows of a route: weekdays, hours, dates and a time zone (through Intl). Each condition is checked on the
 * local time of the window's zone, as Asterisk's GotoIfTime does; an end hour before the start hour crosses midnight.
 * A route with no window is always open; with several, it is open when any window is.
 */
import { RuleError } from './errors.js';

/** A window as written in the rules (all fields optional). */
export interface TimeWindowSpec {
  weekdays?: string | null;
  startTime?: string | null;
  endTime?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  timezone?: string | null;
}

/** A compiled window. */
export interface TimeWindow {
  /** Bit d set = weekday d open (0 = Sunday). */
  readonly days: number;
  /** Minutes since local midnight, start inclusive. */
  readonly start: number;
  /** Minutes since local midnight, end exclusive (1440 = midnight). */
  readonly end: number;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly timezone: string;
  /** The spec, for explanations. */
  readonly text: string;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

function parseDays(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '' || t === '*') return 0x7f;
  let days = 0;
  for (const part of t.split(',')) {
    const [a, b] = part.split('-').map((s) => s.trim().slice(0, 3));
    const from = DAYS.indexOf(a ?? '');
    const to = b === undefined ? from : DAYS.indexOf(b);
    if (from < 0 || to < 0)
      throw new RuleError(`bad weekdays ${JSON.stringify(text)} (use e.g. mon-fri or sat,sun)`);
    for (let d = from; ; d = (d + 1) % 7) {
      days |= 1 << d;
      if (d === to) break;
    }
  }
  return days;
}

function parseTime(text: string | null | undefined, fallback: number): number {
  if (text === null || text === undefined || text === '') return fallback;
  const m = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(text.trim());
  if (!m || (Number(m[1]) === 24 && m[2] !== '00'))
    throw new RuleError(`bad time ${JSON.stringify(text)} (use HH:MM)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function parseDate(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new RuleError(`bad date ${JSON.stringify(text)} (use YYYY-MM-DD)`);
  }
  return text;
}

/** Compiles a window; throws `ROUTER_BAD_RULE` naming the bad field. */
export function compileTimeWindow(spec: TimeWindowSpec): TimeWindow {
  const timezone = spec.timezone || 'UTC';
  try {
    formatter(timezone);
  } catch {
    throw new RuleError(`unknown time zone ${JSON.stringify(timezone)}`);
  }
  const w = {
    days: parseDays(spec.weekdays ?? ''),
    start: parseTime(spec.startTime, 0),
    end: parseTime(spec.endTime, 1440),
    startDate: parseDate(spec.startDate),
    endDate: parseDate(spec.endDate),
    timezone,
  };
  const text = [
    spec.weekdays || 'every day',
    `${spec.startTime || '00:00'}-${spec.endTime || '24:00'}`,
    w.startDate || w.endDate ? `${w.startDate ?? '…'}..${w.endDate ?? '…'}` : '',
    timezone,
  ]
    .filter(Boolean)
    .join(' ');
  return { ...w, text };
}

/** Local weekday (0 = Sunday), minutes since midnight and `YYYY-MM-DD` of `at` in `timezone`. */
export function localTime(at: Date, timezone: string): { day: number; minutes: number; date: string } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timezone).formatToParts(at)) parts[p.type] = p.value;
  return {
    day: DAYS.indexOf((parts.weekday ?? '').toLowerCase().slice(0, 3)),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** True when `at` falls inside the window. */
export function windowOpen(w: TimeWindow, at: Date): boolean {
  const t = localTime(at, w.timezone);
  if ((w.days & (1 << t.day)) === 0) return false;
  if (w.startDate !== null && t.date < w.startDate) return false;
  if (w.endDate !== null && t.date > w.endDate) return false;
  if (w.start === w.end) return true; // 00:00-24:00 and HH:MM-HH:MM both mean the whole day
  return w.start < w.end
    ? t.minutes >= w.start && t.minutes < w.end
    : t.minutes >= w.start || t.minutes < w.end;
}

/** True when any window is open (or there is none). */
export function anyWindowOpen(windows: readonly TimeWindow[], at: Date): boolean {
  return windows.length === 0 || windows.some((w) => windowOpen(w, at));
}

/** Two windows that can be open at the same moment (same zone; used by `router check`). */
export function windowsOverlap(a: TimeWindow, b: TimeWindow): boolean {
  if (a.timezone !== b.timezone || (a.days & b.days) === 0) return false;
  if (a.endDate !== null && b.startDate !== null && a.endDate < b.startDate) return false;
  if (b.endDate !== null && a.startDate !== null && b.endDate < a.startDate) return false;
  const spans = (w: TimeWindow): Array<[number, number]> =>
    w.start < w.end
      ? [[w.start, w.end]]
      : w.start === w.end
        ? [[0, 1440]]
        : [
            [w.start, 1440],
            [0, w.end],
          ];
  return spans(a).some(([s1, e1]) => spans(b).some(([s2, e2]) => s1 < e2 && s2 < e1));
}

/** `mon-fri 08:00-18:00 2026-12-01..2026-12-24 Europe/Madrid` → a window (every part optional, any order). */
export function parseTimeWindowSpec(spec: string): TimeWindowSpec {
  const w: TimeWindowSpec = {};
  for (const word of spec.trim().split(/\s+/).filter(Boolean)) {
    const hours = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(word);
    const dates = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/.exec(word);
    if (hours) {
      w.startTime = hours[1] ?? null;
      w.endTime = hours[2] ?? null;
    } else if (dates) {
      w.startDate = dates[1] ?? null;
      w.endDate = dates[2] ?? null;
    } else if (/^[a-z]{3}([-,][a-z]{3})*$/i.test(word)) w.weekdays = word.toLowerCase();
    else if (word.includes('/') || /^UTC$/i.test(word)) w.timezone = word;
    else throw new RuleError(`cannot read ${JSON.stringify(word)} in time window ${JSON.stringify(spec)}`);
  }
  return w;
}
