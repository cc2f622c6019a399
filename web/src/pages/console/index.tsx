/** Debug console (`/console`, supervisors+): the live Asterisk log, filtered server side, pausable, follow a call. */
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n';
import { useLive } from '../../live/hooks';
import { EMPTY_VIEW, type LogFilters, LogStream, type LogView, MAX_LINES } from './log-stream';
import { VirtualLog } from './virtual-log';
import './console.css';

const LEVELS = ['ERROR', 'WARNING', 'NOTICE', 'VERBOSE', 'DEBUG'] as const;

/** Debounces a text value (typing in the filter reconnects once, not per key). */
function useDebounced(value: string, ms: number): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** One stream per filter set: a new filter closes the old socket and opens another. */
function useLogStream(filters: LogFilters): { stream: LogStream | undefined; view: LogView } {
  const key = JSON.stringify(filters);
  const [stream, setStream] = useState<LogStream | undefined>();
  useEffect(() => {
    const s = new LogStream(JSON.parse(key) as LogFilters);
    setStream(s);
    return () => s.close();
  }, [key]);
  const view = useSyncExternalStore(
    (fn) => (stream ? stream.subscribe(fn) : () => {}),
    () => stream?.view ?? EMPTY_VIEW,
  );
  return { stream, view };
}

/** The Debug console page. */
export function ConsolePage() {
  const { t } = useI18n();
  const live = useLive();
  const ids = { level: useId(), text: useId(), pbx: useId() };
  const [level, setLevel] = useState('');
  const [text, setText] = useState('');
  const [pbx, setPbx] = useState('');
  const [callid, setCallid] = useState('');
  const [paused, setPaused] = useState(false);
  const q = useDebounced(text.trim(), 300);
  const filters: LogFilters = {
    ...(pbx ? { pbx } : {}),
    ...(level ? { level } : {}),
    ...(q ? { q } : {}),
    ...(callid ? { callid } : {}),
  };
  const { stream, view } = useLogStream(filters);
  const { lines: snap, waiting, state } = view;
  useEffect(() => stream?.setPaused(paused), [stream, paused]);

  const stateText =
    state === 'refused'
      ? t('console.refused', { reason: view.reason })
      : state === 'live'
        ? paused
          ? t('console.paused')
          : t('console.live')
        : t(state === 'connecting' ? 'console.connecting' : 'console.reconnecting');

  return (
    <main id="main" tabIndex={-1}>
      <h1>{t('console.title')}</h1>
      <div className="console-tools">
        <div className="field">
          <label htmlFor={ids.level}>{t('console.level')}</label>
          <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="">{t('console.levelAll')}</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.text}>{t('console.text')}</label>
          <input
            id={ids.text}
            type="search"
            maxLength={200}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {live.pbx.length > 1 && (
          <div className="field">
            <label htmlFor={ids.pbx}>{t('console.pbx')}</label>
            <select id={ids.pbx} value={pbx} onChange={(e) => setPbx(e.target.value)}>
              <option value="">{t('console.pbxAll')}</option>
              {live.pbx.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name || p.id}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? t('console.resume') : t('console.pause')}
        </button>
        <button type="button" onClick={() => stream?.clear()}>
          {t('console.clear')}
        </button>
        {callid && (
          <span className="following">
            <span>{t('console.following', { id: callid })}</span>
            <button type="button" onClick={() => setCallid('')}>
              {t('console.unfollow')}
            </button>
          </span>
        )}
      </div>
      <p className="muted">
        <output>{stateText}</output>
        {' · '}
        <span data-testid="log-count">{t('console.count', { n: snap.length, max: MAX_LINES })}</span>
        {paused && (
          <>
            {' · '}
            <output className="tag" data-testid="log-waiting">
              {t('console.waiting', { n: waiting })}
            </output>
          </>
        )}
      </p>
      <VirtualLog
        lines={snap}
        label={t('console.log')}
        followLabel={(id) => t('console.follow', { id })}
        onFollow={(id) => {
          setCallid(id);
          setPaused(false);
        }}
      />
      {snap.length === 0 && state === 'live' && <p className="muted">{t('console.empty')}</p>}
    </main>
  );
}
