/** Loads the recorded ARI transcripts (`ari/rest-*.jsonl`, `ari/events-*.jsonl`) as typed records. */
import { readFileSync } from 'node:fs';

/** One recorded REST exchange. */
export interface AriRestRecord {
  /** Ms when sent. */
  t: number;
  /** Ms when the response completed. */
  tDone: number;
  /** HTTP method. */
  method: string;
  /** Path including `/ari`, without the http.conf prefix. */
  path: string;
  /** Query parameters as sent. */
  query: Record<string, string>;
  /** JSON body sent, or null. */
  body: unknown;
  /** How the recorder authenticated: `basic harness`, `basic harness (wrong password)`, `none`. */
  auth: string;
  /** HTTP status. */
  status: number;
  /** Reason phrase. */
  statusMessage: string;
  /** Response headers in order with their original case. */
  responseHeaders: Array<[string, string]>;
  /** Raw response body (`""` for 204). */
  responseBody: string;
}

/** One recorded WebSocket record. */
export type AriEventRecord =
  | { t: number; conn: number; kind: 'message'; data: string }
  | {
      t: number;
      conn: number;
      kind: 'open';
      url: string;
      status: number;
      responseHeaders: Array<[string, string]>;
    }
  | { t: number; conn: number; kind: 'client-close' | 'close'; code: number; reason: string };

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Reads `ari/rest-<scenario>.jsonl`. */
export function loadAriRestFixture(file: string): AriRestRecord[] {
  return readJsonl<AriRestRecord>(file);
}

/** Reads `ari/events-<scenario>.jsonl`. */
export function loadAriEventFixture(file: string): AriEventRecord[] {
  return readJsonl<AriEventRecord>(file);
}

/** The message frames of one connection (or all), in recorded order. */
export function ariEventFrames(records: AriEventRecord[], conn?: number): string[] {
  const out: string[] = [];
  for (const r of records)
    if (r.kind === 'message' && (conn === undefined || r.conn === conn)) out.push(r.data);
  return out;
}
