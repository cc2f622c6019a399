/** The actions of a live call: hang up (confirmed when it is someone else's), transfer, redirect. */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { api, seg } from '../api/client';
import type { Channel, Me } from '../api/types';
import { Modal } from '../components/modal';
import { partyText } from '../format';
import { useI18n } from '../i18n';
import type { CallRow } from './calls';

/** Which action. */
export type ActionKind = 'hangup' | 'transfer' | 'redirect';

/** A line to show after an action. */
export interface Notice {
  text: string;
  error?: boolean;
}

/** Props of {@link CallAction}. */
export interface CallActionProps {
  kind: ActionKind;
  row: CallRow;
  me: Me;
  onDone(notice?: Notice): void;
  describe(err: unknown): string;
}

/** The user's own channel in the call, if any, else the answering (last) leg: the usual transferer. */
function defaultTransferer(chans: Channel[], me: Me): Channel | undefined {
  const own = chans.find((c) => {
    const dev = /^[A-Za-z0-9]+\/([^-@;/]+)/.exec(c.name)?.[1];
    return dev !== undefined && me.extensions.includes(dev);
  });
  return own ?? chans[chans.length - 1];
}

/** Runs one action on a call, asking first where needed. */
export function CallAction({ kind, row, me, onDone, describe }: CallActionProps) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const ids = { to: useId(), party: useId(), ctx: useId(), exten: useId(), err: useId() };
  const unknown = t('calls.unknown');

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      onDone({ text: done });
    } catch (err) {
      if (kind === 'hangup' && row.mine) onDone({ text: describe(err), error: true });
      else setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  const hangup = () => run(() => api('DELETE', `/api/v1/calls/${seg(row.call.id)}`), t('calls.done.hangup'));

  // One's own call hangs up at once; someone else's is confirmed first.
  useEffect(() => {
    if (kind === 'hangup' && row.mine && !started.current) {
      started.current = true;
      void hangup();
    }
  });
  if (kind === 'hangup' && row.mine) return null;

  const errorLine = error && (
    <p id={ids.err} className="error" role="alert">
      {error}
    </p>
  );
  const cancel = (
    <button type="button" onClick={() => onDone()} disabled={busy}>
      {t('calls.cancel')}
    </button>
  );

  if (kind === 'hangup') {
    return (
      <Modal title={t('calls.hangupTitle')} onClose={() => onDone()}>
        <p>
          {t('calls.hangupOthers', {
            caller: partyText(row.caller, unknown),
            callee: partyText(row.callee, unknown),
          })}
        </p>
        {errorLine}
        <div className="buttons">
          {cancel}
          <button type="button" className="danger" disabled={busy} onClick={() => void hangup()}>
            {t('calls.hangupConfirm')}
          </button>
        </div>
      </Modal>
    );
  }

  if (kind === 'transfer') {
    const submit = (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      const channel = String(f.get('party') ?? '');
      const body = { to: String(f.get('to') ?? '').trim(), attended: f.get('mode') === 'attended' };
      void run(
        () => api('POST', `/api/v1/channels/${seg(channel)}/transfer`, body),
        t('calls.done.transfer'),
      );
    };
    const def = defaultTransferer(row.chans, me);
    return (
      <Modal title={t('calls.transferTitle')} onClose={() => onDone()}>
        <form onSubmit={submit} aria-describedby={error ? ids.err : undefined}>
          <div className="field">
            <label htmlFor={ids.to}>{t('calls.transferTo')}</label>
            <input id={ids.to} name="to" required inputMode="tel" autoComplete="off" maxLength={64} />
          </div>
          <div className="field">
            <label htmlFor={ids.party}>{t('calls.transferParty')}</label>
            <select id={ids.party} name="party" defaultValue={def?.id}>
              {row.chans.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>{t('calls.transferMode')}</legend>
            <label className="check">
              <input type="radio" name="mode" value="blind" defaultChecked /> {t('calls.blind')}
            </label>
            <label className="check">
              <input type="radio" name="mode" value="attended" /> {t('calls.attended')}
            </label>
          </fieldset>
          {errorLine}
          <div className="buttons">
            {cancel}
            <button type="submit" className="primary" disabled={busy}>
              {t('calls.transfer')}
            </button>
          </div>
        </form>
      </Modal>
    );
  }

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const channel = String(f.get('channel') ?? '');
    const context = String(f.get('context') ?? '').trim();
    const body = { exten: String(f.get('exten') ?? '').trim(), ...(context ? { context } : {}) };
    void run(() => api('POST', `/api/v1/channels/${seg(channel)}/redirect`, body), t('calls.done.redirect'));
  };
  return (
    <Modal title={t('calls.redirectTitle')} onClose={() => onDone()}>
      <form onSubmit={submit} aria-describedby={error ? ids.err : undefined}>
        <div className="field">
          <label htmlFor={ids.party}>{t('calls.redirectChannel')}</label>
          <select id={ids.party} name="channel" defaultValue={row.chans[0]?.id}>
            {row.chans.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.ctx}>{t('calls.context')}</label>
          <input id={ids.ctx} name="context" autoComplete="off" maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor={ids.exten}>{t('calls.exten')}</label>
          <input id={ids.exten} name="exten" required autoComplete="off" maxLength={64} />
        </div>
        {errorLine}
        <div className="buttons">
          {cancel}
          <button type="submit" className="primary" disabled={busy}>
            {t('calls.redirect')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
