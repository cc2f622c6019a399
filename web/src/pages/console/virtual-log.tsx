/**
 * A virtualised list of log lines: only the rows in view (plus a margin) are in the DOM, each one row high, so
 * 5,000 lines cost the same as 40. Sticks to the newest line while the reader is at the bottom; stays put when
 * they scrolled up to read.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { LogLine } from './log-stream';

/** Row height in px (the CSS sets the same line height). */
export const ROW = 22;
const MARGIN = 10;

/** Props of {@link VirtualLog}. */
export interface VirtualLogProps {
  lines: readonly LogLine[];
  label: string;
  followLabel: (id: string) => string;
  onFollow: (callId: string) => void;
}

const levelClass = (level: string | null) => `lvl lvl-${(level ?? 'none').toLowerCase()}`;

/** The list. Text only: every field goes through React's escaping. */
export function VirtualLog({ lines, label, followLabel, onFollow }: VirtualLogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new lines are the reason to stick to the bottom.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && atBottom.current) {
      el.scrollTop = el.scrollHeight;
      setTop(el.scrollTop);
    }
  }, [lines]);

  const first = Math.max(0, Math.floor(top / ROW) - MARGIN);
  const last = Math.min(lines.length, Math.ceil((top + height) / ROW) + MARGIN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const l = lines[i]!;
    rows.push(
      <li className="log-row" key={l.seq} style={{ top: i * ROW }}>
        {l.parsed ? (
          <>
            <span className="log-time">{l.time ? l.time.slice(11, 19) : ''}</span>{' '}
            <span className={levelClass(l.level)}>{l.level}</span>{' '}
            {l.callId && (
              <>
                <button
                  type="button"
                  className="callid"
                  aria-label={followLabel(l.callId)}
                  onClick={() => onFollow(l.callId!)}
                >
                  [{l.callId}]
                </button>{' '}
              </>
            )}
            <span className="log-src">
              {l.file}
              {l.line !== null ? `:${l.line}` : ''}
              {l.func ? ` ${l.func}` : ''}:
            </span>{' '}
            <span className="log-msg">{l.message}</span>
          </>
        ) : (
          <span className="log-msg">{l.raw}</span>
        )}
      </li>,
    );
  }
  return (
    <section
      ref={ref}
      className="log-view"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard.
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
        setTop(el.scrollTop);
      }}
    >
      <ol className="log-inner" style={{ height: lines.length * ROW }}>
        {rows}
      </ol>
    </section>
  );
}
