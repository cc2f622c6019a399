/** The feed editor: name, kind, PBX, event names, header rules, a raw regex, "only about my extensions". */
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { useLive } from '../../live/hooks';
import type { Feed, FeedFilter } from './types';

interface Rule {
  key: number;
  name: string;
  regex: string;
}

let ruleKeys = 0;

/** Props of {@link FeedEditor}. */
export interface FeedEditorProps {
  feed?: Feed;
  onSaved(f: Feed): void;
  onClose(): void;
}

/** The editor, in a modal dialog. */
export function FeedEditor({ feed, onSaved, onClose }: FeedEditorProps) {
  const { t } = useI18n();
  const live = useLive();
  const id = useId();
  const [name, setName] = useState(feed?.name ?? '');
  const [kind, setKind] = useState<'ami' | 'call'>(feed?.kind ?? 'ami');
  const [pbx, setPbx] = useState(feed?.pbx ?? '');
  const [events, setEvents] = useState((feed?.filter.events ?? []).join(', '));
  const [rules, setRules] = useState<Rule[]>(() =>
    Object.entries(feed?.filter.headers ?? {}).map(([n, r]) => ({ key: ++ruleKeys, name: n, regex: r })),
  );
  const [regex, setRegex] = useState(feed?.filter.regex ?? '');
  const [mine, setMine] = useState(feed?.filter.mine ?? false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const filter: FeedFilter = {};
    const names = events
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length) filter.events = names;
    const headers: Record<string, string> = {};
    for (const r of rules) if (r.name.trim()) headers[r.name.trim()] = r.regex;
    if (Object.keys(headers).length) filter.headers = headers;
    if (regex) filter.regex = regex;
    if (mine) filter.mine = true;
    const body = { name: name.trim(), kind, pbx: pbx || null, filter };
    setBusy(true);
    setError(undefined);
    try {
      const saved = feed
        ? await api<Feed>('PATCH', `/api/v1/feeds/${feed.id}`, body)
        : await api<Feed>('POST', '/api/v1/feeds', body);
      onSaved(saved);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={feed ? t('feeds.editTitle', { name: feed.name }) : t('feeds.newTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('feeds.name')}</label>
          <input
            id={`${id}-name`}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('feeds.kind')}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as 'ami' | 'call')}>
            <option value="ami">{t('feeds.kind.ami')}</option>
            <option value="call">{t('feeds.kind.call')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-pbx`}>{t('feeds.pbx')}</label>
          <select id={`${id}-pbx`} value={pbx} onChange={(e) => setPbx(e.target.value)}>
            <option value="">{t('feeds.pbxAll')}</option>
            {live.pbx.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name || p.id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-events`}>{t('feeds.events')}</label>
          <input
            id={`${id}-events`}
            aria-describedby={`${id}-events-hint`}
            value={events}
            onChange={(e) => setEvents(e.target.value)}
          />
          <span id={`${id}-events-hint`} className="muted small">
            {t('feeds.eventsHint')}
          </span>
        </div>
        <fieldset>
          <legend>{t('feeds.headers')}</legend>
          {rules.map((r, i) => (
            <div className="inline-form" key={r.key}>
              <div className="field">
                <label htmlFor={`${id}-h${r.key}`}>{t('feeds.headerNameN', { n: i + 1 })}</label>
                <input
                  id={`${id}-h${r.key}`}
                  maxLength={64}
                  value={r.name}
                  onChange={(e) =>
                    setRules(rules.map((x) => (x.key === r.key ? { ...x, name: e.target.value } : x)))
                  }
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-r${r.key}`}>{t('feeds.headerRegexN', { n: i + 1 })}</label>
                <input
                  id={`${id}-r${r.key}`}
                  maxLength={1000}
                  value={r.regex}
                  onChange={(e) =>
                    setRules(rules.map((x) => (x.key === r.key ? { ...x, regex: e.target.value } : x)))
                  }
                />
              </div>
              <button type="button" onClick={() => setRules(rules.filter((x) => x.key !== r.key))}>
                {t('feeds.removeHeader', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => setRules([...rules, { key: ++ruleKeys, name: '', regex: '' }])}
          >
            {t('feeds.addHeader')}
          </button>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-regex`}>{t('feeds.regex')}</label>
          <input
            id={`${id}-regex`}
            maxLength={1000}
            value={regex}
            onChange={(e) => setRegex(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />{' '}
          {t('feeds.mine')}
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('feeds.save')}
          </button>
          <button type="button" onClick={onClose}>
            {t('feeds.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
