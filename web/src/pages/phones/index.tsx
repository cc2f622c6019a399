/**
 * Phones (`/phones`): every phone with its live registration, add/edit/rotate/delete for admins (writes go to
 * Asterisk through the server, which answers with what Asterisk said), import from the PBX, the fetch log.
 * Resync and reboot send each brand's SIP NOTIFY through the manager (`notify.tsx`), per phone or per model.
 * Registration is live: every endpoint change on `/api/v1/live` re-reads `/api/v1/phones` (which holds the
 * status the server derives from its live model); a slow poll also catches "in a call" and missed changes.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, seg } from '../../api/client';
import { useSession } from '../../api/session';
import { atLeast } from '../../api/types';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { useLive } from '../../live/hooks';
import { FetchLog } from './fetch-log';
import { canNotify, NotifyDialog, type NotifyTarget } from './notify';
import { PhoneForm } from './phone-form';
import { AsteriskSteps, SecretsPanel } from './secrets-panel';
import type { AsteriskReport, Phone, PhoneWithSecrets } from './types';
import './phones.css';

type Dialog =
  | { kind: 'add' }
  | { kind: 'edit'; phone: Phone }
  | { kind: 'secrets'; result: PhoneWithSecrets; rotated: boolean }
  | { kind: 'rotate'; phone: Phone }
  | { kind: 'delete'; phone: Phone }
  | { kind: 'fetches'; phone: Phone }
  | { kind: 'notify'; target: NotifyTarget }
  | { kind: 'report'; title: string; report: AsteriskReport };

const REFRESH_MS = 15_000;

function Registration({ p }: { p: Phone }) {
  const { t } = useI18n();
  const s = p.status;
  if (!s.known) return <span className="muted">{t('phones.unknownToPbx')}</span>;
  return (
    <span>
      <span className={s.registered ? 'ok' : 'bad'}>
        {s.registered ? t('phones.registered') : t('phones.unregistered')}
      </span>
      {s.inCall && <span className="tag">{t('phones.inCall')}</span>}
      {s.rttMs !== null && <span className="muted small"> {t('phones.rtt', { ms: s.rttMs })}</span>}
      {s.contacts.map((c) => (
        <div key={c} className="muted small contact">
          {c}
        </div>
      ))}
    </span>
  );
}

/** The page. */
export function PhonesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const qc = useQueryClient();
  const admin = me ? atLeast(me.role, 'admin') : false;
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string>();
  const q = useQuery({
    queryKey: ['phones'],
    queryFn: () => api<Phone[]>('GET', '/api/v1/phones'),
    refetchInterval: REFRESH_MS,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['phones'] });
  const { endpointsVersion } = useLive();
  useEffect(() => {
    if (endpointsVersion > 0) void qc.invalidateQueries({ queryKey: ['phones'] });
  }, [endpointsVersion, qc]);
  const close = () => {
    setDialog(undefined);
    setDialogError(undefined);
  };
  const where = (p: Phone) => `/api/v1/phones/${seg(p.extension)}?pbx=${seg(p.pbx)}`;

  const rotate = async (p: Phone) => {
    setBusy(true);
    setDialogError(undefined);
    try {
      const r = await api<PhoneWithSecrets>(
        'POST',
        `/api/v1/phones/${seg(p.extension)}/rotate-secret?pbx=${seg(p.pbx)}`,
      );
      setDialog({ kind: 'secrets', result: r, rotated: true });
      void refresh();
    } catch (err) {
      setDialogError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (p: Phone) => {
    setBusy(true);
    setDialogError(undefined);
    try {
      const r = await api<{ deleted: boolean; asterisk?: AsteriskReport }>('DELETE', where(p));
      setNotice({ text: t('phones.deleted', { extension: p.extension }) });
      if (r.asterisk)
        setDialog({
          kind: 'report',
          title: t('phones.deleted', { extension: p.extension }),
          report: r.asterisk,
        });
      else close();
      void refresh();
    } catch (err) {
      setDialogError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const importFromPbx = async () => {
    setBusy(true);
    try {
      const r = await api<{ imported: Phone[]; skipped: string[] }>('POST', '/api/v1/phones/import', {});
      setNotice({ text: t('phones.imported', { imported: r.imported.length, skipped: r.skipped.length }) });
      void refresh();
    } catch (err) {
      setNotice({ text: describeError(err, t), error: true });
    } finally {
      setBusy(false);
    }
  };

  const phones = q.data ?? [];
  const multiPbx = new Set(phones.map((p) => p.pbx)).size > 1;
  const dialogErrorLine = dialogError && (
    <p className="error" role="alert">
      {dialogError}
    </p>
  );

  return (
    <main id="main" tabIndex={-1} className="phones">
      <h1>{t('phones.title')}</h1>
      <div role="status" className={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text}
      </div>
      {admin && (
        <div className="buttons toolbar">
          <button type="button" onClick={() => void importFromPbx()} disabled={busy}>
            {t('phones.import')}
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'notify', target: { kind: 'model' } })}>
            {t('phones.bulk')}
          </button>
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'add' })}>
            {t('phones.add')}
          </button>
        </div>
      )}
      {q.isPending && <p>{t('phones.loading')}</p>}
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && phones.length === 0 && <p className="muted">{t('phones.none')}</p>}
      {phones.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('phones.tableLabel')} className="phones-table">
            <thead>
              <tr>
                <th scope="col">{t('phones.extension')}</th>
                <th scope="col">{t('phones.name')}</th>
                <th scope="col">{t('phones.type')}</th>
                <th scope="col">{t('phones.mac')}</th>
                <th scope="col">{t('phones.context')}</th>
                <th scope="col">{t('phones.registration')}</th>
                <th scope="col">{t('phones.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {phones.map((p) => (
                <tr key={p.id}>
                  <td data-label={t('phones.extension')}>
                    {p.extension}
                    {multiPbx && <span className="muted small"> ({p.pbx})</span>}
                    {!p.managed && <span className="tag">{t('phones.notManaged')}</span>}
                  </td>
                  <td data-label={t('phones.name')}>{p.name}</td>
                  <td data-label={t('phones.type')}>
                    {t(`phones.brand.${p.brand}` as 'phones.brand.generic')} {p.model ?? ''}
                  </td>
                  <td data-label={t('phones.mac')}>
                    <code>{p.mac ?? ''}</code>
                  </td>
                  <td data-label={t('phones.context')}>{p.context}</td>
                  <td data-label={t('phones.registration')}>
                    <Registration p={p} />
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      onClick={() => setDialog({ kind: 'fetches', phone: p })}
                      aria-label={t('phones.fetchesOf', { extension: p.extension })}
                    >
                      {t('phones.fetches')}
                    </button>
                    {admin && (
                      <>
                        <button
                          type="button"
                          onClick={() => setDialog({ kind: 'edit', phone: p })}
                          aria-label={t('phones.editOf', { extension: p.extension })}
                        >
                          {t('phones.edit')}
                        </button>
                        {canNotify(p) && (
                          <>
                            <button
                              type="button"
                              onClick={() =>
                                setDialog({
                                  kind: 'notify',
                                  target: { kind: 'phone', phone: p, action: 'resync' },
                                })
                              }
                              aria-label={t('phones.resyncOf', { extension: p.extension })}
                            >
                              {t('phones.resync')}
                            </button>
                            <button
                              type="button"
                              onClick={() =>
                                setDialog({
                                  kind: 'notify',
                                  target: { kind: 'phone', phone: p, action: 'reboot' },
                                })
                              }
                              aria-label={t('phones.rebootOf', { extension: p.extension })}
                            >
                              {t('phones.reboot')}
                            </button>
                          </>
                        )}
                        {p.managed && (
                          <button
                            type="button"
                            onClick={() => setDialog({ kind: 'rotate', phone: p })}
                            aria-label={t('phones.rotateOf', { extension: p.extension })}
                          >
                            {t('phones.rotate')}
                          </button>
                        )}
                        <button
                          type="button"
                          className="danger"
                          onClick={() => setDialog({ kind: 'delete', phone: p })}
                          aria-label={t('phones.deleteOf', { extension: p.extension })}
                        >
                          {t('phones.delete')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {(dialog?.kind === 'add' || dialog?.kind === 'edit') && (
        <PhoneForm
          {...(dialog.kind === 'edit' ? { phone: dialog.phone } : {})}
          onClose={close}
          onSaved={(r, created) => {
            void refresh();
            if (created) setDialog({ kind: 'secrets', result: r as PhoneWithSecrets, rotated: false });
            else {
              const report = (r as Phone & { asterisk?: AsteriskReport }).asterisk;
              setNotice({ text: t('phones.updated', { extension: r.extension }) });
              if (report)
                setDialog({ kind: 'report', title: t('phones.updated', { extension: r.extension }), report });
              else close();
            }
          }}
        />
      )}
      {dialog?.kind === 'secrets' && (
        <SecretsPanel result={dialog.result} rotated={dialog.rotated} onClose={close} />
      )}
      {dialog?.kind === 'report' && (
        <Modal title={dialog.title} onClose={close}>
          <AsteriskSteps report={dialog.report} />
          <div className="buttons">
            <button type="button" className="primary" onClick={close}>
              {t('phones.done')}
            </button>
          </div>
        </Modal>
      )}
      {dialog?.kind === 'fetches' && <FetchLog phone={dialog.phone} onClose={close} />}
      {dialog?.kind === 'notify' && (
        <NotifyDialog
          target={dialog.target}
          phones={phones}
          onClose={close}
          onFetchLog={(phone) => setDialog({ kind: 'fetches', phone })}
        />
      )}
      {dialog?.kind === 'rotate' && (
        <Modal title={t('phones.rotateTitle', { extension: dialog.phone.extension })} onClose={close}>
          <p>{t('phones.rotateText')}</p>
          {dialogErrorLine}
          <div className="buttons">
            <button type="button" onClick={close} disabled={busy}>
              {t('phones.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void rotate(dialog.phone)}
            >
              {t('phones.rotateConfirm')}
            </button>
          </div>
        </Modal>
      )}
      {dialog?.kind === 'delete' && (
        <Modal title={t('phones.deleteTitle', { extension: dialog.phone.extension })} onClose={close}>
          <p>
            {dialog.phone.managed
              ? t('phones.deleteText', { name: dialog.phone.name })
              : t('phones.deleteUnmanaged', { name: dialog.phone.name })}
          </p>
          {dialogErrorLine}
          <div className="buttons">
            <button type="button" onClick={close} disabled={busy}>
              {t('phones.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void remove(dialog.phone)}
            >
              {t('phones.deleteConfirm')}
            </button>
          </div>
        </Modal>
      )}
    </main>
  );
}
