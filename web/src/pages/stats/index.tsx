/**
 * Statistics (`/stats`): for a chosen range (today, 7 days, 30 days or custom days, kept in the address), the
 * totals, answered vs missed per hour or day (uPlot, loaded lazily), the busiest extensions and routes, and each
 * queue's service level — all from `GET /api/v1/stats`.
 */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { duration } from '../../format';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import { localDay } from '../history/filter';
import type { Figures, Stats } from './types';

const CountsChart = lazy(() => import('./chart'));

const HOUR = 3_600_000;
const DAY = 86_400_000;
const PRESETS = ['today', '7d', '30d', 'custom'] as const;
type Preset = (typeof PRESETS)[number];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const SERVICE_LEVEL = 20;

/** `YYYY-MM-DD` of a local date. */
export function dayText(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The range a preset (or custom days) covers: [from, to) in epoch ms, and the time grouping that suits it. */
export function rangeOf(
  preset: Preset,
  fromDay: string | undefined,
  toDay: string | undefined,
  now: number,
): { from: number; to: number; groupBy: 'hour' | 'day' } {
  // `to` on the next whole minute, so the query key (and the cache) holds still for a minute.
  const to = Math.ceil(now / 60_000) * 60_000;
  const today = dayText(now);
  if (preset === 'custom' && fromDay && toDay) {
    const from = localDay(fromDay);
    const end = localDay(toDay, 1);
    return { from, to: end, groupBy: end - from <= 2 * DAY ? 'hour' : 'day' };
  }
  if (preset === '7d') return { from: localDay(today, -6), to, groupBy: 'day' };
  if (preset === '30d') return { from: localDay(today, -29), to, groupBy: 'day' };
  return { from: localDay(today), to, groupBy: 'hour' };
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

function useStats(from: number, to: number, groupBy: string) {
  const qs = `from=${from}&to=${to}&groupBy=${groupBy}&serviceLevel=${SERVICE_LEVEL}`;
  return useQuery({
    queryKey: ['stats', qs],
    queryFn: () => api<Stats>('GET', `/api/v1/stats?${qs}`),
  });
}

/** The Statistics page. */
export function StatsPage() {
  const { t, lang } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const p = new URLSearchParams(search);
  const preset: Preset = (PRESETS as readonly string[]).includes(p.get('range') ?? '')
    ? (p.get('range') as Preset)
    : 'today';
  const fromDay = DAY_RE.test(p.get('from') ?? '') ? (p.get('from') as string) : undefined;
  const toDay = DAY_RE.test(p.get('to') ?? '') ? (p.get('to') as string) : undefined;
  const { from, to, groupBy } = rangeOf(preset, fromDay, toDay, Date.now());
  const time = useStats(from, to, groupBy);
  const ext = useStats(from, to, 'extension');
  const routes = useStats(from, to, 'route');
  const queues = useStats(from, to, 'queue');
  const shownFrom = fromDay ?? dayText(from);
  const shownTo = toDay ?? dayText(to - 1);
  const [draft, setDraft] = useState({ from: shownFrom, to: shownTo });
  // A preset chosen (or the address changed): the custom fields show the range now in force.
  useEffect(() => setDraft({ from: shownFrom, to: shownTo }), [shownFrom, shownTo]);
  const go = (q: Record<string, string>) => {
    const next = new URLSearchParams(q);
    const l = p.get('lang');
    if (l) next.set('lang', l);
    navigate(`/stats?${next}`);
  };
  const totals = time.data?.totals;
  const date = (ms: number) => new Date(ms).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <main id="main" tabIndex={-1} className="stats">
      <h1>{t('stats.title')}</h1>
      <section className="card" aria-labelledby="h-range">
        <h2 id="h-range">{t('stats.range')}</h2>
        <div className="buttons range-presets">
          {PRESETS.filter((x) => x !== 'custom').map((x) => (
            <button
              key={x}
              type="button"
              aria-pressed={preset === x}
              className={preset === x ? 'primary' : undefined}
              onClick={() => go({ range: x })}
            >
              {t(`stats.${x}` as MessageKey)}
            </button>
          ))}
        </div>
        <form
          className="inline-form"
          aria-label={t('stats.custom')}
          onSubmit={(e) => {
            e.preventDefault();
            if (DAY_RE.test(draft.from) && DAY_RE.test(draft.to))
              go({ range: 'custom', from: draft.from, to: draft.to });
          }}
        >
          <div className="field">
            <label htmlFor="st-from">{t('stats.from')}</label>
            <input
              id="st-from"
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="st-to">{t('stats.to')}</label>
            <input
              id="st-to"
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </div>
          <button type="submit" aria-pressed={preset === 'custom'}>
            {t('stats.show')}
          </button>
        </form>
        <p className="muted">{t('stats.rangeText', { from: date(from), to: date(to) })}</p>
      </section>
      {time.error && <p className="error">{describeError(time.error, t)}</p>}
      <section className="card" aria-labelledby="h-stotals">
        <h2 id="h-stotals">{t('stats.totals')}</h2>
        {time.isPending && <p className="muted">{t('stats.loading')}</p>}
        {totals && <TotalsList f={totals} />}
        <p className="muted">{t('stats.slNote', { n: SERVICE_LEVEL })}</p>
      </section>
      <section className="card" aria-labelledby="h-schart">
        <h2 id="h-schart">{groupBy === 'hour' ? t('stats.perHour') : t('stats.perDay')}</h2>
        {time.data && <TimeChart stats={time.data} from={from} to={to} groupBy={groupBy} />}
      </section>
      <div className="cards">
        <GroupTable title={t('stats.extensions')} keyLabel={t('stats.extension')} q={ext} top={10} />
        <GroupTable title={t('stats.routes')} keyLabel={t('stats.route')} q={routes} top={10} />
      </div>
      <QueueTable q={queues} />
    </main>
  );
}

/** The totals as a definition list (Home uses it too). */
export function TotalsList({ f }: { f: Figures }) {
  const { t } = useI18n();
  const items: [MessageKey, string | number][] = [
    ['stats.total', f.total],
    ['stats.answered', f.answered],
    ['stats.missed', f.missed],
    ['stats.busy', f.busy],
    ['stats.answerRatio', pct(f.answerRatio)],
    ['stats.averageTalk', duration(f.averageTalk)],
    ['stats.averageWait', duration(f.averageWait)],
    ['stats.serviceLevel', f.queue.offered > 0 ? pct(f.queue.serviceLevel) : '—'],
  ];
  return (
    <dl className="totals">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{t(k)}</dt>
          <dd data-testid={k}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function TimeChart({
  stats,
  from,
  to,
  groupBy,
}: {
  stats: Stats;
  from: number;
  to: number;
  groupBy: string;
}) {
  const { t } = useI18n();
  const step = groupBy === 'hour' ? HOUR : DAY;
  const byKey = new Map(stats.groups.map((g) => [g.key === null ? Number.NaN : Date.parse(g.key), g]));
  const xs: number[] = [];
  const answered: number[] = [];
  const missed: number[] = [];
  // Every bucket of the range, the empty ones too (the API lists only buckets with calls; they are UTC).
  for (let b = Math.floor(from / step) * step; b < to; b += step) {
    const g = byKey.get(b);
    xs.push(b / 1000);
    answered.push(g?.answered ?? 0);
    missed.push(g?.missed ?? 0);
  }
  const unit = t(`stats.unit.${groupBy === 'hour' ? 'hour' : 'day'}`);
  const max = Math.max(0, ...stats.groups.map((g) => g.total));
  return (
    <Suspense fallback={<p className="muted">{t('stats.chartLoading')}</p>}>
      <CountsChart
        xs={xs}
        answered={answered}
        missed={missed}
        names={{ answered: t('stats.answered'), missed: t('stats.missed') }}
        label={t('stats.chartLabel', { unit })}
        summary={t('stats.chartSummary', {
          total: stats.totals.total,
          answered: stats.totals.answered,
          missed: stats.totals.missed,
          unit,
          max,
        })}
      />
    </Suspense>
  );
}

function GroupTable({
  title,
  keyLabel,
  q,
  top,
}: {
  title: string;
  keyLabel: string;
  q: ReturnType<typeof useStats>;
  top: number;
}) {
  const { t } = useI18n();
  const rows = [...(q.data?.groups ?? [])].sort((a, b) => b.total - a.total).slice(0, top);
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && rows.length === 0 && <p className="muted">{t('stats.none')}</p>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label={title}>
            <thead>
              <tr>
                <th scope="col">{keyLabel}</th>
                <th scope="col">{t('stats.total')}</th>
                <th scope="col">{t('stats.answered')}</th>
                <th scope="col">{t('stats.missed')}</th>
                <th scope="col">{t('stats.averageTalk')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((g) => (
                <tr key={g.key ?? ''}>
                  <td>{g.key ?? t('stats.noRoute')}</td>
                  <td className="num">{g.total}</td>
                  <td className="num">{g.answered}</td>
                  <td className="num">{g.missed}</td>
                  <td className="num">{duration(g.averageTalk)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function QueueTable({ q }: { q: ReturnType<typeof useStats> }) {
  const { t } = useI18n();
  const rows = (q.data?.groups ?? []).filter((g) => g.key !== null);
  const title = t('stats.queues');
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && rows.length === 0 && <p className="muted">{t('stats.none')}</p>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label={title}>
            <thead>
              <tr>
                <th scope="col">{t('stats.queue')}</th>
                <th scope="col">{t('stats.offered')}</th>
                <th scope="col">{t('stats.answered')}</th>
                <th scope="col">{t('stats.abandoned')}</th>
                <th scope="col">{t('stats.timedOut')}</th>
                <th scope="col">{t('stats.averageWait')}</th>
                <th scope="col">{t('stats.longestWait')}</th>
                <th scope="col">{t('stats.serviceLevel')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((g) => (
                <tr key={g.key ?? ''}>
                  <td>{g.key}</td>
                  <td className="num">{g.queue.offered}</td>
                  <td className="num">{g.queue.answered}</td>
                  <td className="num">{g.queue.abandoned}</td>
                  <td className="num">{g.queue.timedOut}</td>
                  <td className="num">{t('stats.seconds', { n: Math.round(g.queue.averageWait) })}</td>
                  <td className="num">{t('stats.seconds', { n: Math.round(g.queue.longestWait) })}</td>
                  <td className="num">{g.queue.offered > 0 ? pct(g.queue.serviceLevel) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
