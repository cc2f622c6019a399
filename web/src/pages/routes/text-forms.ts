/**
 * Targets and time windows as lines of text, the way the CLI takes them (`PJSIP/${number}@t1 | tT | 30`,
 * `mon-fri 08:00-18:00 Europe/Madrid`), and back. The server checks the result with the CLI's words.
 */
import type { RouteTarget, RouteWindow } from './types';

/** One target per line: `template [| options [| timeout]]`. */
export function parseTargets(text: string): RouteTarget[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [template = '', options = '', timeout = ''] = l.split('|').map((p) => p.trim());
      const t: RouteTarget = { template };
      if (options) t.options = options;
      if (timeout) t.timeout = Number(timeout);
      return t;
    });
}

/** The lines of {@link parseTargets}. */
export function targetsText(targets: readonly RouteTarget[]): string {
  return targets
    .map((t) =>
      [t.template, t.options ?? '', t.timeout ? String(t.timeout) : ''].join(' | ').replace(/( \| )+$/, ''),
    )
    .join('\n');
}

const TIMES = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/;
const DATES = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/;

/** One window per line: `[weekdays] [HH:MM-HH:MM] [YYYY-MM-DD..YYYY-MM-DD] [Time/Zone]`. */
export function parseWindows(text: string): RouteWindow[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const w: RouteWindow = {};
      for (const token of l.split(/\s+/)) {
        const times = TIMES.exec(token);
        const dates = DATES.exec(token);
        if (times) {
          w.startTime = times[1] ?? null;
          w.endTime = times[2] ?? null;
        } else if (dates) {
          if (dates[1]) w.startDate = dates[1];
          if (dates[2]) w.endDate = dates[2];
        } else if (token.includes('/') || token === 'UTC') w.timezone = token;
        else w.weekdays = w.weekdays ? `${w.weekdays},${token}` : token;
      }
      return w;
    });
}

/** The line of one window. */
export function windowText(w: RouteWindow): string {
  const parts: string[] = [];
  if (w.weekdays) parts.push(w.weekdays);
  if (w.startTime || w.endTime) parts.push(`${w.startTime ?? '00:00'}-${w.endTime ?? '24:00'}`);
  if (w.startDate || w.endDate) parts.push(`${w.startDate ?? ''}..${w.endDate ?? ''}`);
  if (w.timezone) parts.push(w.timezone);
  return parts.join(' ');
}

/** A comma- or space-separated list. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
