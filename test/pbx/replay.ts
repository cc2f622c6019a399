/** Test helper: replays a recorded AMI transcript (`*.jsonl`) through the real AmiParser, with the recording clock. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';

/** One message of a transcript with the time it arrived and the action it answers (when it is a reply). */
export interface ReplayItem {
  message: AmiMessage;
  /** Epoch ms (fixed base + the recording's `t`). */
  at: number;
  /** Action name of the request with the same ActionID, if any. */
  action?: string;
  /** Headers of that request. */
  request?: Record<string, string>;
}

/** Base epoch of replays (any fixed value keeps tests deterministic). */
export const BASE = Date.UTC(2026, 10, 22, 9, 0, 0);

const root = new URL('../fixtures/', import.meta.url).pathname;

/** Every AMI transcript: `ami/*.jsonl` and `agi/*.ami.jsonl` of the three Asterisk versions. */
export function transcripts(): string[] {
  const out: string[] = [];
  for (const v of ['asterisk', 'asterisk-13', 'asterisk-11']) {
    for (const dir of ['ami', 'agi']) {
      const d = join(root, v, dir);
      for (const f of readdirSync(d).sort()) {
        if (dir === 'ami' ? f.endsWith('.jsonl') : f.endsWith('.ami.jsonl')) out.push(join(v, dir, f));
      }
    }
  }
  return out;
}

function parseRequest(data: string): Record<string, string> {
  const h: Record<string, string> = {};
  for (const line of data.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return h;
}

/** Reads a transcript and returns its messages in wire order. */
export function replay(rel: string): ReplayItem[] {
  const lines = readFileSync(join(root, rel), 'utf8').split('\n').filter(Boolean);
  const requests = new Map<string, Record<string, string>>();
  const out: ReplayItem[] = [];
  let at = BASE;
  const parser = new AmiParser({
    onMessage: (message) => {
      const id = message.actionId;
      const req = id === undefined ? undefined : requests.get(id);
      const item: ReplayItem = { message, at };
      if (req) {
        item.action = req.action;
        item.request = req;
      }
      out.push(item);
    },
  });
  for (const line of lines) {
    const rec = JSON.parse(line) as { dir: string; t?: number; data: string; encoding?: string };
    if (rec.dir === 'out') {
      const h = parseRequest(rec.data);
      if (h.actionid) requests.set(h.actionid, h);
      continue;
    }
    if (!rec.data) continue;
    at = BASE + Math.round(rec.t ?? 0);
    parser.push(Buffer.from(rec.data, rec.encoding === 'latin-1' ? 'latin1' : 'utf8'));
  }
  return out;
}
