/**
 * Home's history-backed figures: today's totals (`/api/v1/stats` since local midnight) and the calls-per-minute
 * chart seeded from the last hour of `/api/v1/history`, so it is full the moment the page opens.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { useI18n } from '../../i18n';
import type { MinuteCounts } from '../../live/store';
import { localDay } from '../history/filter';
import type { HistoryPageData } from '../history/types';
import { dayText, TotalsList } from './index';
import type { Stats } from './types';

const HOUR = 3_600_000;
const PAGE = 500;
const MAX_PAGES = 6;
// A call that started a little before the hour may have ended inside it (the filter is on the start).
const SLACK = 30 * 60_000;

/** Today's totals since 00:00 local time, refreshed as calls finish (and every half minute). */
export function TodayTotals({ finished }: { finished: number }) {
  const { t } = useI18n();
  const version = useThrottled(finished, 3000);
  const from = localDay(dayText(Date.now()));
  const q = useQuery({
    // `finished` (calls the live stream saw end) in the key: a finished call refreshes the totals.
    queryKey: ['stats-today', from, version],
    queryFn: () => api<Stats>('GET', `/api/v1/stats?from=${from}&to=${Date.now() + 60_000}&groupBy=day`),
    refetchInterval: 30_000,
    placeholderData: (prev) => prev,
  });
  return (
    <section className="card" aria-labelledby="h-today">
      <h2 id="h-today">{t('stats.home.today')}</h2>
      <p className="muted">{t('stats.home.todayNote')}</p>
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && <TotalsList f={q.data.totals} />}
      <p>
        <Link href="/stats">{t('stats.home.more')}</Link>
      </p>
    </section>
  );
}

/** `value`, changing at most once per `ms` (a busy PBX finishes many calls a second). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, last.current + ms - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}

async function lastHour(since: number): Promise<Map<number, number>> {
  const minutes = new Map<number, number>();
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await api<HistoryPageData>(
      'GET',
      `/api/v1/history?from=${since - SLACK}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const c of page.items) {
      const end = Date.parse(c.end);
      if (end < since) continue;
      const m = Math.floor(end / 60_000);
      minutes.set(m, (minutes.get(m) ?? 0) + 1);
    }
    if (!page.next) break;
    cursor = page.next;
  }
  return minutes;
}

/**
 * Finished calls per minute over the last hour: the history's counts for the minutes before the live store's
 * first whole minute, the live store's from then on (so no call is counted twice, none missed since the page opened).
 */
export function useSeededMinutes(live: MinuteCounts, countingSince: number): MinuteCounts {
  const first = Math.floor(countingSince / 60_000) + 1;
  const seed = useQuery({
    queryKey: ['history-minutes', countingSince],
    queryFn: () => lastHour(Date.now() - HOUR),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return useMemo(() => {
    const out = new Map<number, number>();
    for (const [m, n] of seed.data ?? []) if (m < first) out.set(m, n);
    for (const [m, n] of live) if (m >= first) out.set(m, n);
    return out;
  }, [seed.data, live, first]);
}
