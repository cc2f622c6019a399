/**
 * A feed's webhook targets: add one (the signing secret shown once), pause/resume, delete (confirmed), and each
 * target's delivery log with "Redeliver" (same delivery id and body, queued again).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import type { Delivery, Feed, WebhookTarget } from './types';

function DeliveryLog({
  target,
  onNotice,
}: {
  target: WebhookTarget;
  onNotice(text: string, error: boolean): void;
}) {
  const { t, lang } = useI18n();
  const q = useQuery({
    queryKey: ['deliveries', target.id],
    queryFn: () => api<Delivery[]>('GET', `/api/v1/webhooks/${target.id}/deliveries?limit=50`),
    refetchInterval: 2000,
  });
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const redeliver = async (d: Delivery) => {
    try {
      await api('POST', `/api/v1/webhooks/${target.id}/deliveries/${d.id}/redeliver`);
      onNotice(t('feeds.redelivered', { id: d.id.slice(0, 8) }), false);
      await q.refetch();
    } catch (err) {
      onNotice(describeError(err, t), true);
    }
  };
  const title = t('feeds.deliveriesTitle', { url: target.url });
  return (
    <section aria-label={title}>
      <h4>{title}</h4>
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && q.data.length === 0 && <p className="muted">{t('feeds.deliveriesNone')}</p>}
      {q.data && q.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('feeds.deliveries')}>
            <thead>
              <tr>
                <th scope="col">{t('feeds.delivery')}</th>
                <th scope="col">{t('feeds.deliveryEventAt')}</th>
                <th scope="col">{t('feeds.deliveryStatus')}</th>
                <th scope="col">{t('feeds.deliveryAttempts')}</th>
                <th scope="col">{t('feeds.deliveryAnswer')}</th>
                <th scope="col">{t('feeds.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.map((d) => (
                <tr key={d.outboxId}>
                  <td>
                    <code title={d.id}>{d.id.slice(0, 8)}</code>
                  </td>
                  <td className="num">{time(d.eventAt)}</td>
                  <td>
                    <span className={d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : ''}>
                      {t(`feeds.deliveryStatus.${d.status}` as MessageKey)}
                    </span>
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td>
                    {d.responseCode !== null && `HTTP ${d.responseCode}`}
                    {d.latencyMs !== null && ` · ${d.latencyMs} ms`}
                    {d.error && <div className="muted small">{d.error}</div>}
                  </td>
                  <td className="actions">
                    {d.status !== 'pending' && (
                      <button
                        type="button"
                        aria-label={t('feeds.redeliverOf', { id: d.id.slice(0, 8) })}
                        onClick={() => void redeliver(d)}
                      >
                        {t('feeds.redeliver')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The webhooks section of one feed. */
export function FeedWebhooks({ feed, onClose }: { feed: Feed; onClose(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const id = useId();
  const key = ['webhooks', feed.id];
  const targets = useQuery({
    queryKey: key,
    queryFn: () => api<WebhookTarget[]>('GET', `/api/v1/feeds/${feed.id}/webhooks`),
    refetchInterval: 5000,
  });
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [shown, setShown] = useState<string | undefined>();
  const [log, setLog] = useState<number | undefined>();
  const [deleting, setDeleting] = useState<WebhookTarget | undefined>();
  const [notice, setNotice] = useState<{ text: string; error: boolean } | undefined>();
  const say = (text: string, error: boolean) => setNotice({ text, error });
  const refresh = () => qc.invalidateQueries({ queryKey: key });

  const add = async () => {
    try {
      const made = await api<WebhookTarget>('POST', `/api/v1/feeds/${feed.id}/webhooks`, {
        url: url.trim(),
        ...(secret ? { secret } : {}),
      });
      setUrl('');
      setSecret('');
      setShown(made.secret ?? secret);
      setNotice(undefined);
      await refresh();
    } catch (err) {
      say(describeError(err, t), true);
    }
  };
  const setPaused = async (w: WebhookTarget, paused: boolean) => {
    try {
      await api('PATCH', `/api/v1/webhooks/${w.id}`, { paused });
      await refresh();
    } catch (err) {
      say(describeError(err, t), true);
    }
  };
  const remove = async (w: WebhookTarget) => {
    setDeleting(undefined);
    try {
      await api('DELETE', `/api/v1/webhooks/${w.id}`);
      if (log === w.id) setLog(undefined);
      say(t('feeds.webhookDeleted', { url: w.url }), false);
      await refresh();
    } catch (err) {
      say(describeError(err, t), true);
    }
  };

  const title = t('feeds.webhooksTitle', { name: feed.name });
  const current = targets.data?.find((w) => w.id === log);
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <button type="button" onClick={onClose}>
        {t('feeds.close')}
      </button>
      <output className={`notice${notice?.error ? ' error' : ''}`}>{notice?.text ?? ''}</output>
      {shown && (
        <div className="notice" role="status">
          <p>{t('feeds.webhookAdded')}</p>
          <code data-testid="webhook-secret">{shown}</code>{' '}
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(shown).then(
                () => say(t('feeds.copied'), false),
                () => {},
              );
            }}
          >
            {t('feeds.copy')}
          </button>
        </div>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-url`}>{t('feeds.webhookUrl')}</label>
          <input
            id={`${id}-url`}
            type="url"
            required
            maxLength={2000}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-secret`}>{t('feeds.webhookSecret')}</label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="new-password"
            minLength={16}
            maxLength={256}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </div>
        <button type="submit">{t('feeds.webhookAdd')}</button>
      </form>
      {targets.error && <p className="error">{describeError(targets.error, t)}</p>}
      {targets.data && targets.data.length === 0 && <p className="muted">{t('feeds.webhooksNone')}</p>}
      {targets.data && targets.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('feeds.webhooks')}>
            <thead>
              <tr>
                <th scope="col">{t('feeds.webhookUrl')}</th>
                <th scope="col">{t('feeds.webhookState')}</th>
                <th scope="col">{t('feeds.webhookPending')}</th>
                <th scope="col">{t('feeds.webhookFailures')}</th>
                <th scope="col">{t('feeds.webhookSecretHint')}</th>
                <th scope="col">{t('feeds.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {targets.data.map((w) => (
                <tr key={w.id}>
                  <td>{w.url}</td>
                  <td>
                    {w.paused ? (
                      <span className="bad">
                        {w.pausedReason
                          ? t('feeds.webhookPausedWhy', { reason: w.pausedReason })
                          : t('feeds.webhookPaused')}
                      </span>
                    ) : (
                      <span className="ok">{t('feeds.webhookActive')}</span>
                    )}
                  </td>
                  <td className="num">{w.pending}</td>
                  <td className="num">{w.failures}</td>
                  <td>
                    <code>{w.secretHint}</code>
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-label={t('feeds.deliveriesOf', { url: w.url })}
                      aria-pressed={log === w.id}
                      onClick={() => setLog(log === w.id ? undefined : w.id)}
                    >
                      {t('feeds.deliveries')}
                    </button>
                    {w.paused ? (
                      <button
                        type="button"
                        aria-label={t('feeds.webhookResumeOf', { url: w.url })}
                        onClick={() => void setPaused(w, false)}
                      >
                        {t('feeds.webhookResume')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        aria-label={t('feeds.webhookPauseOf', { url: w.url })}
                        onClick={() => void setPaused(w, true)}
                      >
                        {t('feeds.webhookPause')}
                      </button>
                    )}
                    <button
                      type="button"
                      className="danger"
                      aria-label={t('feeds.webhookDeleteOf', { url: w.url })}
                      onClick={() => setDeleting(w)}
                    >
                      {t('feeds.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && <DeliveryLog key={current.id} target={current} onNotice={say} />}
      {deleting && (
        <Modal
          title={t('feeds.webhookDeleteOf', { url: deleting.url })}
          onClose={() => setDeleting(undefined)}
        >
          <p>{t('feeds.webhookDeleteConfirm', { url: deleting.url })}</p>
          <div className="buttons">
            <button type="button" className="danger" onClick={() => void remove(deleting)}>
              {t('feeds.delete')}
            </button>
            <button type="button" onClick={() => setDeleting(undefined)}>
              {t('feeds.cancel')}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
