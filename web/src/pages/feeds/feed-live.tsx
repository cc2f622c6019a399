/** A feed's live events over `/api/v1/feeds/:id/live` (the newest 200, as text), resuming with `?since=`. */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { eventLines, type Feed, type FeedMessage } from './types';

const MAX = 200;

/** The live view of one feed. */
export function FeedLive({ feed, onClose }: { feed: Feed; onClose(): void }) {
  const { t } = useI18n();
  const [messages, setMessages] = useState<FeedMessage[]>([]);
  useEffect(() => {
    let socket: WebSocket | undefined;
    let since: number | undefined;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const q = since === undefined ? '' : `?since=${since}`;
      const ws = new WebSocket(`${scheme}//${location.host}/api/v1/feeds/${feed.id}/live${q}`);
      socket = ws;
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as FeedMessage & { type: string };
        if (m.type === 'hello' || m.type === 'resume') {
          since = m.seq;
          return;
        }
        since = m.seq;
        setMessages((old) => [...old.slice(-(MAX - 1)), m]);
      };
      ws.onclose = (e) => {
        if (stopped || e.code === 4401 || e.code === 4403 || e.code === 4404) return;
        retry = setTimeout(open, 1000);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close(1000);
    };
  }, [feed.id]);
  const title = t('feeds.watchTitle', { name: feed.name });
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <button type="button" onClick={onClose}>
        {t('feeds.watchStop')}
      </button>
      {messages.length === 0 ? (
        <p className="muted">{t('feeds.watchEmpty')}</p>
      ) : (
        <ol className="feed-events">
          {[...messages].reverse().map((m) => (
            <li key={m.seq}>
              <div className="muted small">
                #{m.seq} · {m.pbx} · {new Date(m.at).toLocaleTimeString()} · {m.type}
              </div>
              <pre>{eventLines(m.event ?? m.call ?? {})}</pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
