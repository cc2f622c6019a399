/** Sign in: "Username", "Password", "Sign in"; errors in words; the password is never shown or kept. */
import { type FormEvent, useId, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError } from '../api/client';
import { useSession } from '../api/session';
import { describeError } from '../components/errors';
import { LanguagePicker } from '../components/language';
import { useI18n } from '../i18n';

/** The sign-in page. */
export function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [, navigate] = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const password = useRef<HTMLInputElement>(null);
  const userId = useId();
  const passId = useId();
  const errId = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await signIn(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
      navigate('/', { replace: true });
    } catch (err) {
      if (password.current) password.current.value = '';
      if (err instanceof ApiError && (err.status === 401 || err.code === 'BAD_CREDENTIALS'))
        setError(t('login.bad'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.locked'));
      else setError(t('login.failed', { message: describeError(err, t) }));
      password.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <div className="login-lang">
        <LanguagePicker />
      </div>
      <form className="card" onSubmit={submit} aria-describedby={error ? errId : undefined}>
        <h1>{t('login.title')}</h1>
        <p className="brand">{t('app.name')}</p>
        <div className="field">
          <label htmlFor={userId}>{t('login.username')}</label>
          <input id={userId} name="username" autoComplete="username" required autoCapitalize="none" />
        </div>
        <div className="field">
          <label htmlFor={passId}>{t('login.password')}</label>
          <input
            id={passId}
            ref={password}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </div>
        {error && (
          <p id={errId} className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
