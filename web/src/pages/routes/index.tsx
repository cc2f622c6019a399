/**
 * Outbound routes (`/routes`): the router's routes in the order Asterisk tries them, each with the `check`
 * findings that name it, a live "explain" box, and the PIN holders. Supervisors read; admins edit.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, seg } from '../../api/client';
import { useSession } from '../../api/session';
import { atLeast } from '../../api/types';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { ExplainBox } from './explain-box';
import { PinUsers } from './pin-users';
import { RouteForm } from './route-form';
import { targetsText, windowText } from './text-forms';
import type { Finding, Route, RouterExtension, RouterUser } from './types';
import './routes.css';

type Dialog = { kind: 'add' } | { kind: 'edit'; route: Route } | { kind: 'delete'; route: Route };

function Findings({ list }: { list: Finding[] }) {
  const { t } = useI18n();
  if (!list.length) return null;
  return (
    <ul className="findings">
      {list.map((f) => (
        <li key={`${f.level}:${f.rows.join(',')}:${f.message}`} className={`finding finding-${f.level}`}>
          <strong>{t(`routes.level.${f.level}`)}:</strong> {f.message}
          {f.rows.length > 1 && <span className="muted small"> ({f.rows.join(', ')})</span>}
        </li>
      ))}
    </ul>
  );
}

/** The page. */
export function RoutesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const qc = useQueryClient();
  const admin = me ? atLeast(me.role, 'admin') : false;
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const routes = useQuery({
    queryKey: ['routes'],
    queryFn: () => api<Route[]>('GET', '/api/v1/routes?sort=precedence'),
  });
  const check = useQuery({
    queryKey: ['routes-check'],
    queryFn: () => api<{ ok: boolean; findings: Finding[] }>('GET', '/api/v1/routes/check'),
  });
  const extensions = useQuery({
    queryKey: ['router-extensions'],
    queryFn: () => api<RouterExtension[]>('GET', '/api/v1/router/extensions'),
  });
  const users = useQuery({
    queryKey: ['router-users'],
    queryFn: () => api<RouterUser[]>('GET', '/api/v1/router/users'),
  });
  const refresh = () => {
    setVersion((v) => v + 1);
    for (const k of ['routes', 'routes-check', 'router-extensions', 'router-users'])
      void qc.invalidateQueries({ queryKey: [k] });
  };
  const close = () => {
    setDialog(undefined);
    setDeleteError(undefined);
  };
  const remove = async (r: Route) => {
    setBusy(true);
    try {
      await api('DELETE', `/api/v1/routes/${seg(r.name)}`);
      setNotice({ text: t('routes.deleted', { name: r.name }) });
      close();
      refresh();
    } catch (err) {
      setDeleteError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const findings = check.data?.findings ?? [];
  const names = new Set((routes.data ?? []).map((r) => r.name));
  const ofRoute = (name: string) => findings.filter((f) => f.rows.includes(`route ${name}`));
  const other = findings.filter((f) => !f.rows.some((row) => names.has(row.replace(/^route /, ''))));
  const ext = extensions.data ?? [];
  const pinUsers = users.data ?? [];

  return (
    <main id="main" tabIndex={-1} className="routes-page">
      <h1>{t('routes.title')}</h1>
      <div role="status" className={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text}
      </div>
      <ExplainBox version={version} />
      <section aria-label={t('routes.listTitle')}>
        <h2>{t('routes.listTitle')}</h2>
        <p className="muted small">{t('routes.precedenceNote')}</p>
        {admin && (
          <div className="buttons toolbar">
            <button type="button" className="primary" onClick={() => setDialog({ kind: 'add' })}>
              {t('routes.add')}
            </button>
          </div>
        )}
        {check.data && (
          <p className={check.data.ok ? 'ok' : 'bad'}>
            {check.data.ok
              ? t('routes.checkOk', { count: findings.length })
              : t('routes.checkErrors', { count: findings.filter((f) => f.level === 'error').length })}
          </p>
        )}
        {other.length > 0 && (
          <section className="card" aria-label={t('routes.otherFindings')}>
            <h3>{t('routes.otherFindings')}</h3>
            <Findings list={other} />
          </section>
        )}
        {routes.isPending && <p>{t('routes.loading')}</p>}
        {routes.error && <p className="error">{describeError(routes.error, t)}</p>}
        {routes.data && routes.data.length === 0 && <p className="muted">{t('routes.none')}</p>}
        <ol className="route-list">
          {(routes.data ?? []).map((r) => {
            const holders = ext.filter((e) => e.routes.includes(r.name)).map((e) => e.number);
            const pins = pinUsers.filter((u) => u.routes.includes(r.name)).map((u) => u.name);
            return (
              <li key={r.name} className={`card route${r.enabled ? '' : ' route-disabled'}`}>
                <article aria-label={t('routes.routeLabel', { name: r.name })}>
                  <h3>
                    <code>{r.pattern}</code> {r.name}
                    {!r.enabled && <span className="tag">{t('routes.disabled')}</span>}
                  </h3>
                  <dl className="route-facts">
                    <div>
                      <dt>{t('routes.app')}</dt>
                      <dd>{r.app}</dd>
                    </div>
                    {r.targets.length > 0 && (
                      <div>
                        <dt>{t('routes.targets')}</dt>
                        <dd>
                          <pre>{targetsText(r.targets)}</pre>
                        </dd>
                      </div>
                    )}
                    {r.callerId && (
                      <div>
                        <dt>{t('routes.callerId')}</dt>
                        <dd>
                          <code>{r.callerId}</code>
                        </dd>
                      </div>
                    )}
                    {(r.rewrite.strip > 0 || r.rewrite.prepend) && (
                      <div>
                        <dt>{t('routes.rewrite')}</dt>
                        <dd>
                          {t('routes.rewriteText', { strip: r.rewrite.strip, prepend: r.rewrite.prepend })}
                        </dd>
                      </div>
                    )}
                    <div>
                      <dt>{t('routes.windows')}</dt>
                      <dd>{r.windows.length ? r.windows.map(windowText).join('; ') : t('routes.always')}</dd>
                    </div>
                    <div>
                      <dt>{t('routes.extensions')}</dt>
                      <dd>{holders.length ? holders.join(', ') : t('routes.nobody')}</dd>
                    </div>
                    <div>
                      <dt>{t('routes.holders')}</dt>
                      <dd>{pins.length ? pins.join(', ') : t('routes.nobody')}</dd>
                    </div>
                  </dl>
                  <Findings list={ofRoute(r.name)} />
                  {admin && (
                    <div className="buttons">
                      <button
                        type="button"
                        onClick={() => setDialog({ kind: 'edit', route: r })}
                        aria-label={t('routes.editOf', { name: r.name })}
                      >
                        {t('routes.edit')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setDialog({ kind: 'delete', route: r })}
                        aria-label={t('routes.deleteOf', { name: r.name })}
                      >
                        {t('routes.delete')}
                      </button>
                    </div>
                  )}
                </article>
              </li>
            );
          })}
        </ol>
      </section>
      <PinUsers users={pinUsers} admin={admin} onChanged={refresh} />

      {(dialog?.kind === 'add' || dialog?.kind === 'edit') && (
        <RouteForm
          {...(dialog.kind === 'edit' ? { route: dialog.route } : {})}
          extensions={ext}
          users={pinUsers}
          onClose={close}
          onSaved={(name) => {
            setNotice({ text: t('routes.saved', { name }) });
            close();
            refresh();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <Modal title={t('routes.deleteTitle', { name: dialog.route.name })} onClose={close}>
          <p>{t('routes.deleteText', { pattern: dialog.route.pattern })}</p>
          {deleteError && (
            <p className="error" role="alert">
              {deleteError}
            </p>
          )}
          <div className="buttons">
            <button type="button" onClick={close} disabled={busy}>
              {t('routes.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void remove(dialog.route)}
            >
              {t('routes.deleteConfirm')}
            </button>
          </div>
        </Modal>
      )}
    </main>
  );
}
