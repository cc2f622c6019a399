/**
 * Resync and reboot (SIP NOTIFY through the manager): one phone, or every phone of a brand and model. Shows what was
 * sent and what Asterisk answered; when PJSIPNotify is missing (409 `ADMIN_NOTIFY_UNAVAILABLE`: res_pjsip_notify did
 * not load for want of `pjsip_notify.conf`) it says so and offers the fix (`POST /api/v1/phones/notify-config`).
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, seg } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import type { Phone } from './types';

/** Brands with a known resync / reboot NOTIFY (the server refuses the others). */
export const NOTIFY_BRANDS = ['yealink', 'snom', 'polycom', 'grandstream'] as const;

/** Whether a phone can be resynced or rebooted. */
export const canNotify = (p: Phone): boolean => (NOTIFY_BRANDS as readonly string[]).includes(p.brand);

/** One NOTIFY's outcome (`POST /api/v1/phones/:extension/resync|reboot`, `POST /api/v1/phones/resync`). */
export interface NotifyOutcome {
  pbx: string;
  extension: string;
  brand: string;
  kind: 'resync' | 'reboot';
  action: string;
  params: Record<string, string | string[]>;
  ok: boolean;
  response: string;
  message: string;
  note: string;
}

/** What to notify: one phone, or the phones of a brand (and model). */
export type NotifyTarget =
  | { kind: 'phone'; phone: Phone; action: 'resync' | 'reboot' }
  | { kind: 'model'; brand?: string; model?: string };

interface FixStep {
  action: string;
  ok: boolean;
  message: string;
}

type State =
  | { s: 'ask' }
  | { s: 'sending' }
  | { s: 'done'; results: NotifyOutcome[] }
  | { s: 'unavailable'; pbx: string; message: string }
  | { s: 'fixing'; pbx: string; message: string }
  | { s: 'fixed'; pbx: string; available: boolean; steps: FixStep[] }
  | { s: 'error'; message: string };

function sentAs(o: NotifyOutcome): string {
  return Object.entries(o.params)
    .map(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`).join(', ') : `${k}: ${v}`))
    .join(', ');
}

/** The table of outcomes. */
export function NotifyResults({ results }: { results: NotifyOutcome[] }) {
  const { t } = useI18n();
  const sent = results.filter((r) => r.ok).length;
  return (
    <>
      <p role="status">{t('phones.notifyCount', { sent, total: results.length })}</p>
      <div className="table-wrap">
        <table aria-label={t('phones.notifyResults')}>
          <thead>
            <tr>
              <th scope="col">{t('phones.extension')}</th>
              <th scope="col">{t('phones.notifySent')}</th>
              <th scope="col">{t('phones.notifyAnswer')}</th>
              <th scope="col">{t('phones.notifyNote')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={`${r.pbx}/${r.extension}`}>
                <td>{r.extension}</td>
                <td>
                  <code>{r.action}</code> <span className="small">{sentAs(r)}</span>
                </td>
                <td className={r.ok ? 'ok' : 'bad'}>
                  {r.response}
                  {r.message ? `: ${r.message}` : ''}
                </td>
                <td className="small">{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t('phones.notifySilent')}</p>
    </>
  );
}

/** The resync / reboot dialog. `onFetchLog` opens the phone's provisioning log (one phone only). */
export function NotifyDialog({
  target,
  phones,
  onClose,
  onFetchLog,
}: {
  target: NotifyTarget;
  /** The listed phones (to say "none of that model" before asking the server). */
  phones?: Phone[];
  onClose(): void;
  onFetchLog?(phone: Phone): void;
}) {
  const { t } = useI18n();
  const single = target.kind === 'phone' ? target : undefined;
  // A resync of one phone is harmless: it is sent at once. A reboot or a whole model is asked first.
  const [state, setState] = useState<State>(single?.action === 'resync' ? { s: 'sending' } : { s: 'ask' });
  const [brand, setBrand] = useState<string>(
    target.kind === 'model' ? (target.brand ?? NOTIFY_BRANDS[0]) : NOTIFY_BRANDS[0],
  );
  const [model, setModel] = useState(target.kind === 'model' ? (target.model ?? '') : '');
  const [kind, setKind] = useState<'resync' | 'reboot'>('resync');
  const started = useRef(false);

  const send = async () => {
    setState({ s: 'sending' });
    try {
      if (single) {
        const p = single.phone;
        const r = await api<NotifyOutcome>(
          'POST',
          `/api/v1/phones/${seg(p.extension)}/${single.action}?pbx=${seg(p.pbx)}`,
        );
        setState({ s: 'done', results: [r] });
      } else {
        const body = { brand, kind, ...(model.trim() ? { model: model.trim() } : {}) };
        const r = await api<{ results: NotifyOutcome[] }>('POST', '/api/v1/phones/resync', body);
        setState({ s: 'done', results: r.results });
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ADMIN_NOTIFY_UNAVAILABLE') {
        const pbx = /^PBX (\S+):/.exec(err.message)?.[1] ?? single?.phone.pbx ?? '';
        setState({ s: 'unavailable', pbx, message: err.message });
      } else setState({ s: 'error', message: describeError(err, t) });
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: sent once, when the dialog opens on a resync
  useEffect(() => {
    if (state.s === 'sending' && !started.current) {
      started.current = true;
      void send();
    }
  }, []);

  const fix = async (pbx: string, message: string) => {
    setState({ s: 'fixing', pbx, message });
    try {
      const r = await api<{ pbx: string; available: boolean; steps: FixStep[] }>(
        'POST',
        `/api/v1/phones/notify-config${pbx ? `?pbx=${seg(pbx)}` : ''}`,
      );
      setState({ s: 'fixed', pbx: r.pbx, available: r.available, steps: r.steps });
    } catch (err) {
      setState({ s: 'error', message: describeError(err, t) });
    }
  };

  const title = single
    ? t(single.action === 'resync' ? 'phones.resyncTitle' : 'phones.rebootTitle', {
        extension: single.phone.extension,
      })
    : t('phones.bulkTitle');
  const modelPhones = (phones ?? []).filter(
    (p) =>
      p.brand === brand && (!model.trim() || (p.model ?? '').toLowerCase() === model.trim().toLowerCase()),
  );
  const submitBulk = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };
  const close = (
    <button type="button" onClick={onClose}>
      {t('phones.close')}
    </button>
  );

  return (
    <Modal title={title} onClose={onClose}>
      {state.s === 'ask' && single && (
        <>
          <p>{t('phones.rebootText')}</p>
          <div className="buttons">
            <button type="button" onClick={onClose}>
              {t('phones.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => void send()}>
              {t('phones.rebootConfirm')}
            </button>
          </div>
        </>
      )}
      {state.s === 'ask' && !single && (
        <form onSubmit={submitBulk} aria-label={title}>
          <div className="field">
            <label htmlFor="bulk-brand">{t('phones.type')}</label>
            <select id="bulk-brand" value={brand} onChange={(e) => setBrand(e.target.value)}>
              {NOTIFY_BRANDS.map((b) => (
                <option key={b} value={b}>
                  {t(`phones.brand.${b}` as 'phones.brand.generic')}
                </option>
              ))}
            </select>
            <p className="muted small">{t('phones.noNotify')}</p>
          </div>
          <div className="field">
            <label htmlFor="bulk-model">{t('phones.bulkModel')}</label>
            <input
              id="bulk-model"
              value={model}
              maxLength={40}
              onChange={(e) => setModel(e.target.value)}
              autoComplete="off"
            />
          </div>
          <fieldset>
            <legend>{t('phones.bulkKind')}</legend>
            <label>
              <input
                type="radio"
                name="bulk-kind"
                checked={kind === 'resync'}
                onChange={() => setKind('resync')}
              />{' '}
              {t('phones.bulkResync')}
            </label>
            <label>
              <input
                type="radio"
                name="bulk-kind"
                checked={kind === 'reboot'}
                onChange={() => setKind('reboot')}
              />{' '}
              {t('phones.bulkReboot')}
            </label>
          </fieldset>
          {phones && modelPhones.length === 0 && <p className="muted">{t('phones.bulkNone')}</p>}
          {kind === 'reboot' && <p>{t('phones.rebootText')}</p>}
          <div className="buttons">
            <button type="button" onClick={onClose}>
              {t('phones.cancel')}
            </button>
            <button
              type="submit"
              className={kind === 'reboot' ? 'danger' : 'primary'}
              disabled={phones !== undefined && modelPhones.length === 0}
            >
              {t('phones.bulkSend')}
            </button>
          </div>
        </form>
      )}
      {state.s === 'sending' && <p role="status">{t('phones.sending')}</p>}
      {state.s === 'done' && (
        <>
          <NotifyResults results={state.results} />
          <div className="buttons">
            {single && onFetchLog && (
              <button type="button" onClick={() => onFetchLog(single.phone)}>
                {t('phones.fetches')}
              </button>
            )}
            <button type="button" className="primary" onClick={onClose}>
              {t('phones.done')}
            </button>
          </div>
        </>
      )}
      {(state.s === 'unavailable' || state.s === 'fixing') && (
        <section aria-label={t('phones.notifyUnavailableTitle', { pbx: state.pbx })}>
          <h3>{t('phones.notifyUnavailableTitle', { pbx: state.pbx })}</h3>
          <p className="error" role="alert">
            {state.message}
          </p>
          <div className="buttons">
            {close}
            <button
              type="button"
              className="primary"
              disabled={state.s === 'fixing'}
              onClick={() => void fix(state.pbx, state.message)}
            >
              {state.s === 'fixing' ? t('phones.notifyFixing') : t('phones.notifyFix')}
            </button>
          </div>
        </section>
      )}
      {state.s === 'fixed' && (
        <>
          <h3>{t('phones.asteriskAnswer')}</h3>
          <ol className="asterisk-steps">
            {state.steps.map((s) => (
              <li key={s.action}>
                <code>{s.action}</code>{' '}
                <span className={s.ok ? 'ok' : 'bad'}>
                  {s.ok ? t('phones.stepOk') : t('phones.stepFailed')}
                </span>
                {s.message ? ` — ${s.message}` : ''}
              </li>
            ))}
          </ol>
          <p role="status" className={state.available ? 'ok' : 'error'}>
            {state.available ? t('phones.notifyFixed') : t('phones.notifyStillMissing')}
          </p>
          <div className="buttons">
            {close}
            {state.available && (
              <button type="button" className="primary" onClick={() => void send()}>
                {t('phones.tryAgain')}
              </button>
            )}
          </div>
        </>
      )}
      {state.s === 'error' && (
        <>
          <p className="error" role="alert">
            {state.message}
          </p>
          <div className="buttons">{close}</div>
        </>
      )}
    </Modal>
  );
}
