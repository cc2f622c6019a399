/** Live calls: one row per call in start order, durations ticking, and the actions the role allows. */
import { memo, useState } from 'react';
import { useSession } from '../api/session';
import { atLeast, type Call, type Channel, type Me } from '../api/types';
import { describeError } from '../components/errors';
import { useNow } from '../components/use-now';
import {
  callChannels,
  callState,
  channelExtensions,
  duration,
  type Party,
  parties,
  partyText,
} from '../format';
import { useI18n } from '../i18n';
import { useLive } from '../live/hooks';
import { type ActionKind, CallAction, type Notice } from './call-actions';

/** A row's precomputed facts. */
export interface CallRow {
  call: Call;
  chans: Channel[];
  caller: Party;
  callee: Party;
  mine: boolean;
}

function rowOf(call: Call, channels: ReadonlyMap<string, Channel>, me: Me): CallRow {
  const chans = callChannels(call, channels);
  const { caller, callee } = parties(call, chans);
  const involved = chans.flatMap(channelExtensions);
  return { call, chans, caller, callee, mine: involved.some((e) => me.extensions.includes(e)) };
}

/** The Live calls page. */
export function CallsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const live = useLive();
  const now = useNow(1000);
  const [action, setAction] = useState<{ kind: ActionKind; row: CallRow }>();
  const [notice, setNotice] = useState<Notice>();
  if (!me) return null;
  const rows = live.calls.map((c) => rowOf(c, live.channels, me));
  const mayAct = (r: CallRow) => atLeast(me.role, 'operator') || (me.role === 'agent' && r.mine);
  const anyActions = atLeast(me.role, 'agent');
  const pbxName = (id: string) => live.pbx.find((p) => p.id === id)?.name || id;

  return (
    <main id="main" tabIndex={-1}>
      <h1 id="calls-title">{t('calls.title')}</h1>
      <p className="muted" aria-live="polite">
        {rows.length === 0 ? t('calls.empty') : t('calls.count', { n: rows.length })}
      </p>
      <div role="status" className={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text}
      </div>
      <div className="table-wrap">
        <table aria-labelledby="calls-title" className="calls">
          <thead>
            <tr>
              <th scope="col">{t('calls.caller')}</th>
              <th scope="col">{t('calls.callee')}</th>
              <th scope="col">{t('calls.state')}</th>
              <th scope="col">{t('calls.duration')}</th>
              <th scope="col">{t('calls.queue')}</th>
              <th scope="col">{t('calls.pbx')}</th>
              {anyActions && <th scope="col">{t('calls.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Row
                key={r.call.id}
                row={r}
                seconds={Math.round((now - r.call.startedAt) / 1000)}
                pbx={pbxName(r.call.server)}
                actions={anyActions}
                mayAct={mayAct(r)}
                mayRedirect={atLeast(me.role, 'supervisor')}
                onAction={(kind) => {
                  setNotice(undefined);
                  setAction({ kind, row: r });
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      {action && (
        <CallAction
          kind={action.kind}
          row={action.row}
          me={me}
          onDone={(n) => {
            setAction(undefined);
            if (n) setNotice(n);
          }}
          describe={(err) => describeError(err, t)}
        />
      )}
    </main>
  );
}

interface RowProps {
  row: CallRow;
  seconds: number;
  pbx: string;
  actions: boolean;
  mayAct: boolean;
  mayRedirect: boolean;
  onAction(kind: ActionKind): void;
}

const Row = memo(function Row({ row, seconds, pbx, actions, mayAct, mayRedirect, onAction }: RowProps) {
  const { t } = useI18n();
  const unknown = t('calls.unknown');
  const { state, raw } = callState(row.chans);
  const visit = row.call.queues[row.call.queues.length - 1];
  const caller = partyText(row.caller, unknown);
  const callee = partyText(row.callee, unknown);
  return (
    <tr data-call-id={row.call.id}>
      <td data-label={t('calls.caller')}>{caller}</td>
      <td data-label={t('calls.callee')}>{callee}</td>
      <td data-label={t('calls.state')}>
        <span className={`state state-${state}`}>{t(`calls.state.${state}`, { state: raw })}</span>
      </td>
      <td className="num" data-label={t('calls.duration')}>
        <time dateTime={`PT${seconds}S`}>{duration(seconds)}</time>
      </td>
      <td data-label={t('calls.queue')}>
        {visit ? (visit.agent ? `${visit.queue} / ${visit.agent}` : visit.queue) : ''}
      </td>
      <td data-label={t('calls.pbx')}>{pbx}</td>
      {actions && (
        <td className="actions">
          {mayAct && (
            <>
              <button
                type="button"
                className="danger"
                aria-label={`${t('calls.hangup')}: ${t('calls.rowLabel', { caller, callee })}`}
                onClick={() => onAction('hangup')}
              >
                {t('calls.hangup')}
              </button>
              <button
                type="button"
                aria-label={`${t('calls.transfer')}: ${t('calls.rowLabel', { caller, callee })}`}
                onClick={() => onAction('transfer')}
              >
                {t('calls.transfer')}
              </button>
            </>
          )}
          {mayRedirect && (
            <button
              type="button"
              aria-label={`${t('calls.redirect')}: ${t('calls.rowLabel', { caller, callee })}`}
              onClick={() => onAction('redirect')}
            >
              {t('calls.redirect')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
});
