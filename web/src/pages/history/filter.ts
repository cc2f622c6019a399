/**
 * The Last calls filter as the address shows it (`/history?from=2026-12-01&to=2026-12-04&dst=200…`, dates in the
 * user's time zone, both days included) and as `/api/v1/history` wants it (epoch milliseconds, `to` exclusive).
 */

/** Filter fields kept in the address. */
export const FILTER_KEYS = ['q', 'from', 'to', 'src', 'dst', 'disposition', 'queue'] as const;
/** A filter field. */
export type FilterKey = (typeof FILTER_KEYS)[number];
/** The filter: field → text (absent = not filtered). */
export type Filter = Partial<Record<FilterKey, string>>;

/** Dispositions the API accepts. */
export const DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED'] as const;

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filter (and the page cursor) from a query string. */
export function readFilter(search: string): { filter: Filter; cursor?: string } {
  const p = new URLSearchParams(search);
  const filter: Filter = {};
  for (const k of FILTER_KEYS) {
    const v = p.get(k)?.trim();
    if (!v) continue;
    if ((k === 'from' || k === 'to') && !DAY_RE.test(v)) continue;
    if (k === 'disposition' && !(DISPOSITIONS as readonly string[]).includes(v)) continue;
    filter[k] = v.slice(0, 80);
  }
  const cursor = p.get('cursor') ?? undefined;
  return cursor ? { filter, cursor } : { filter };
}

/** The page's own query string for a filter (and cursor). */
export function pageSearch(filter: Filter, cursor?: string): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filter[k]) p.set(k, filter[k]);
  if (cursor) p.set('cursor', cursor);
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang) p.set('lang', lang);
  return p.toString();
}

/** Local midnight of a `YYYY-MM-DD` day, in epoch ms. */
export function localDay(day: string, plusDays = 0): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).getTime();
}

/** The API query of a filter (`from` at the day's local midnight, `to` at the next day's). */
export function apiQuery(filter: Filter, extra: Record<string, string> = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (filter.from) p.set('from', String(localDay(filter.from)));
  if (filter.to) p.set('to', String(localDay(filter.to, 1)));
  for (const k of ['src', 'dst', 'disposition', 'queue', 'q'] as const) if (filter[k]) p.set(k, filter[k]);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}
