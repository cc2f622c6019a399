/**
 * Call centre: per queue the waiting callers (wait ticking) and the KPIs, and its agents with their state;
 * pause/resume with a reason (agents: themselves; supervisors: anyone), add, remove and move agents
 * (supervisors); a link to the TV wallboard. `/queues?wallboard=1` opens the wallboard too.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, Redirect, useSearch } from 'wouter';
import { api, seg } from '../../api/client';
import { useSession } from '../../api/session';
import type { Queue, QueueMember } from '../../api/types';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useNow } from '../../components/use-now';
import { useI18n } from '../../i18n';
import { useLive } from '../../live/hooks';
import { moveMember } from './move';
import { MoveDialog } from './move-dialog';
import { QueueCard } from './queue-card';
import { useQueues } from './use-queues';
import './queues.css';

type Action =
  | { kind: 'pause'; queue: Queue; member: QueueMember }
  | { kind: 'remove'; queue: Queue; member: QueueMember }
  | { kind: 'move'; queue: Queue; member: QueueMember };

/** The Call centre page. */
export function QueuesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const live = useLive();
  const qc = useQueryClient();
  const now = useNow(1000);
  const [action, setAction] = useState<Action>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const queues = useQueues();
  const wallboard = new URLSearchParams(useSearch()).get('wallboard');
  if (wallboard === '1' || wallboard === 'true') return <Redirect to="/wallboard" replace />;
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
  const move = async (from: Queue, m: QueueMember, to: string) => {
    const words = { agent: who(m), from: from.name, to };
    const r = await moveMember(from, m, to);
    if (r.kind === 'moved') setNotice({ text: t('queues.done.move', words) });
    else {
      const message = describeError(r.error, t);
      const key =
        r.kind === 'addFailed'
          ? 'queues.move.addFailed'
          : r.kind === 'removeFailed'
            ? 'queues.move.removeFailed'
            : 'queues.move.reasonFailed';
      setNotice({ text: t(key, { ...words, message }), error: true });
    }
    void qc.invalidateQueries({ queryKey: ['queues'] });
  };

  return (
    <main id="main" tabIndex={-1}>
      <div className="page-head">
        <h1>{t('queues.title')}</h1>
        <Link href="/wallboard" aria-label={t('queues.wallboard.open')}>
          {t('queues.wallboard')}
        </Link>
      </div>
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
          onMove={(m) => setAction({ kind: 'move', queue: q, member: m })}
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
      {action?.kind === 'move' && (
        <MoveDialog
          from={action.queue}
          member={action.member}
          queues={queues.data ?? []}
          onClose={() => setAction(undefined)}
          onMove={(to) => {
            const { queue, member } = action;
            setAction(undefined);
            void move(queue, member, to);
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
