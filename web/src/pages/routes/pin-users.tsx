/** Users who unlock routes with a PIN: add one (the PIN is sent once and never shown), change its PIN, remove. */
import { type FormEvent, useId, useState } from 'react';
import { api, seg } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import type { RouterUser } from './types';

/** The section. */
export function PinUsers({
  users,
  admin,
  onChanged,
}: {
  users: RouterUser[];
  admin: boolean;
  onChanged(): void;
}) {
  const { t } = useI18n();
  const ids = { name: useId(), pin: useId() };
  const [error, setError] = useState<string>();
  const [removing, setRemoving] = useState<RouterUser>();
  const [changing, setChanging] = useState<RouterUser>();
  const [changeError, setChangeError] = useState<string>();
  const newPinId = useId();
  const [busy, setBusy] = useState(false);

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/api/v1/router/users', {
        name: String(f.get('name') ?? '').trim(),
        pin: String(f.get('pin') ?? ''),
      });
      form.reset();
      onChanged();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const changePin = async (e: FormEvent<HTMLFormElement>, u: RouterUser) => {
    e.preventDefault();
    const pin = String(new FormData(e.currentTarget).get('pin') ?? '');
    setBusy(true);
    setChangeError(undefined);
    try {
      await api('PATCH', `/api/v1/router/users/${seg(u.name)}`, { pin });
      setChanging(undefined);
      setError(undefined);
      onChanged();
    } catch (err) {
      setChangeError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (u: RouterUser) => {
    setBusy(true);
    try {
      await api('DELETE', `/api/v1/router/users/${seg(u.name)}`);
      setRemoving(undefined);
      onChanged();
    } catch (err) {
      setError(describeError(err, t));
      setRemoving(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-label={t('routes.pinUsers')}>
      <h2>{t('routes.pinUsers')}</h2>
      {users.length === 0 && <p className="muted">{t('routes.noPinUsers')}</p>}
      {users.length > 0 && (
        <table aria-label={t('routes.pinUsers')}>
          <thead>
            <tr>
              <th scope="col">{t('routes.pinUser')}</th>
              <th scope="col">{t('routes.unlocks')}</th>
              {admin && <th scope="col">{t('routes.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.name}>
                <td>{u.name}</td>
                <td>{u.routes.join(', ') || t('routes.nobody')}</td>
                {admin && (
                  <td className="actions">
                    <button
                      type="button"
                      onClick={() => {
                        setChangeError(undefined);
                        setChanging(u);
                      }}
                      aria-label={t('routes.changePinOf', { name: u.name })}
                    >
                      {t('routes.changePin')}
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setRemoving(u)}
                      aria-label={t('routes.removePinUserOf', { name: u.name })}
                    >
                      {t('routes.delete')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && (
        <form className="inline-form" onSubmit={(e) => void add(e)} aria-label={t('routes.addPinUser')}>
          <div className="field">
            <label htmlFor={ids.name}>{t('routes.pinUser')}</label>
            <input id={ids.name} name="name" required autoComplete="off" maxLength={64} />
          </div>
          <div className="field">
            <label htmlFor={ids.pin}>{t('routes.pin')}</label>
            <input
              id={ids.pin}
              name="pin"
              type="password"
              required
              inputMode="numeric"
              autoComplete="new-password"
              maxLength={12}
            />
          </div>
          <button type="submit" disabled={busy}>
            {t('routes.addPinUser')}
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {changing && (
        <Modal
          title={t('routes.changePinOf', { name: changing.name })}
          onClose={() => setChanging(undefined)}
        >
          <form onSubmit={(e) => void changePin(e, changing)}>
            <p>{t('routes.changePinText')}</p>
            <div className="field">
              <label htmlFor={newPinId}>{t('routes.newPin')}</label>
              <input
                id={newPinId}
                name="pin"
                type="password"
                required
                inputMode="numeric"
                autoComplete="new-password"
                maxLength={12}
                aria-invalid={changeError !== undefined}
              />
            </div>
            {changeError && (
              <p className="error" role="alert">
                {changeError}
              </p>
            )}
            <div className="buttons">
              <button type="button" onClick={() => setChanging(undefined)} disabled={busy}>
                {t('routes.cancel')}
              </button>
              <button type="submit" className="primary" disabled={busy}>
                {t('routes.changePin')}
              </button>
            </div>
          </form>
        </Modal>
      )}
      {removing && (
        <Modal
          title={t('routes.removePinUserOf', { name: removing.name })}
          onClose={() => setRemoving(undefined)}
        >
          <p>{t('routes.removePinUserText')}</p>
          <div className="buttons">
            <button type="button" onClick={() => setRemoving(undefined)} disabled={busy}>
              {t('routes.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void remove(removing)}>
              {t('routes.deleteConfirm')}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
