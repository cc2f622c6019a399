/** One queue's card on the Call centre page. */
import { type FormEvent, useId } from 'react';
import { atLeast, type Me, type Queue, type QueueMember } from '../../api/types';
import { duration, partyText } from '../../format';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import { agentState, mayManage } from './agents';

/** Props of {@link QueueCard}. */
export interface QueueCardProps {
  q: Queue;
  pbx: string;
  now: number;
  me: Me;
  onPause(m: QueueMember): void;
  onRemove(m: QueueMember): void;
  onMove(m: QueueMember): void;
  onAdd(iface: string, penalty: number | undefined): void;
}

/** One queue: its figures, callers waiting, agents and (for supervisors) the add form. */
export function QueueCard({ q, pbx, now, me, onPause, onRemove, onMove, onAdd }: QueueCardProps) {
  const { t } = useI18n();
  const ids = { h: useId(), callers: useId(), agents: useId(), iface: useId(), pen: useId() };
  const k = q.kpis;
  const longest = Math.max(k?.longestWait ?? 0, ...q.entries.map((e) => (now - e.joinedAt) / 1000));
  const supervisor = atLeast(me.role, 'supervisor');
  const anyActions = q.members.some((m) => mayManage(me, m.interface));
  const figures: [MessageKey, string][] = [
    ['queues.waiting', String(q.entries.length)],
    ['queues.longestWait', duration(longest)],
    ['queues.answered', String(k?.answered ?? q.completed)],
    ['queues.abandoned', String(k?.abandoned ?? q.abandoned)],
    ['queues.avgWait', duration(k?.averageWait ?? 0)],
    ['queues.avgTalk', duration(k?.averageTalk ?? 0)],
    ['queues.serviceLevel', `${Math.round((k?.serviceLevel ?? 1) * 100)}%`],
  ];
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const pen = String(f.get('penalty') ?? '').trim();
    onAdd(String(f.get('interface') ?? '').trim(), pen === '' ? undefined : Number(pen));
    e.currentTarget.reset();
  };
  return (
    <section className="card" aria-labelledby={ids.h}>
      <h2 id={ids.h}>{t('queues.queueOn', { name: q.name, pbx })}</h2>
      <dl className="totals">
        {figures.map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 id={ids.callers}>{t('queues.callers', { name: q.name })}</h3>
      {q.entries.length === 0 ? (
        <p className="muted">{t('queues.noCallers')}</p>
      ) : (
        <table aria-labelledby={ids.callers}>
          <thead>
            <tr>
              <th scope="col">{t('queues.position')}</th>
              <th scope="col">{t('queues.caller')}</th>
              <th scope="col">{t('queues.wait')}</th>
            </tr>
          </thead>
          <tbody>
            {q.entries.map((e) => (
              <tr key={e.uniqueid}>
                <td>{e.position}</td>
                <td>
                  {partyText(
                    {
                      ...(e.callerIdName ? { name: e.callerIdName } : {}),
                      ...(e.callerIdNum ? { number: e.callerIdNum } : {}),
                    },
                    t('calls.unknown'),
                  )}
                </td>
                <td className="num">{duration((now - e.joinedAt) / 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 id={ids.agents}>{t('queues.agents', { name: q.name })}</h3>
      <table aria-labelledby={ids.agents}>
        <thead>
          <tr>
            <th scope="col">{t('queues.agent')}</th>
            <th scope="col">{t('queues.state')}</th>
            <th scope="col">{t('queues.callsTaken')}</th>
            {anyActions && <th scope="col">{t('queues.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {q.members.map((m) => {
            const state = agentState(m);
            const name = m.name || m.interface;
            return (
              <tr key={m.id}>
                <td>
                  {name}
                  {m.name && <span className="muted"> · {m.interface}</span>}
                </td>
                <td>
                  <span className={`state agent-${state}`}>
                    {state === 'paused' && m.pausedReason
                      ? t('queues.state.pausedWhy', { reason: m.pausedReason })
                      : t(`queues.state.${state}`)}
                  </span>
                </td>
                <td className="num">{m.callsTaken}</td>
                {anyActions && (
                  <td className="actions">
                    {mayManage(me, m.interface) && (
                      <button
                        type="button"
                        aria-label={`${t(m.paused ? 'queues.unpause' : 'queues.pause')}: ${name}`}
                        onClick={() => onPause(m)}
                      >
                        {t(m.paused ? 'queues.unpause' : 'queues.pause')}
                      </button>
                    )}
                    {supervisor && (
                      <button
                        type="button"
                        aria-label={`${t('queues.move')}: ${name}`}
                        onClick={() => onMove(m)}
                      >
                        {t('queues.move')}
                      </button>
                    )}
                    {supervisor && (
                      <button
                        type="button"
                        aria-label={`${t('queues.remove')}: ${name}`}
                        onClick={() => onRemove(m)}
                      >
                        {t('queues.remove')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {supervisor && (
        <form className="inline-form" onSubmit={add} aria-label={`${t('queues.add')}: ${q.name}`}>
          <div className="field">
            <label htmlFor={ids.iface}>{t('queues.interface')}</label>
            <input id={ids.iface} name="interface" required maxLength={120} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={ids.pen}>{t('queues.penalty')}</label>
            <input id={ids.pen} name="penalty" type="number" min={0} max={1000} inputMode="numeric" />
          </div>
          <button type="submit">{t('queues.add')}</button>
        </form>
      )}
    </section>
  );
}
