import type { AmiMessage } from '../ami/index.js';
import type { FakeAmiSession } from './ami-fake-session.js';

/** One record of a recorded AMI session (the `.jsonl` fixtures): bytes Asterisk sent, or a client write. */
export interface AmiTranscriptRecord {
  dir: 'in' | 'out';
  data: Buffer;
  /** The peer closed after this record. */
  eof?: boolean;
}

interface Step {
  action: string;
  id: string | undefined;
  block: Buffer[];
  eof: boolean;
}

const ACTION = /^action: ?(.*?)\r?$/im;
const ACTION_ID = /^actionid: ?(.*?)\r?$/im;

/**
 * Replays what Asterisk sent in a recorded session, keyed to the client's actions: the bytes recorded after
 * the n-th client write are sent when the client sends the matching action (same name, in order), with the
 * recorded ActionIDs rewritten to the client's own. Chunk boundaries follow the recording.
 */
export class AmiTranscriptReplay {
  private readonly preamble: Buffer[] = [];
  private readonly steps: Step[] = [];

  constructor(records: readonly AmiTranscriptRecord[]) {
    let current: Step | undefined;
    for (const r of records) {
      if (r.dir === 'out') {
        if (r.data.length === 0) continue;
        const text = r.data.toString('latin1');
        current = {
          action: (ACTION.exec(text)?.[1] ?? '').toLowerCase(),
          id: ACTION_ID.exec(text)?.[1],
          block: [],
          eof: false,
        };
        this.steps.push(current);
      } else {
        if (r.data.length > 0) (current ? current.block : this.preamble).push(r.data);
        if (r.eof && current) current.eof = true;
      }
    }
  }

  /** Parses a `.jsonl` transcript (`{"dir","data","encoding?","eof?"}` per line). */
  static fromJsonl(text: string): AmiTranscriptReplay {
    const records: AmiTranscriptRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const r = JSON.parse(line) as { dir: 'in' | 'out'; data: string; encoding?: string; eof?: boolean };
      records.push({
        dir: r.dir,
        data: Buffer.from(r.data, r.encoding === 'latin-1' ? 'latin1' : 'utf8'),
        ...(r.eof ? { eof: true } : {}),
      });
    }
    return new AmiTranscriptReplay(records);
  }

  /** The client actions the recording expects, in order (lower-case names). */
  get expectedActions(): string[] {
    return this.steps.map((s) => s.action);
  }

  /** Starts replaying to one session: sends the preamble (banner) now. */
  start(session: FakeAmiSession): { onAction(m: AmiMessage): void } {
    for (const c of this.preamble) session.write(c);
    let next = 0;
    const ids = new Map<string, string>();
    const send = (step: Step, liveId: string | undefined) => {
      if (step.block.length > 0) {
        let text = Buffer.concat(step.block).toString('latin1');
        // The recording sent no ActionID but the client did: label the reply so it can be correlated.
        if (step.id === undefined && liveId !== undefined) {
          text = text.replace(/(^|\n)(Response: [^\r\n]*\r?\n)/i, `$1$2ActionID: ${liveId}\r\n`);
        }
        text = text.replace(/(^|\n)(ActionID: ?)([^\r\n]*)/gi, (all, nl: string, key: string, id: string) => {
          const live = ids.get(id);
          return live === undefined ? all : `${nl}${key}${live}`;
        });
        const bytes = Buffer.from(text, 'latin1');
        let pos = 0;
        step.block.forEach((c, i) => {
          const end = i === step.block.length - 1 ? bytes.length : Math.min(bytes.length, pos + c.length);
          if (end > pos) session.write(bytes.subarray(pos, end));
          pos = end;
        });
      }
      if (step.eof) session.socket.end();
    };
    return {
      onAction: (m) => {
        const name = (m.get('Action') ?? '').toLowerCase();
        let j = next;
        while (j < this.steps.length && this.steps[j]!.action !== name) j++;
        const step = this.steps[j];
        if (step === undefined) {
          session.write(
            `Response: Error\r\n${m.actionId ? `ActionID: ${m.actionId}\r\n` : ''}Message: Replay: unexpected action ${name}\r\n\r\n`,
          );
          return;
        }
        if (step.id !== undefined && m.actionId !== undefined) ids.set(step.id, m.actionId);
        for (let k = next; k <= j; k++) send(this.steps[k]!, k === j ? m.actionId : undefined);
        next = j + 1;
      },
    };
  }
}
