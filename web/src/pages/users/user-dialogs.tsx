/** Dialogs of the Users page: create a user, change role and extensions, reset a password. */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, seg } from '../../api/client';
import { ROLES } from '../../api/types';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import type { User } from './types';

type Mode = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'password'; user: User };

const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** One dialog; `onDone(text)` closes it with a notice. */
export function UserDialog({
  mode,
  onClose,
  onDone,
}: {
  mode: Mode;
  onClose(): void;
  onDone(text: string): void;
}) {
  const { t } = useI18n();
  const base = useId();
  const id = (f: string) => `${base}-${f}`;
  const [error, setError] = useState<{ field?: string; text: string }>();
  const [busy, setBusy] = useState(false);
  const user = mode.kind === 'create' ? undefined : mode.user;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      if (mode.kind === 'create') {
        await api('POST', '/api/v1/users', {
          name: text('name'),
          role: text('role'),
          password: String(f.get('password') ?? ''),
          extensions: list(text('extensions')),
        });
        onDone(t('users.created', { name: text('name') }));
      } else if (mode.kind === 'edit') {
        await api('PATCH', `/api/v1/users/${seg(mode.user.name)}`, {
          role: text('role'),
          extensions: list(text('extensions')),
        });
        onDone(t('users.updated', { name: mode.user.name }));
      } else {
        await api('PATCH', `/api/v1/users/${seg(mode.user.name)}`, {
          password: String(f.get('password') ?? ''),
        });
        onDone(t('users.passwordSet', { name: mode.user.name }));
      }
    } catch (err) {
      const field =
        err instanceof ApiError && err.field ? err.field.replace(/^body\./, '').split('.')[0] : undefined;
      setError({ text: describeError(err, t), ...(field ? { field } : {}) });
    } finally {
      setBusy(false);
    }
  };

  const errorFor = (f: string) =>
    error?.field === f ? (
      <span id={id(`${f}-error`)} className="error field-error">
        {error.text}
      </span>
    ) : null;
  const described = (f: string) =>
    error?.field === f ? { 'aria-describedby': id(`${f}-error`), 'aria-invalid': true as const } : {};
  const title =
    mode.kind === 'create'
      ? t('users.createTitle')
      : mode.kind === 'edit'
        ? t('users.editTitle', { name: mode.user.name })
        : t('users.passwordTitle', { name: mode.user.name });

  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        {mode.kind === 'create' && (
          <div className="field">
            <label htmlFor={id('name')}>{t('users.name')}</label>
            <input
              id={id('name')}
              name="name"
              required
              autoComplete="off"
              maxLength={64}
              {...described('name')}
            />
            {errorFor('name')}
          </div>
        )}
        {mode.kind !== 'password' && (
          <>
            <div className="field">
              <label htmlFor={id('role')}>{t('users.role')}</label>
              <select id={id('role')} name="role" defaultValue={user?.role ?? 'agent'} {...described('role')}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
              {errorFor('role')}
            </div>
            <div className="field">
              <label htmlFor={id('extensions')}>{t('users.extensions')}</label>
              <input
                id={id('extensions')}
                name="extensions"
                autoComplete="off"
                defaultValue={user?.extensions.join(', ') ?? ''}
                aria-describedby={`${id('extensions-hint')}${error?.field === 'extensions' ? ` ${id('extensions-error')}` : ''}`}
              />
              <span id={id('extensions-hint')} className="muted small">
                {t('users.extensionsHint')}
              </span>
              {errorFor('extensions')}
            </div>
          </>
        )}
        {mode.kind !== 'edit' && (
          <div className="field">
            <label htmlFor={id('password')}>
              {mode.kind === 'create' ? t('users.password') : t('users.newPassword')}
            </label>
            <input
              id={id('password')}
              name="password"
              type="password"
              required
              minLength={8}
              autoComplete="new-password"
              {...described('password')}
            />
            {errorFor('password')}
          </div>
        )}
        {error && !error.field && (
          <p className="error" role="alert">
            {error.text}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            {t('users.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {mode.kind === 'create' ? t('users.create') : t('users.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
