/**
 * CRM feeds (`/feeds`): your feeds (admins: everyone's), the filter editor, a test over recent events, a live view,
 * webhook targets with their delivery log.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { FeedEditor } from './editor';
import { FeedLive } from './feed-live';
import { eventLines, type Feed, type FeedTest, filterSummary } from './types';
import { FeedWebhooks } from './webhooks';
import './feeds.css';

function TestResult({ feed, result, onClose }: { feed: Feed; result: FeedTest; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Modal title={t('feeds.testTitle', { name: feed.name })} onClose={onClose}>
      <p role="status">
        {result.matched.length === 0
          ? t('feeds.testNone')
          : t('feeds.testResult', { matched: result.matched.length, scanned: result.scanned })}
      </p>
      <ol className="feed-events">
        {result.matched.slice(-50).map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a static list of test matches.
          <li key={i} aria-label={t('feeds.event', { n: i + 1 })}>
            <pre>{eventLines(e)}</pre>
          </li>
        ))}
      </ol>
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t('feeds.close')}
        </button>
      </div>
    </Modal>
  );
}

/** The CRM feeds page. */
export function FeedsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const qc = useQueryClient();
  const feeds = useQuery({ queryKey: ['feeds'], queryFn: () => api<Feed[]>('GET', '/api/v1/feeds') });
  const [editing, setEditing] = useState<Feed | 'new' | undefined>();
  const [testing, setTesting] = useState<{ feed: Feed; result: FeedTest } | undefined>();
  const [deleting, setDeleting] = useState<Feed | undefined>();
  const [watching, setWatching] = useState<Feed | undefined>();
  const [hooks, setHooks] = useState<Feed | undefined>();
  const [notice, setNotice] = useState<{ text: string; error: boolean } | undefined>();
  const fail = (err: unknown) => setNotice({ text: describeError(err, t), error: true });
  const refresh = () => qc.invalidateQueries({ queryKey: ['feeds'] });
  const admin = me?.role === 'admin';

  const test = async (f: Feed) => {
    try {
      const result = await api<FeedTest>('POST', `/api/v1/feeds/${f.id}/test`, { limit: 100 });
      setTesting({ feed: f, result });
    } catch (err) {
      fail(err);
    }
  };
  const remove = async (f: Feed) => {
    try {
      await api('DELETE', `/api/v1/feeds/${f.id}`);
      setDeleting(undefined);
      if (watching?.id === f.id) setWatching(undefined);
      if (hooks?.id === f.id) setHooks(undefined);
      setNotice({ text: t('feeds.deleted', { name: f.name }), error: false });
      await refresh();
    } catch (err) {
      setDeleting(undefined);
      fail(err);
    }
  };

  return (
    <main id="main" tabIndex={-1}>
      <h1>{t('feeds.title')}</h1>
      <p className="muted">{t('feeds.intro')}</p>
      <p>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('feeds.add')}
        </button>
      </p>
      <output className={`notice${notice?.error ? ' error' : ''}`}>{notice?.text ?? ''}</output>
      {feeds.error && <p className="error">{describeError(feeds.error, t)}</p>}
      {feeds.data && feeds.data.length === 0 && <p className="muted">{t('feeds.none')}</p>}
      {feeds.data && feeds.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('feeds.list')}>
            <thead>
              <tr>
                <th scope="col">{t('feeds.name')}</th>
                <th scope="col">{t('feeds.kind')}</th>
                <th scope="col">{t('feeds.pbx')}</th>
                <th scope="col">{t('feeds.filter')}</th>
                {admin && <th scope="col">{t('feeds.owner')}</th>}
                <th scope="col">{t('feeds.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {feeds.data.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>{t(f.kind === 'call' ? 'feeds.kind.call' : 'feeds.kind.ami')}</td>
                  <td>{f.pbx ?? t('feeds.pbxAll')}</td>
                  <td>
                    <code>{filterSummary(f.filter, t('feeds.any'), t('feeds.mine'))}</code>
                    {f.slow && <span className="tag">{t('feeds.slow')}</span>}
                  </td>
                  {admin && <td className="num">#{f.owner}</td>}
                  <td className="actions">
                    <button
                      type="button"
                      aria-label={t('feeds.editOf', { name: f.name })}
                      onClick={() => setEditing(f)}
                    >
                      {t('feeds.edit')}
                    </button>
                    <button
                      type="button"
                      aria-label={t('feeds.testOf', { name: f.name })}
                      onClick={() => void test(f)}
                    >
                      {t('feeds.test')}
                    </button>
                    <button
                      type="button"
                      aria-label={t('feeds.watchOf', { name: f.name })}
                      onClick={() => setWatching(f)}
                    >
                      {t('feeds.watch')}
                    </button>
                    <button
                      type="button"
                      aria-label={t('feeds.webhooksOf', { name: f.name })}
                      onClick={() => setHooks(f)}
                    >
                      {t('feeds.webhooks')}
                    </button>
                    <button
                      type="button"
                      className="danger"
                      aria-label={t('feeds.deleteOf', { name: f.name })}
                      onClick={() => setDeleting(f)}
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
      {hooks && <FeedWebhooks key={hooks.id} feed={hooks} onClose={() => setHooks(undefined)} />}
      {watching && <FeedLive key={watching.id} feed={watching} onClose={() => setWatching(undefined)} />}
      {editing && (
        <FeedEditor
          {...(editing === 'new' ? {} : { feed: editing })}
          onClose={() => setEditing(undefined)}
          onSaved={(f) => {
            setEditing(undefined);
            setNotice({ text: t('feeds.saved', { name: f.name }), error: false });
            void refresh();
          }}
        />
      )}
      {testing && <TestResult {...testing} onClose={() => setTesting(undefined)} />}
      {deleting && (
        <Modal title={t('feeds.deleteOf', { name: deleting.name })} onClose={() => setDeleting(undefined)}>
          <p>{t('feeds.deleteConfirm', { name: deleting.name })}</p>
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
    </main>
  );
}
