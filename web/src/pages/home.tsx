/** Home: calls in progress, calls per minute over the last hour, channel utilisation, totals, PBX states. */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { api } from '../api/client';
import type { Kpis } from '../api/types';
import { useI18n } from '../i18n';
import { useLive } from '../live/hooks';
import { TodayTotals, useSeededMinutes } from './stats/home-figures';
import { LinesPanel } from './trunks/lines-panel';

// uPlot comes with the chart, after the first paint (it keeps ~20 KB gzipped out of the initial JavaScript).
const MinuteChart = lazy(() =>
  import('../components/minute-chart').then((m) => ({ default: m.MinuteChart })),
);

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Sums the KPIs of every PBX. */
function total(all: Record<string, Kpis>) {
  const list = Object.values(all);
  const sum = (f: (k: Kpis) => number) => list.reduce((a, k) => a + f(k), 0);
  const offered = sum((k) => k.queues.offered);
  return {
    from: Math.min(...list.map((k) => k.from)),
    to: Math.max(...list.map((k) => k.to)),
    callsPerMinute: sum((k) => k.callsPerMinute),
    averageChannels: sum((k) => k.averageChannels),
    utilisation: list.some((k) => k.channelUtilisation !== undefined)
      ? Math.max(...list.map((k) => k.channelUtilisation ?? 0))
      : undefined,
    offered,
    answered: sum((k) => k.queues.answered),
    abandoned: sum((k) => k.queues.abandoned),
    waiting: sum((k) => k.queues.waiting),
    serviceLevel:
      offered === 0 ? 1 : list.reduce((a, k) => a + k.queues.serviceLevel * k.queues.offered, 0) / offered,
  };
}

/** The Home page. */
export function HomePage() {
  const { t, lang } = useI18n();
  const live = useLive();
  const rest = useQuery({
    queryKey: ['kpis'],
    queryFn: () => api<Record<string, Kpis>>('GET', '/api/v1/kpis'),
    refetchInterval: 30_000,
  });
  // Live `kpi` changes win over the last REST answer, PBX by PBX.
  const kpis = { ...(rest.data ?? {}), ...live.kpis };
  const has = Object.keys(kpis).length > 0;
  const sums = has ? total(kpis) : undefined;
  const time = (ms: number) =>
    new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const channelsNow = live.channels.size;
  // The last hour from the call history, then the live stream's `record` changes.
  const perMinute = useSeededMinutes(live.finishedPerMinute, live.countingSince);
  let finishedLive = 0;
  for (const n of live.finishedPerMinute.values()) finishedLive += n;
  let hourTotal = 0;
  let hourMax = 0;
  const oldest = Math.floor(Date.now() / 60000) - 59;
  for (const [m, n] of perMinute) {
    if (m < oldest) continue;
    hourTotal += n;
    hourMax = Math.max(hourMax, n);
  }

  return (
    <main id="main" tabIndex={-1} className="home">
      <h1>{t('home.title')}</h1>
      <div className="cards">
        <section className="card stat" aria-labelledby="h-inprogress">
          <h2 id="h-inprogress">{t('home.inProgress')}</h2>
          <p className="big" data-testid="calls-in-progress">
            {live.calls.length}
          </p>
        </section>
        <section className="card stat" aria-labelledby="h-util">
          <h2 id="h-util">{t('home.utilisation')}</h2>
          <p className="big">{sums?.utilisation !== undefined ? pct(sums.utilisation) : channelsNow}</p>
          <p className="muted">
            {t('home.channelsNow', { n: channelsNow })}
            {sums && (
              <>
                {' · '}
                {t('home.avgChannels', { n: sums.averageChannels.toFixed(1) })}
              </>
            )}
            {sums?.utilisation === undefined && ` · ${t('home.noCapacity')}`}
          </p>
        </section>
      </div>
      <section className="card" aria-labelledby="h-cpm">
        <h2 id="h-cpm">{t('home.perMinute')}</h2>
        <Suspense fallback={<p>{t('home.chartSummary', { total: hourTotal, max: hourMax })}</p>}>
          <MinuteChart
            counts={perMinute}
            label={t('home.chartLabel')}
            series={t('home.callsPerMinute')}
            summary={t('home.chartSummary', { total: hourTotal, max: hourMax })}
          />
        </Suspense>
        <p className="muted">{t('stats.home.perMinuteNote')}</p>
      </section>
      <section className="card" aria-labelledby="h-totals">
        <h2 id="h-totals">{t('home.totals')}</h2>
        {sums && (
          <>
            <p className="muted">{t('home.totalsWindow', { from: time(sums.from), to: time(sums.to) })}</p>
            <dl className="totals">
              <div>
                <dt>{t('home.callsPerMinute')}</dt>
                <dd>{sums.callsPerMinute.toFixed(1)}</dd>
              </div>
              <div>
                <dt>{t('home.offered')}</dt>
                <dd>{sums.offered}</dd>
              </div>
              <div>
                <dt>{t('home.answered')}</dt>
                <dd>{sums.answered}</dd>
              </div>
              <div>
                <dt>{t('home.abandoned')}</dt>
                <dd>{sums.abandoned}</dd>
              </div>
              <div>
                <dt>{t('home.waiting')}</dt>
                <dd>{sums.waiting}</dd>
              </div>
              <div>
                <dt>{t('home.serviceLevel')}</dt>
                <dd>{pct(sums.serviceLevel)}</dd>
              </div>
            </dl>
          </>
        )}
      </section>
      <TodayTotals finished={finishedLive} />
      <LinesPanel />
      <section className="card" aria-labelledby="h-pbx">
        <h2 id="h-pbx">{t('home.pbxs')}</h2>
        <table aria-labelledby="h-pbx">
          <thead>
            <tr>
              <th scope="col">{t('home.pbxName')}</th>
              <th scope="col">{t('home.pbxState')}</th>
              <th scope="col">{t('home.pbxSince')}</th>
            </tr>
          </thead>
          <tbody>
            {live.pbx.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name || p.id}
                  {p.simulated && <span className="tag">{t('home.simulatedTag')}</span>}
                </td>
                <td>
                  <span className={p.connected ? 'ok' : 'bad'}>
                    {p.connected ? t('home.connected') : t('home.disconnected', { state: p.state })}
                  </span>
                </td>
                <td>{time(Date.parse(p.since))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
