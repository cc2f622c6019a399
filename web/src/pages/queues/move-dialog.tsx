/** The "Move" dialog: pick the target queue on the same PBX; penalty, pause and name go along. */
import { useId } from 'react';
import type { Queue, QueueMember } from '../../api/types';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';

/** Props of {@link MoveDialog}. */
export interface MoveDialogProps {
  from: Queue;
  member: QueueMember;
  /** Every queue known (those of other PBXs, and those the agent is already in, are not offered). */
  queues: readonly Queue[];
  onClose(): void;
  onMove(to: string): void;
}

/** Asks where to move an agent. */
export function MoveDialog({ from, member, queues, onClose, onMove }: MoveDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const agent = member.name || member.interface;
  const targets = queues.filter(
    (q) =>
      q.server === from.server &&
      q.name !== from.name &&
      !q.members.some((m) => m.interface.toLowerCase() === member.interface.toLowerCase()),
  );
  return (
    <Modal title={t('queues.moveTitle', { agent, queue: from.name })} onClose={onClose}>
      {targets.length === 0 ? (
        <>
          <p>{t('queues.moveNoTarget')}</p>
          <div className="buttons">
            <button type="button" onClick={onClose}>
              {t('calls.cancel')}
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onMove(String(new FormData(e.currentTarget).get('to') ?? ''));
          }}
        >
          <div className="field">
            <label htmlFor={id}>{t('queues.moveTo')}</label>
            <select id={id} name="to" required>
              {targets.map((q) => (
                <option key={q.id} value={q.name}>
                  {q.name}
                </option>
              ))}
            </select>
          </div>
          <p className="muted">
            {t('queues.moveKeeps', { penalty: member.penalty ?? 0 })}
            {member.paused &&
              ` ${t('queues.moveKeepsPaused', { reason: member.pausedReason || t('queues.state.paused') })}`}
          </p>
          <div className="buttons">
            <button type="button" onClick={onClose}>
              {t('calls.cancel')}
            </button>
            <button type="submit" className="primary">
              {t('queues.move')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
