/** Home's "Lines" panel: one row per trunk with its live state (colour and words), since when, and "Re-register". */
import { useState } from 'react';
import { Link } from 'wouter';
import { api, seg } from '../../api/client';
import { useSession } from '../../api/session';
import { atLeast, type Trunk } from '../../api/types';
import { describeError } from '../../components/errors';
import { useNow } from '../../components/use-now';
import { useI18n } from '../../i18n';
import { useLive } from '../../live/hooks';
import { kindText, lasted, TrunkState, when } from './state';
import './trunks.css';

/** Trunks sorted by PBX then name (a stable order: rows never jump when a state changes). */
export function sortedTrunks(trunks: ReadonlyMap<string, Trunk>): Trunk[] {
  return [...trunks.values()].sort((a, b) =>
    a.server === b.server ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.server < b.server ? -1 : 1,
  );
}

/** The last reason, or Asterisk's status word when it says more than the state already does. */
function reasonText(tr: Trunk): string {
  if (tr.reason) return tr.reason;
  return tr.status && tr.status.toLowerCase() !== tr.state ? tr.status : '';
}

/** The trunks table (Home's panel and the Trunks page share it). */
export function TrunksTable(props: { label: string; onHistory?: (t: Trunk) => void }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const live = useLive();
  const now = useNow(1000);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const operator = me ? atLeast(me.role, 'operator') : false;
  const rows = sortedTrunks(live.trunks);
  const multi = live.pbx.length > 1;
  const reregister = async (tr: Trunk) => {
    setBusy(tr.id);
    try {
      await api('POST', `/api/v1/trunks/${seg(tr.id)}/register`);
      setNotice({ text: t('trunks.reregistered', { name: tr.name }), error: false });
    } catch (err) {
      setNotice({ text: describeError(err, t), error: true });
    } finally {
      setBusy(undefined);
    }
  };
  if (rows.length === 0) return <p className="muted">{t('trunks.none')}</p>;
  return (
    <>
      <output className={`notice${notice?.error ? ' error' : ''}`}>{notice?.text ?? ''}</output>
      <div className="table-wrap">
        <table aria-label={props.label}>
          <thead>
            <tr>
              <th scope="col">{t('trunks.name')}</th>
              <th scope="col">{t('trunks.state')}</th>
              <th scope="col">{t('trunks.since')}</th>
              <th scope="col">{t('trunks.reason')}</th>
              {(operator || props.onHistory) && <th scope="col">{t('trunks.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((tr) => {
              // With several PBXs the same trunk name may exist on each: the buttons' names say which.
              const label = multi ? `${tr.name} (${tr.server})` : tr.name;
              return (
                <tr key={tr.id}>
                  <td>
                    {tr.name}
                    <div className="muted small">
                      {kindText(tr.kind, t)}
                      {multi && ` · ${tr.server}`}
                    </div>
                  </td>
                  <td>
                    <TrunkState state={tr.state} t={t} />
                  </td>
                  <td className="num">
                    {when(tr.since, lang)}
                    <div className="muted small">{lasted(Math.max(0, now - tr.since))}</div>
                  </td>
                  <td>{reasonText(tr)}</td>
                  {(operator || props.onHistory) && (
                    <td className="actions">
                      {operator && (tr.kind === 'pjsip-registration' || tr.kind === 'sip-registration') && (
                        <button
                          type="button"
                          disabled={busy === tr.id}
                          aria-label={t('trunks.reregisterOf', { name: label })}
                          onClick={() => void reregister(tr)}
                        >
                          {t('trunks.reregister')}
                        </button>
                      )}
                      {props.onHistory && (
                        <button
                          type="button"
                          aria-label={t('trunks.historyOf', { name: label })}
                          onClick={() => props.onHistory?.(tr)}
                        >
                          {t('trunks.history')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The Lines panel of Home. */
export function LinesPanel() {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="h-lines">
      <h2 id="h-lines">{t('trunks.lines')}</h2>
      <TrunksTable label={t('trunks.lines')} />
      <p>
        <Link href="/trunks">{t('trunks.allLink')}</Link>
      </p>
    </section>
  );
}
