/** API tokens: create one (scope, expiry; shown once with a copy button), revoke with confirmation. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { CopyField, OnceWarning } from '../phones/shown-once';
import { SCOPES, type Token, type User } from './types';

/** The tokens section. */
export function Tokens({ users, me }: { users: User[]; me: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const ids = { name: useId(), user: useId(), scope: useId(), days: useId() };
  const [created, setCreated] = useState<Token & { token: string }>();
  const [revoking, setRevoking] = useState<Token>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const q = useQuery({ queryKey: ['tokens'], queryFn: () => api<Token[]>('GET', '/api/v1/tokens') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['tokens'] });

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const days = String(f.get('days') ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<Token & { token: string }>('POST', '/api/v1/tokens', {
        name: String(f.get('name') ?? '').trim(),
        user: String(f.get('user') ?? me),
        scope: String(f.get('scope') ?? 'all'),
        ...(days ? { expiresDays: Number(days) } : {}),
      });
      form.reset();
      setCreated(r);
      void refresh();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (tok: Token) => {
    setBusy(true);
    try {
      await api('DELETE', `/api/v1/tokens/${tok.id}`);
      void refresh();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setRevoking(undefined);
      setBusy(false);
    }
  };
  const date = (s: string | null) => (s ? new Date(s).toLocaleString() : '');

  return (
    <section className="card" aria-label={t('users.tokens')}>
      <h2>{t('users.tokens')}</h2>
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && q.data.length === 0 && <p className="muted">{t('users.noTokens')}</p>}
      {q.data && q.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('users.tokens')}>
            <thead>
              <tr>
                <th scope="col">{t('users.tokenName')}</th>
                <th scope="col">{t('users.tokenUser')}</th>
                <th scope="col">{t('users.scope')}</th>
                <th scope="col">{t('users.prefix')}</th>
                <th scope="col">{t('users.expires')}</th>
                <th scope="col">{t('users.lastUsed')}</th>
                <th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.map((tok) => (
                <tr key={tok.id}>
                  <td>{tok.name}</td>
                  <td>{tok.account}</td>
                  <td>{tok.scope}</td>
                  <td>
                    <code>{tok.prefix}…</code>
                  </td>
                  <td>{tok.expiresAt ? date(tok.expiresAt) : t('users.never')}</td>
                  <td>{date(tok.lastUsedAt)}</td>
                  <td className="actions">
                    {tok.revokedAt ? (
                      <span className="muted">{t('users.revokedAt', { at: date(tok.revokedAt) })}</span>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setRevoking(tok)}
                        aria-label={t('users.revokeOf', { name: tok.name })}
                      >
                        {t('users.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" onSubmit={(e) => void create(e)} aria-label={t('users.createToken')}>
        <div className="field">
          <label htmlFor={ids.name}>{t('users.tokenName')}</label>
          <input id={ids.name} name="name" required maxLength={100} autoComplete="off" placeholder="CRM" />
        </div>
        <div className="field">
          <label htmlFor={ids.user}>{t('users.tokenUser')}</label>
          <select id={ids.user} name="user" defaultValue={me}>
            {users.map((u) => (
              <option key={u.name} value={u.name}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.scope}>{t('users.scope')}</label>
          <select id={ids.scope} name="scope" defaultValue="all">
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`users.scope.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.days}>{t('users.expiresDays')}</label>
          <input id={ids.days} name="days" type="number" min={1} max={3650} inputMode="numeric" />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t('users.createToken')}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <Modal title={t('users.tokenCreated', { name: created.name })} onClose={() => setCreated(undefined)}>
          <OnceWarning />
          <CopyField label={t('users.token')} value={created.token} />
          <p className="muted small">{t('users.tokenUse')}</p>
          <div className="buttons">
            <button type="button" className="primary" onClick={() => setCreated(undefined)}>
              {t('users.done')}
            </button>
          </div>
        </Modal>
      )}
      {revoking && (
        <Modal title={t('users.revokeOf', { name: revoking.name })} onClose={() => setRevoking(undefined)}>
          <p>{t('users.revokeText', { user: revoking.account })}</p>
          <div className="buttons">
            <button type="button" onClick={() => setRevoking(undefined)} disabled={busy}>
              {t('users.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void revoke(revoking)}>
              {t('users.revoke')}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
