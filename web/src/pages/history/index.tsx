/**
 * Last calls (`/history`): finished calls newest first with search and filters kept in the address, keyset pages
 * ("Newer"/"Older" walk the server's cursors, so a page costs the same on the millionth row), a CSV link of the
 * same filter, and a call's details.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { duration } from '../../format';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import { CallDetails } from './details';
import { apiQuery, DISPOSITIONS, type FILTER_KEYS, type Filter, pageSearch, readFilter } from './filter';
import type { HistoryCall, HistoryPageData } from './types';
import './history.css';

const PAGE = 50;

/** The Last calls page. */
export function HistoryPage() {
  const { t, lang } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const { filter, cursor } = readFilter(search);
  // Cursors of the pages before this one, so "Newer" walks back (the API pages one way only).
  const [back, setBack] = useState<(string | undefined)[]>([]);
  const [open, setOpen] = useState<number | undefined>();
  const query = apiQuery(filter, { limit: String(PAGE), ...(cursor ? { cursor } : {}) });
  const page = useQuery({
    queryKey: ['history', query.toString()],
    queryFn: () => api<HistoryPageData>('GET', `/api/v1/history?${query}`),
    placeholderData: keepPreviousData,
  });
  const go = (f: Filter, c?: string) => navigate(`/history?${pageSearch(f, c)}`);
  const csv = `/api/v1/history?${apiQuery(filter, { format: 'csv' })}`;
  const when = (iso: string) =>
    new Date(iso).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'medium' });
  const items = page.data?.items ?? [];

  return (
    <main id="main" tabIndex={-1} className="history">
      <h1 id="history-title">{t('history.title')}</h1>
      <Filters
        key={search}
        filter={filter}
        onApply={(f) => {
          setBack([]);
          go(f);
        }}
      />
      <div className="history-bar">
        <p className="muted" aria-live="polite">
          {page.isPending ? t('history.loading') : t('history.shown', { n: items.length })}
        </p>
        <a className="button" href={csv} download>
          {t('history.export')}
        </a>
      </div>
      {page.error && <p className="error">{describeError(page.error, t)}</p>}
      <div className="table-wrap">
        <table aria-label={t('history.table')} className="history-table">
          <thead>
            <tr>
              <th scope="col">{t('history.start')}</th>
              <th scope="col">{t('history.caller')}</th>
              <th scope="col">{t('history.callee')}</th>
              <th scope="col">{t('history.result')}</th>
              <th scope="col">{t('history.duration')}</th>
              <th scope="col">{t('history.billable')}</th>
              <th scope="col">{t('history.queueAgent')}</th>
              <th scope="col">{t('history.pbx')}</th>
              <th scope="col">
                <span className="sr-only">{t('history.details')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <Row key={c.id} c={c} when={when} onOpen={() => setOpen(c.id)} />
            ))}
          </tbody>
        </table>
        {!page.isPending && items.length === 0 && <p className="muted pad">{t('history.none')}</p>}
      </div>
      <nav className="pager" aria-label={t('history.table')}>
        <button
          type="button"
          disabled={!cursor}
          onClick={() => {
            const prev = back.at(-1);
            setBack(back.slice(0, -1));
            go(filter, prev);
          }}
        >
          {t('history.newer')}
        </button>
        <button
          type="button"
          disabled={!page.data?.next || page.isPlaceholderData}
          onClick={() => {
            setBack([...back, cursor]);
            go(filter, page.data?.next);
          }}
        >
          {t('history.older')}
        </button>
      </nav>
      {open !== undefined && <CallDetails id={open} onClose={() => setOpen(undefined)} />}
    </main>
  );
}

function Row({ c, when, onOpen }: { c: HistoryCall; when: (iso: string) => string; onOpen(): void }) {
  const { t } = useI18n();
  const caller = c.callerName ? `${c.callerName} (${c.source ?? '?'})` : (c.source ?? '—');
  const callee = c.destination ?? '—';
  const disp = `history.disp.${c.disposition}` as MessageKey;
  return (
    <tr>
      <td className="num" data-label={t('history.start')}>
        <time dateTime={c.start}>{when(c.start)}</time>
      </td>
      <td data-label={t('history.caller')}>{caller}</td>
      <td data-label={t('history.callee')}>{callee}</td>
      <td data-label={t('history.result')}>
        <span className={c.disposition === 'ANSWERED' ? 'ok' : 'bad'}>
          {(DISPOSITIONS as readonly string[]).includes(c.disposition) ? t(disp) : c.disposition}
        </span>
      </td>
      <td className="num" data-label={t('history.duration')}>
        {duration(c.durationSeconds)}
      </td>
      <td className="num" data-label={t('history.billable')}>
        {duration(c.billableSeconds)}
      </td>
      <td data-label={t('history.queueAgent')}>{[c.queue, c.agent].filter(Boolean).join(' / ') || '—'}</td>
      <td data-label={t('history.pbx')}>{c.pbx}</td>
      <td className="actions">
        <button
          type="button"
          aria-label={t('history.detailsOf', { from: caller, to: callee, time: when(c.start) })}
          onClick={onOpen}
        >
          {t('history.details')}
        </button>
      </td>
    </tr>
  );
}

function Filters({ filter, onApply }: { filter: Filter; onApply(f: Filter): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Filter>(filter);
  const field = (
    k: Exclude<(typeof FILTER_KEYS)[number], 'disposition'>,
    label: MessageKey,
    type = 'text',
  ) => (
    <div className="field">
      <label htmlFor={`hf-${k}`}>{t(label)}</label>
      <input
        id={`hf-${k}`}
        type={type}
        value={draft[k] ?? ''}
        maxLength={80}
        {...(k === 'q' ? { placeholder: t('history.qHint') } : {})}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      />
    </div>
  );
  return (
    <form
      className="card history-filters"
      aria-label={t('history.filters')}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      {field('q', 'history.q', 'search')}
      {field('from', 'history.from', 'date')}
      {field('to', 'history.to', 'date')}
      {field('src', 'history.src')}
      {field('dst', 'history.dst')}
      <div className="field">
        <label htmlFor="hf-disposition">{t('history.disposition')}</label>
        <select
          id="hf-disposition"
          value={draft.disposition ?? ''}
          onChange={(e) => setDraft({ ...draft, disposition: e.target.value })}
        >
          <option value="">{t('history.anyDisposition')}</option>
          {DISPOSITIONS.map((d) => (
            <option key={d} value={d}>
              {t(`history.disp.${d}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      {field('queue', 'history.queue')}
      <div className="buttons">
        <button type="button" onClick={() => onApply({})}>
          {t('history.clear')}
        </button>
        <button type="submit" className="primary">
          {t('history.apply')}
        </button>
      </div>
    </form>
  );
}
