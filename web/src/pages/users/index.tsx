/** Users and tokens (`/users`, admins): users with roles and extensions, API tokens (shown once), the audit log. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, seg } from '../../api/client';
import { useSession } from '../../api/session';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { AuditLog } from './audit';
import { Tokens } from './tokens';
import type { User } from './types';
import { UserDialog } from './user-dialogs';
import '../phones/phones.css';
import '../routes/routes.css';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'password'; user: User }
  | { kind: 'remove'; user: User };

/** The page. */
export function UsersPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const qc = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const q = useQuery({ queryKey: ['users'], queryFn: () => api<User[]>('GET', '/api/v1/users') });
  const changed = (text: string) => {
    setNotice({ text });
    setDialog(undefined);
    setVersion((v) => v + 1);
    void qc.invalidateQueries({ queryKey: ['users'] });
    void qc.invalidateQueries({ queryKey: ['tokens'] });
  };
  const remove = async (u: User) => {
    setBusy(true);
    try {
      await api('DELETE', `/api/v1/users/${seg(u.name)}`);
      changed(t('users.removed', { name: u.name }));
    } catch (err) {
      setNotice({ text: describeError(err, t), error: true });
      setDialog(undefined);
    } finally {
      setBusy(false);
    }
  };
  if (!me) return null;
  const users = q.data ?? [];

  return (
    <main id="main" tabIndex={-1} className="users-page">
      <h1>{t('users.title')}</h1>
      <div role="status" className={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text}
      </div>
      <section className="card" aria-label={t('users.users')}>
        <h2>{t('users.users')}</h2>
        <div className="buttons toolbar">
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'create' })}>
            {t('users.add')}
          </button>
        </div>
        {q.error && <p className="error">{describeError(q.error, t)}</p>}
        {users.length > 0 && (
          <div className="table-wrap">
            <table aria-label={t('users.users')}>
              <thead>
                <tr>
                  <th scope="col">{t('users.name')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.extensions')}</th>
                  <th scope="col">{t('users.language')}</th>
                  <th scope="col">{t('users.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{t(`role.${u.role}`)}</td>
                    <td>{u.extensions.join(', ')}</td>
                    <td>{u.language ?? ''}</td>
                    <td className="actions">
                      <button
                        type="button"
                        onClick={() => setDialog({ kind: 'edit', user: u })}
                        aria-label={t('users.editOf', { name: u.name })}
                      >
                        {t('users.edit')}
                      </button>
                      <button
                        type="button"
                        onClick={() => setDialog({ kind: 'password', user: u })}
                        aria-label={t('users.passwordOf', { name: u.name })}
                      >
                        {t('users.resetPassword')}
                      </button>
                      {u.name !== me.name && (
                        <button
                          type="button"
                          className="danger"
                          onClick={() => setDialog({ kind: 'remove', user: u })}
                          aria-label={t('users.removeOf', { name: u.name })}
                        >
                          {t('users.remove')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Tokens users={users} me={me.name} />
      <AuditLog version={version} />

      {dialog && dialog.kind !== 'remove' && (
        <UserDialog mode={dialog} onClose={() => setDialog(undefined)} onDone={changed} />
      )}
      {dialog?.kind === 'remove' && (
        <Modal title={t('users.removeOf', { name: dialog.user.name })} onClose={() => setDialog(undefined)}>
          <p>{t('users.removeText')}</p>
          <div className="buttons">
            <button type="button" onClick={() => setDialog(undefined)} disabled={busy}>
              {t('users.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void remove(dialog.user)}>
              {t('users.remove')}
            </button>
          </div>
        </Modal>
      )}
    </main>
  );
}
