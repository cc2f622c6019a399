/**
 * A finished call's details: summary, legs, dial attempts, transfers, queue visits, and — for users who may read
 * logs — the Asterisk log lines of its channels (the log names a call by its own call id `C-…`, which AMI never
 * tells; so the lines naming the call's channels give the call ids, and those ids give the rest of the lines).
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import { atLeast } from '../../api/types';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { duration } from '../../format';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import type { HistoryDetail, LogEntry } from './types';

const LOG_LIMIT = 200;

/** Finds the log lines of a call: by its channel names, then by the Asterisk call ids those lines carry. */
async function callLogs(d: HistoryDetail): Promise<{ ids: string[]; lines: LogEntry[] }> {
  const names = [...new Set(d.legs.map((l) => l.name))].slice(0, 6);
  const pbx = encodeURIComponent(d.pbx);
  const byName = await Promise.all(
    names.map((n) =>
      api<LogEntry[]>('GET', `/api/v1/logs?pbx=${pbx}&q=${encodeURIComponent(n)}&limit=${LOG_LIMIT}`),
    ),
  );
  const ids = [...new Set(byName.flat().flatMap((l) => (l.callId ? [l.callId] : [])))].slice(0, 6);
  const byId = await Promise.all(
    ids.map((id) => api<LogEntry[]>('GET', `/api/v1/logs?pbx=${pbx}&callid=${id}&limit=${LOG_LIMIT}`)),
  );
  const all = new Map<number, LogEntry>();
  for (const l of [...byName.flat(), ...byId.flat()]) all.set(l.seq, l);
  return { ids, lines: [...all.values()].sort((a, b) => a.seq - b.seq) };
}

/** The details dialog of call `id`. */
export function CallDetails({ id, onClose }: { id: number; onClose(): void }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const mayLogs = !!me && atLeast(me.role, 'supervisor');
  const q = useQuery({
    queryKey: ['history-call', id],
    queryFn: () => api<HistoryDetail>('GET', `/api/v1/history/${id}`),
  });
  const d = q.data;
  const logs = useQuery({
    queryKey: ['history-call-logs', id],
    queryFn: () => callLogs(d as HistoryDetail),
    enabled: mayLogs && !!d && d.legs.length > 0,
  });
  const at = (ms: number | string | null | undefined) =>
    ms === null || ms === undefined ? '—' : new Date(ms).toLocaleTimeString(lang, { timeStyle: 'medium' });
  return (
    <Modal title={t('history.detailTitle', { id: String(id) })} onClose={onClose}>
      <div className="call-detail">
        {q.isPending && <p className="muted">{t('history.loading')}</p>}
        {q.error && <p className="error">{describeError(q.error, t)}</p>}
        {d && (
          <>
            <h3>{t('history.summary')}</h3>
            <dl className="detail-grid">
              <dt>{t('history.caller')}</dt>
              <dd>{d.callerName ? `${d.callerName} (${d.source ?? '?'})` : (d.source ?? '—')}</dd>
              <dt>{t('history.callee')}</dt>
              <dd>{d.destination ?? '—'}</dd>
              <dt>{t('history.result')}</dt>
              <dd>{t(`history.disp.${d.disposition}` as MessageKey)}</dd>
              <dt>{t('history.start')}</dt>
              <dd>{new Date(d.start).toLocaleString(lang)}</dd>
              <dt>{t('history.answeredAt')}</dt>
              <dd>{at(d.answer)}</dd>
              <dt>{t('history.endedAt')}</dt>
              <dd>{at(d.end)}</dd>
              <dt>{t('history.duration')}</dt>
              <dd>
                {duration(d.durationSeconds)} ({t('history.billable')}: {duration(d.billableSeconds)})
              </dd>
              <dt>{t('history.hangupCause')}</dt>
              <dd>
                {d.hangupCause ?? '—'} {d.hangupCauseText ?? ''}
              </dd>
              <dt>{t('history.route')}</dt>
              <dd>{d.route ?? '—'}</dd>
              <dt>{t('history.pbx')}</dt>
              <dd>{d.pbx}</dd>
              <dt>{t('history.linkedid')}</dt>
              <dd>{d.linkedid}</dd>
            </dl>
            {d.endedWhileDisconnected && <p className="muted">{t('history.disconnectedNote')}</p>}
            <Section title={t('history.legs')} empty={t('history.noLegs')} rows={d.legs.length}>
              <thead>
                <tr>
                  <th scope="col">{t('history.channel')}</th>
                  <th scope="col">{t('history.number')}</th>
                  <th scope="col">{t('history.exten')}</th>
                  <th scope="col">{t('history.created')}</th>
                  <th scope="col">{t('history.answeredAt')}</th>
                  <th scope="col">{t('history.endedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {d.legs.map((l) => (
                  <tr key={l.uniqueid}>
                    <td>{l.name}</td>
                    <td>{l.callerIdNum ?? '—'}</td>
                    <td>{l.exten ?? '—'}</td>
                    <td className="num">{at(l.createdAt)}</td>
                    <td className="num">{at(l.answeredAt)}</td>
                    <td className="num">{at(l.endedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </Section>
            <Section title={t('history.dials')} empty={t('history.noDials')} rows={d.dials.length}>
              <thead>
                <tr>
                  <th scope="col">{t('history.dialTo')}</th>
                  <th scope="col">{t('history.status')}</th>
                  <th scope="col">{t('history.created')}</th>
                  <th scope="col">{t('history.endedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {d.dials.map((x) => (
                  <tr key={`${x.to}-${x.startedAt}`}>
                    <td>{x.toName}</td>
                    <td>{x.status ?? '—'}</td>
                    <td className="num">{at(x.startedAt)}</td>
                    <td className="num">{at(x.endedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </Section>
            <Section
              title={t('history.transfers')}
              empty={t('history.noTransfers')}
              rows={d.transfers.length}
            >
              <thead>
                <tr>
                  <th scope="col">{t('history.kind')}</th>
                  <th scope="col">{t('history.target')}</th>
                  <th scope="col">{t('history.status')}</th>
                  <th scope="col">{t('history.at')}</th>
                </tr>
              </thead>
              <tbody>
                {d.transfers.map((x) => (
                  <tr key={`${x.at}-${x.kind}`}>
                    <td>{t(`history.transfer.${x.kind}`)}</td>
                    <td>{x.target ?? '—'}</td>
                    <td>{x.result ?? '—'}</td>
                    <td className="num">{at(x.at)}</td>
                  </tr>
                ))}
              </tbody>
            </Section>
            <Section title={t('history.queueVisits')} empty={t('history.noQueues')} rows={d.queues.length}>
              <thead>
                <tr>
                  <th scope="col">{t('history.queue')}</th>
                  <th scope="col">{t('history.joined')}</th>
                  <th scope="col">{t('history.outcome')}</th>
                  <th scope="col">{t('history.wait')}</th>
                  <th scope="col">{t('history.agent')}</th>
                </tr>
              </thead>
              <tbody>
                {d.queues.map((v) => (
                  <tr key={`${v.queue}-${v.joinedAt}`}>
                    <td>{v.queue}</td>
                    <td className="num">{at(v.joinedAt)}</td>
                    <td>{v.outcome ? t(`history.outcome.${v.outcome}` as MessageKey) : '—'}</td>
                    <td className="num">
                      {v.waitSeconds !== undefined ? t('history.seconds', { n: v.waitSeconds }) : '—'}
                    </td>
                    <td>{v.agent ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </Section>
            {mayLogs && (
              <section aria-labelledby="h-call-logs">
                <h3 id="h-call-logs">{t('history.logs')}</h3>
                {logs.isPending && d.legs.length > 0 && <p className="muted">{t('history.loading')}</p>}
                {logs.error && <p className="error">{describeError(logs.error, t)}</p>}
                {logs.data && logs.data.lines.length === 0 && <p className="muted">{t('history.noLogs')}</p>}
                {logs.data && logs.data.lines.length > 0 && (
                  <>
                    {logs.data.ids.length > 0 && (
                      <p className="muted">{t('history.logsFor', { ids: logs.data.ids.join(', ') })}</p>
                    )}
                    <pre className="log-lines">{logs.data.lines.map((l) => l.raw).join('\n')}</pre>
                  </>
                )}
              </section>
            )}
          </>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('history.close')}
          </button>
        </div>
      </div>
    </Modal>
  );
}

function Section({
  title,
  empty,
  rows,
  children,
}: {
  title: string;
  empty: string;
  rows: number;
  children: React.ReactNode;
}) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      {rows === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={title}>{children}</table>
        </div>
      )}
    </section>
  );
}
