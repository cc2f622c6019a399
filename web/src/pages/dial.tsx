/** Click-to-dial: "From" (own extensions; operators may type any), "To", "Call", then the call's progress. */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, seg } from '../api/client';
import { useSession } from '../api/session';
import { atLeast, type DialCall, type DialState } from '../api/types';
import { describeError } from '../components/errors';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { useLive } from '../live/hooks';

const STEPS: { key: MessageKey; states: DialState[] }[] = [
  { key: 'dial.step.ringingYou', states: ['ringing-caller'] },
  { key: 'dial.step.ringingThem', states: ['caller-answered', 'ringing-callee'] },
  { key: 'dial.step.connected', states: ['connected'] },
  { key: 'dial.step.ended', states: ['ended', 'failed'] },
];
const ORDER: DialState[] = [
  'ringing-caller',
  'caller-answered',
  'ringing-callee',
  'connected',
  'ended',
  'failed',
];
const FINAL = new Set<DialState>(['ended', 'failed']);

/** The newest of two views of the same request (live message or REST answer). */
function newest(a: DialCall | undefined, b: DialCall | undefined): DialCall | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return ORDER.indexOf(a.state) >= ORDER.indexOf(b.state) ? a : b;
}

/** The Click-to-dial page. */
export function DialPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const live = useLive();
  const [request, setRequest] = useState<DialCall>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = { from: useId(), to: useId(), list: useId(), err: useId(), progress: useId() };
  const polled = useQuery({
    queryKey: ['dial', request?.id],
    enabled: request !== undefined,
    queryFn: () => api<DialCall>('GET', `/api/v1/calls/${seg(request!.id)}`),
    // The live stream carries the progress; polling only covers a dropped stream.
    refetchInterval: (q) => (q.state.data && FINAL.has(q.state.data.state) ? false : 2000),
  });
  if (!me) return null;
  const operator = atLeast(me.role, 'operator');
  let current = request;
  for (const m of live.events) {
    if (m.type === 'click-to-dial' && request && m.call.id === request.id) current = newest(current, m.call);
  }
  current = newest(current, polled.data);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<DialCall>('POST', '/api/v1/calls', {
        from: String(f.get('from') ?? '').trim(),
        to: String(f.get('to') ?? '').trim(),
      });
      setRequest(r);
    } catch (err) {
      setError(t('dial.failed', { message: describeError(err, t) }));
    } finally {
      setBusy(false);
    }
  };

  const active = current !== undefined && !FINAL.has(current.state);
  const stepIndex = current ? STEPS.findIndex((s) => s.states.includes(current.state)) : -1;
  const noExtension = !operator && me.extensions.length === 0;

  return (
    <main id="main" tabIndex={-1}>
      <h1>{t('dial.title')}</h1>
      <p className="muted">{t('dial.help')}</p>
      {noExtension ? (
        <p className="error">{t('dial.noExtension')}</p>
      ) : (
        <form className="card dial" onSubmit={submit} aria-describedby={error ? ids.err : undefined}>
          <div className="field">
            <label htmlFor={ids.from}>{t('dial.from')}</label>
            {operator ? (
              <>
                <input
                  id={ids.from}
                  name="from"
                  required
                  defaultValue={me.extensions[0] ?? ''}
                  list={ids.list}
                  autoComplete="off"
                  maxLength={40}
                />
                <datalist id={ids.list}>
                  {me.extensions.map((x) => (
                    <option key={x} value={x} />
                  ))}
                </datalist>
              </>
            ) : (
              <select id={ids.from} name="from" defaultValue={me.extensions[0]}>
                {me.extensions.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('dial.to')}</label>
            <input id={ids.to} name="to" required inputMode="tel" autoComplete="off" maxLength={64} />
          </div>
          {error && (
            <p id={ids.err} className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy || active}>
            {t('dial.call')}
          </button>
        </form>
      )}
      {current && (
        <section className="card" aria-labelledby={ids.progress}>
          <h2 id={ids.progress}>{t('dial.progress')}</h2>
          <p>
            {current.from} → {current.to}
          </p>
          <ol className="steps">
            {STEPS.map((s, i) => (
              <li
                key={s.key}
                className={i < stepIndex ? 'done' : i === stepIndex ? 'now' : 'todo'}
                aria-current={i === stepIndex ? 'step' : undefined}
              >
                {t(s.key)}
              </li>
            ))}
          </ol>
          <p role="status" data-state={current.state}>
            {current.state === 'failed'
              ? t('dial.failed', { message: current.reason ?? '' })
              : t('dial.stateNow', { step: t(STEPS[Math.max(0, stepIndex)]!.key) })}
            {current.state === 'ended' && current.reason ? ` (${current.reason})` : ''}
          </p>
        </section>
      )}
    </main>
  );
}
