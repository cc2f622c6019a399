/**
 * Call centre: per queue the waiting callers (wait ticking) and the KPIs, and its agents with their state;
 * pause/resume with a reason (agents: themselves; supervisors: anyone), remove and add agents (supervisors).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, seg } from '../api/client';
import { useSession } from '../api/session';
import { atLeast, type Me, type Queue, type QueueMember } from '../api/types';
import { describeError } from '../components/errors';
import { Modal } from '../components/modal';
import { useNow } from '../components/use-now';
import { duration, partyText } from '../format';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { useLive } from '../live/hooks';

type AgentState = 'free' | 'ringing' | 'inCall' | 'paused' | 'unavailable';

/** The member's state in words (Asterisk device status numbers, `paused` first). */
function agentState(m: QueueMember): AgentState {
  if (m.paused) return 'paused';
  if (m.status === 6 || m.status === 7) return 'ringing';
  if (m.inCall || m.status === 2 || m.status === 3 || m.status === 8) return 'inCall';
  if (m.status === 4 || m.status === 5 || m.status === 0) return 'unavailable';
  return 'free';
}

/** Agents manage only their own membership (`<Tech>/<their extension>…`), like the server's rule. */
function mayManage(me: Me, iface: string): boolean {
  if (atLeast(me.role, 'supervisor')) return true;
  const ext = /^[A-Za-z0-9]+\/([^-@;/]+)/.exec(iface)?.[1];
  return me.role === 'agent' && ext !== undefined && me.extensions.includes(ext);
}

type Action =
  | { kind: 'pause'; queue: Queue; member: QueueMember }
  | { kind: 'remove'; queue: Queue; member: QueueMember };

/** The Call centre page. */
export function QueuesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const live = useLive();
  const qc = useQueryClient();
  const now = useNow(1000);
  const [action, setAction] = useState<Action>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const queues = useQuery({
    queryKey: ['queues'],
    queryFn: () => api<Queue[]>('GET', '/api/v1/queues'),
  });
  // Every queue/member/caller change of the live stream re-reads the list (one request per burst).
  useEffect(() => {
    if (live.queuesVersion > 0) void qc.invalidateQueries({ queryKey: ['queues'] });
  }, [live.queuesVersion, qc]);
  if (!me) return null;
  const pbxName = (id: string) => live.pbx.find((p) => p.id === id)?.name || id;
  const run = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      setNotice({ text: done });
    } catch (err) {
      setNotice({ text: describeError(err, t), error: true });
    }
    void qc.invalidateQueries({ queryKey: ['queues'] });
  };
  const memberPath = (q: Queue, m: QueueMember) =>
    `/api/v1/queues/${seg(q.name)}/members/${seg(m.interface)}`;
  const who = (m: QueueMember) => m.name || m.interface;

  return (
    <main id="main" tabIndex={-1}>
      <h1>{t('queues.title')}</h1>
      <div role="status" className={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text}
      </div>
      {queues.error && <p className="error">{describeError(queues.error, t)}</p>}
      {queues.data?.length === 0 && <p className="muted">{t('queues.empty')}</p>}
      {queues.data?.map((q) => (
        <QueueCard
          key={q.id}
          q={q}
          pbx={pbxName(q.server)}
          now={now}
          me={me}
          onPause={(m) =>
            m.paused
              ? void run(
                  () => api('POST', `${memberPath(q, m)}/pause?pbx=${seg(q.server)}`, { paused: false }),
                  t('queues.done.unpause', { agent: who(m) }),
                )
              : setAction({ kind: 'pause', queue: q, member: m })
          }
          onRemove={(m) => setAction({ kind: 'remove', queue: q, member: m })}
          onAdd={(iface, penalty) =>
            void run(
              () =>
                api('POST', `/api/v1/queues/${seg(q.name)}/members?pbx=${seg(q.server)}`, {
                  interface: iface,
                  ...(penalty !== undefined ? { penalty } : {}),
                }),
              t('queues.done.add', { agent: iface, queue: q.name }),
            )
          }
        />
      ))}
      {action?.kind === 'pause' && (
        <PauseDialog
          agent={who(action.member)}
          onClose={() => setAction(undefined)}
          onPause={(reason) => {
            const { queue, member } = action;
            setAction(undefined);
            void run(
              () =>
                api('POST', `${memberPath(queue, member)}/pause?pbx=${seg(queue.server)}`, {
                  paused: true,
                  ...(reason ? { reason } : {}),
                }),
              t('queues.done.pause', { agent: who(member) }),
            );
          }}
        />
      )}
      {action?.kind === 'remove' && (
        <Modal
          title={t('queues.removeTitle', { agent: who(action.member), queue: action.queue.name })}
          onClose={() => setAction(undefined)}
        >
          <div className="buttons">
            <button type="button" onClick={() => setAction(undefined)}>
              {t('calls.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                const { queue, member } = action;
                setAction(undefined);
                void run(
                  () => api('DELETE', `${memberPath(queue, member)}?pbx=${seg(queue.server)}`),
                  t('queues.done.remove', { agent: who(member), queue: queue.name }),
                );
              }}
            >
              {t('queues.remove')}
            </button>
          </div>
        </Modal>
      )}
    </main>
  );
}

interface QueueCardProps {
  q: Queue;
  pbx: string;
  now: number;
  me: Me;
  onPause(m: QueueMember): void;
  onRemove(m: QueueMember): void;
  onAdd(iface: string, penalty: number | undefined): void;
}

function QueueCard({ q, pbx, now, me, onPause, onRemove, onAdd }: QueueCardProps) {
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

function PauseDialog({
  agent,
  onClose,
  onPause,
}: {
  agent: string;
  onClose(): void;
  onPause(reason: string): void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <Modal title={t('queues.pauseTitle', { agent })} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onPause(String(new FormData(e.currentTarget).get('reason') ?? '').trim());
        }}
      >
        <div className="field">
          <label htmlFor={id}>{t('queues.reason')}</label>
          <input id={id} name="reason" maxLength={80} autoComplete="off" />
        </div>
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('calls.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('queues.pause')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
