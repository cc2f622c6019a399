/**
 * The wallboard: the call centre for a TV across the room — no navigation, very large figures per queue, high
 * contrast, kept current by the live store. "Exit wallboard" or Escape goes back to the Call centre page.
 */
import { useEffect, useId } from 'react';
import { Link, useLocation } from 'wouter';
import type { Queue } from '../../api/types';
import { describeError } from '../../components/errors';
import { useNow } from '../../components/use-now';
import { duration } from '../../format';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import { useLive } from '../../live/hooks';
import { agentCounts } from './agents';
import { useQueues } from './use-queues';
import './wallboard.css';

/** The wallboard page (`/wallboard`, any signed-in role). */
export function WallboardPage() {
  const { t } = useI18n();
  const live = useLive();
  const queues = useQueues();
  const now = useNow(1000);
  const [, navigate] = useLocation();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
      navigate('/queues');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
  useEffect(() => {
    const before = document.title;
    document.title = t('queues.wallboard.title');
    return () => {
      document.title = before;
    };
  }, [t]);
  const pbxName = (id: string) => live.pbx.find((p) => p.id === id)?.name || id;
  const several = new Set(queues.data?.map((q) => q.server)).size > 1;
  const clock = new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <main id="main" tabIndex={-1} className="wallboard">
      <header className="wb-top">
        <h1>{t('queues.wallboard.title')}</h1>
        <p className="wb-clock">{clock}</p>
        {live.connection !== 'live' && (
          <p className="wb-stale" role="status">
            {t('queues.wallboard.stale', { state: t(`live.${live.connection}`) })}
          </p>
        )}
        <div className="wb-exit">
          {typeof document.documentElement.requestFullscreen === 'function' && (
            <button
              type="button"
              onClick={() => void document.documentElement.requestFullscreen().catch(() => {})}
            >
              {t('queues.wallboard.fullscreen')}
            </button>
          )}
          <Link href="/queues">{t('queues.wallboard.exit')}</Link>
          <span className="wb-hint">{t('queues.wallboard.exitHint')}</span>
        </div>
      </header>
      {queues.error && <p className="wb-error">{describeError(queues.error, t)}</p>}
      {queues.data?.length === 0 && <p className="wb-empty">{t('queues.empty')}</p>}
      <div className="wb-queues">
        {queues.data?.map((q) => (
          <WallboardQueue
            key={q.id}
            q={q}
            now={now}
            title={
              several
                ? t('queues.queueOn', { name: q.name, pbx: pbxName(q.server) })
                : t('queues.wallboard.queue', { name: q.name })
            }
          />
        ))}
      </div>
    </main>
  );
}

type Tone = 'calm' | 'warn' | 'alert';

function WallboardQueue({ q, now, title }: { q: Queue; now: number; title: string }) {
  const { t } = useI18n();
  const id = useId();
  const k = q.kpis;
  const waiting = q.entries.length;
  // The oldest caller waiting now, ticking; nobody waiting is 0:00 (the window's record is on the page).
  const longest = Math.max(0, ...q.entries.map((e) => (now - e.joinedAt) / 1000));
  const level = Math.round((k?.serviceLevel ?? 1) * 100);
  const agents = agentCounts(q.members);
  const figures: { key: MessageKey; value: string; tone: Tone; wide?: boolean }[] = [
    { key: 'queues.waiting', value: String(waiting), tone: waiting === 0 ? 'calm' : 'warn', wide: true },
    {
      key: 'queues.longestWait',
      value: duration(longest),
      tone: longest >= 60 ? 'alert' : longest > 0 ? 'warn' : 'calm',
      wide: true,
    },
    { key: 'queues.answered', value: String(k?.answered ?? q.completed), tone: 'calm' },
    { key: 'queues.abandoned', value: String(k?.abandoned ?? q.abandoned), tone: 'calm' },
    { key: 'queues.serviceLevel', value: `${level}%`, tone: level < 80 ? 'alert' : 'calm' },
    {
      key: 'queues.wallboard.free',
      value: String(agents.free),
      tone: agents.free === 0 && waiting > 0 ? 'alert' : 'calm',
    },
    { key: 'queues.wallboard.busy', value: String(agents.busy), tone: 'calm' },
    { key: 'queues.wallboard.paused', value: String(agents.paused), tone: 'calm' },
  ];
  return (
    <section className="wb-queue" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl className="wb-figures">
        {figures.map((f) => (
          <div key={f.key} className={`wb-tile wb-${f.tone}${f.wide ? ' wb-wide' : ''}`}>
            <dt>{t(f.key)}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
