/** Trunks (`/trunks`): every trunk's live state, and a chosen trunk's history (outages: when, for how long). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, seg } from '../../api/client';
import type { Trunk } from '../../api/types';
import { describeError } from '../../components/errors';
import { useI18n } from '../../i18n';
import { useLive } from '../../live/hooks';
import { TrunksTable } from './lines-panel';
import { lasted, stateText, when } from './state';

interface Period {
  state: string;
  from: number;
  to: number;
  durationMs: number;
  reason: string | null;
  ongoing: boolean;
}

interface ChangeRow {
  id: number;
  from: string | null;
  to: string;
  at: number;
  reason: string | null;
}

/** `GET /api/v1/trunks/:id/history`. */
interface History {
  id: string;
  changes: ChangeRow[];
  periods: Period[];
  outages: Period[];
}

function TrunkHistory({ trunk }: { trunk: Trunk }) {
  const { t, lang } = useI18n();
  const q = useQuery({
    queryKey: ['trunk-history', trunk.id, trunk.state, trunk.since],
    queryFn: () => api<History>('GET', `/api/v1/trunks/${seg(trunk.id)}/history`),
    // The server writes changes in batches (about every second): read again a little later too.
    refetchInterval: 5000,
  });
  const title = t('trunks.historyTitle', { name: trunk.name });
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {q.isPending && <p className="muted">{t('trunks.loading')}</p>}
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && (
        <>
          <h3>{t('trunks.outages')}</h3>
          {q.data.outages.length === 0 ? (
            <p className="muted">{t('trunks.noOutages')}</p>
          ) : (
            <div className="table-wrap">
              <table aria-label={t('trunks.outages')}>
                <thead>
                  <tr>
                    <th scope="col">{t('trunks.outageStart')}</th>
                    <th scope="col">{t('trunks.outageLength')}</th>
                    <th scope="col">{t('trunks.state')}</th>
                    <th scope="col">{t('trunks.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...q.data.outages].reverse().map((o) => (
                    <tr key={o.from}>
                      <td className="num">{when(o.from, lang)}</td>
                      <td className="num">
                        {o.ongoing
                          ? t('trunks.ongoing', { time: lasted(o.durationMs) })
                          : lasted(o.durationMs)}
                      </td>
                      <td>{stateText(o.state, t)}</td>
                      <td>{o.reason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('trunks.changes')}</h3>
          {q.data.changes.length === 0 ? (
            <p className="muted">{t('trunks.noChanges')}</p>
          ) : (
            <div className="table-wrap">
              <table aria-label={t('trunks.changes')}>
                <thead>
                  <tr>
                    <th scope="col">{t('trunks.at')}</th>
                    <th scope="col">{t('trunks.from')}</th>
                    <th scope="col">{t('trunks.to')}</th>
                    <th scope="col">{t('trunks.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...q.data.changes].reverse().map((c) => (
                    <tr key={c.id}>
                      <td className="num">{when(c.at, lang)}</td>
                      <td>{c.from === null ? '—' : stateText(c.from, t)}</td>
                      <td>{stateText(c.to, t)}</td>
                      <td>{c.reason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The Trunks page. */
export function TrunksPage() {
  const { t } = useI18n();
  const live = useLive();
  const [chosenId, setChosenId] = useState<string | undefined>();
  // The live trunk, so the history reloads when its state changes.
  const chosen = chosenId === undefined ? undefined : live.trunks.get(chosenId);
  return (
    <main id="main" tabIndex={-1}>
      <h1>{t('trunks.title')}</h1>
      <TrunksTable label={t('trunks.title')} onHistory={(tr) => setChosenId(tr.id)} />
      {chosen && <TrunkHistory trunk={chosen} />}
    </main>
  );
}
