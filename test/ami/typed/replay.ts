// Test double for the typed API: answers each action with the reply Asterisk really sent in a recorded transcript.
import { readFileSync } from 'node:fs';
import type { AmiActionRunner, AmiReply } from '../../../src/ami/index.js';
import { AmiMessage, AmiParser } from '../../../src/ami/index.js';
import type { AmiParams } from '../../../src/ami/serializer.js';

const root = new URL('../../fixtures/', import.meta.url).pathname;

/** Every packet Asterisk sent in a transcript, e.g. `asterisk-11/ami/queue`. */
export function packets(name: string): AmiMessage[] {
  const out: AmiMessage[] = [];
  const parser = new AmiParser({ onMessage: (m) => out.push(m) });
  parser.push(readFileSync(`${root}${name}.raw`));
  return out;
}

/** The client's requests of a transcript, parsed. */
export function requests(name: string): AmiMessage[] {
  const out: AmiMessage[] = [];
  for (const line of readFileSync(`${root}${name}.jsonl`, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { dir: string; data: string };
    if (r.dir !== 'out' || r.data === '') continue;
    const parser = new AmiParser({ onMessage: (m) => out.push(m), banner: false });
    parser.push(
      Buffer.from(r.data.endsWith('\n\n') || r.data.endsWith('\r\n\r\n') ? r.data : `${r.data}\r\n`),
    );
  }
  return out;
}

const COMPLETE = /Complete$/i;

/** Runs actions against the recorded replies: the n-th `Action: X` call gets the reply to the n-th recorded one. */
export class ReplayRunner implements AmiActionRunner {
  /** What the typed API sent, in order. */
  readonly sent: Array<{ name: string; params: AmiParams }> = [];
  readonly #packets: AmiMessage[];
  readonly #requests: AmiMessage[];
  readonly #used = new Set<number>();

  constructor(readonly fixture: string) {
    this.#packets = packets(fixture);
    this.#requests = requests(fixture);
  }

  /** The recorded request matched by the last call. */
  lastRecorded: AmiMessage | undefined;

  async action(name: string, params: AmiParams = {}): Promise<AmiReply> {
    this.sent.push({ name, params });
    const idx = this.#requests.findIndex(
      (r, i) => !this.#used.has(i) && r.get('Action')?.toLowerCase() === name.toLowerCase(),
    );
    const req = this.#requests[idx];
    if (!req) throw new Error(`${this.fixture}: no more recorded ${name} requests`);
    this.#used.add(idx);
    this.lastRecorded = req;
    return replyFor(this.#packets, req.get('ActionID') ?? '');
  }
}

/** Builds the reply to the action with this ActionID from the recorded packets. */
export function replyFor(all: AmiMessage[], id: string): AmiReply {
  const at = all.findIndex((m) => m.kind === 'response' && m.actionId === id);
  const message = all[at];
  if (!message) throw new Error(`no recorded response for ActionID ${id}`);
  const items: AmiMessage[] = [];
  let complete: AmiMessage | undefined;
  for (const m of all.slice(at + 1)) {
    if (m.kind !== 'event' || m.actionId !== id) continue;
    if (/^(OriginateResponse|UserEvent)$/i.test(m.event ?? '')) continue;
    if (COMPLETE.test(m.event ?? '')) {
      complete = m;
      break;
    }
    items.push(m);
  }
  return { ok: /^success$/i.test(message.response ?? ''), message, items, complete };
}

/** Builds one packet from header pairs (wire-faithful, repeated headers kept). */
export function msg(pairs: Array<[string, string]>): AmiMessage {
  return AmiMessage.from(pairs);
}
