/**
 * CSV export of a history query, streamed page by page (RFC 4180 quoting; text cells that a spreadsheet would run as a
 * formula — starting with `=`, `+`, `-`, `@`, tab or CR — are prefixed with `'`, OWASP's advice against CSV injection).
 */
import { Readable } from 'node:stream';
import type { HistoryFilter, HistoryRepository } from '../store/index.js';
import { checkHistoryFilter, type HistoryCall, historyPages } from './query.js';

/** The CSV columns, in order (header names). */
export const CSV_COLUMNS: readonly (keyof HistoryCall)[] = [
  'id',
  'callId',
  'pbx',
  'start',
  'answer',
  'end',
  'durationSeconds',
  'billableSeconds',
  'source',
  'destination',
  'callerName',
  'disposition',
  'hangupCause',
  'hangupCauseText',
  'queue',
  'agent',
  'queueOutcome',
  'waitSeconds',
  'talkSeconds',
  'route',
  'endedWhileDisconnected',
];

/** One CSV cell: numbers and booleans as they are, text neutralised against formulas and quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The CSV text of a query as a stream: the header, then one page of rows at a time. */
export function historyCsv(
  repo: Pick<HistoryRepository, 'page'>,
  filter: HistoryFilter,
  pageSize = 1000,
): Readable {
  checkHistoryFilter(filter);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(CSV_COLUMNS);
    for await (const page of historyPages(repo, filter, pageSize)) {
      yield page.map((c) => csvLine(CSV_COLUMNS.map((k) => c[k]))).join('');
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
