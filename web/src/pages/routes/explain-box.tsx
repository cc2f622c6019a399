/** The live "explain" box: what happens if extension X dials Y now (or at a chosen time)? Re-asked as you type. */
import { useEffect, useId, useState } from 'react';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { type Translate, useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import type { Explanation } from './types';

const DEBOUNCE_MS = 250;

/** The box; `version` changes when the rules change, so the answer is asked again. */
export function ExplainBox({ version }: { version: number }) {
  const { t } = useI18n();
  const ids = { caller: useId(), dialed: useId(), at: useId() };
  const [caller, setCaller] = useState('');
  const [dialed, setDialed] = useState('');
  const [at, setAt] = useState('');
  const [answer, setAnswer] = useState<Explanation>();
  const [error, setError] = useState<string>();

  // `version` is a dependency on purpose: a change of the rules asks the same question again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (!dialed.trim()) {
      setAnswer(undefined);
      setError(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      const when = at ? new Date(at) : undefined;
      api<Explanation>('POST', '/api/v1/routes/explain', {
        dialed: dialed.trim(),
        caller: caller.trim(),
        ...(when && !Number.isNaN(when.getTime()) ? { at: when.toISOString() } : {}),
      })
        .then((r) => {
          if (!live) return;
          setAnswer(r);
          setError(undefined);
        })
        .catch((err: unknown) => {
          if (live) setError(describeError(err, t));
        });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [caller, dialed, at, t, version]);

  return (
    <section className="card explain" aria-label={t('routes.explainTitle')}>
      <h2>{t('routes.explainTitle')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => e.preventDefault()}
        aria-label={t('routes.explainTitle')}
      >
        <div className="field">
          <label htmlFor={ids.caller}>{t('routes.explainCaller')}</label>
          <input id={ids.caller} value={caller} onChange={(e) => setCaller(e.target.value)} maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor={ids.dialed}>{t('routes.explainDialed')}</label>
          <input
            id={ids.dialed}
            value={dialed}
            onChange={(e) => setDialed(e.target.value)}
            inputMode="tel"
            maxLength={80}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.at}>{t('routes.explainAt')}</label>
          <input id={ids.at} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </div>
      </form>
      <output className="explain-answer" aria-live="polite" aria-label={t('routes.explainAnswer')}>
        {error && <span className="error">{error}</span>}
        {!error && !answer && <span className="muted">{t('routes.explainPrompt')}</span>}
        {!error && answer && <Answer e={answer} />}
      </output>
    </section>
  );
}

const VERDICTS: Record<string, MessageKey> = {
  chosen: 'routes.verdict.chosen',
  disabled: 'routes.verdict.disabled',
  'caller-id does not match': 'routes.verdict.callerId',
  'time window closed': 'routes.verdict.closed',
  'lower precedence': 'routes.verdict.lower',
};

function verdictText(v: string, t: Translate): string {
  const key = VERDICTS[v];
  return key ? t(key) : v;
}

function Answer({ e }: { e: Explanation }) {
  const { t } = useI18n();
  return (
    <div>
      <p>
        <strong>
          {e.route === null
            ? t('routes.explainNone')
            : t('routes.explainWinner', { route: e.route, app: e.app ?? '', number: e.number ?? '' })}
        </strong>
      </p>
      {e.route !== null && (
        <ul className="explain-facts">
          {e.failover.length > 0 && (
            <li>
              {t('routes.explainDialOrder')}{' '}
              {e.failover.map((f, i) => (
                <code key={f}>
                  {i + 1}. {f}{' '}
                </code>
              ))}
            </li>
          )}
          <li>
            {e.pin === 'not needed'
              ? t('routes.explainNoPin', { caller: e.caller, route: e.route })
              : e.unlockedBy.length
                ? t('routes.explainPin', { users: e.unlockedBy.join(', ') })
                : t('routes.explainPinNobody')}
          </li>
          <li>{t('routes.explainWindow', { window: e.window ?? '' })}</li>
          {e.error && <li className="error">{t('routes.explainError', { error: e.error })}</li>}
        </ul>
      )}
      {e.candidates.length > 0 && (
        <ol className="explain-candidates" aria-label={t('routes.explainCandidates')}>
          {e.candidates.map((c) => (
            <li key={c.route}>
              <code>{c.pattern}</code> {c.route}: {verdictText(c.verdict, t)}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
