/** `switchboard/history`: call history and statistics over the store — recorder, queries, CSV export, figures. */
export { CSV_COLUMNS, csvCell, csvLine, historyCsv } from './csv.js';
export { HistoryError } from './errors.js';
export type { HistoryCall, HistoryPage, HistoryPageOptions } from './query.js';
export {
  checkHistoryFilter,
  decodeCursor,
  encodeCursor,
  historyPages,
  MAX_ID,
  queryHistory,
  toHistoryCall,
} from './query.js';
export { dialledNumber, mainVisit, toHistoryRow, visitWait } from './record.js';
export type { HistoryRecorderOptions, HistoryRecorderStats, RecordSink, RecordSource } from './recorder.js';
export { HistoryRecorder } from './recorder.js';
export type { Retention, RetentionOptions } from './retention.js';
export { startRetention } from './retention.js';
export type {
  HistoryFigures,
  HistoryGroup,
  HistoryQueueFigures,
  HistoryStats,
  HistoryStatsOptions,
} from './stats.js';
export { historyStats } from './stats.js';
