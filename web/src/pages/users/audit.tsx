/** The audit log, newest first, paged by id (`before` = the last id of the previous page). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { useI18n } from '../../i18n';
import type { AuditEntry } from './types';

const PAGE = 50;

/** The audit section; `version` re-reads it after a change made on this page. */
export function AuditLog({ version }: { version: number }) {
  const { t } = useI18n();
  // The `before` of every page shown so far: the first is the newest page.
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const before = pages[pages.length - 1];
  const q = useQuery({
    queryKey: ['audit', before, version],
    queryFn: () =>
      api<{ items: AuditEntry[]; next?: number }>(
        'GET',
        `/api/v1/audit?limit=${PAGE}${before !== undefined ? `&before=${before}` : ''}`,
      ),
  });
  const label = t('users.audit');
  return (
    <section className="card" aria-label={label}>
      <h2>{label}</h2>
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && (
        <div className="table-wrap">
          <table aria-label={label} className="audit">
            <thead>
              <tr>
                <th scope="col">{t('users.auditAt')}</th>
                <th scope="col">{t('users.auditActor')}</th>
                <th scope="col">{t('users.auditAction')}</th>
                <th scope="col">{t('users.auditOutcome')}</th>
                <th scope="col">{t('users.auditAddress')}</th>
                <th scope="col">{t('users.auditDetail')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((a) => (
                <tr key={a.id ?? `${a.at}-${a.action}`}>
                  <td>{new Date(a.at).toLocaleString()}</td>
                  <td>
                    {a.actor ?? t('users.anonymous')}
                    {a.role && <span className="muted small"> ({t(`role.${a.role}` as 'role.admin')})</span>}
                  </td>
                  <td>
                    <code>{a.action}</code>
                    {a.target && <div className="muted small">{a.target}</div>}
                  </td>
                  <td className={a.status < 400 ? 'ok' : 'bad'}>
                    {a.outcome} ({a.status})
                  </td>
                  <td>{a.address ?? ''}</td>
                  <td className="detail">{a.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="buttons">
        <button type="button" disabled={pages.length <= 1} onClick={() => setPages([undefined])}>
          {t('users.auditNewest')}
        </button>
        <button
          type="button"
          disabled={q.data?.next === undefined}
          onClick={() => {
            const next = q.data?.next;
            if (next !== undefined) setPages((p) => [...p, next]);
          }}
        >
          {t('users.auditOlder')}
        </button>
      </div>
    </section>
  );
}
