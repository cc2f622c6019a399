/**
 * Test harness for the simulated PBX: a raw AMI socket (to see exactly the bytes the simulator sends), packet
 * splitting, and the shapes (event/response name + ordered header names) of the real transcripts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../helpers/wait.js';

const FIX = fileURLToPath(new URL('../../fixtures/asterisk/ami/', import.meta.url));

/** One packet as ordered pairs. */
export type Packet = Array<[string, string]>;

/** Splits AMI bytes (after the banner line) into packets. */
export function packets(text: string): Packet[] {
  const body = text.startsWith('Asterisk Call Manager') ? text.slice(text.indexOf('\r\n') + 2) : text;
  return body
    .split('\r\n\r\n')
    .filter((p) => p.trim() !== '')
    .map((p) =>
      p.split('\r\n').map((l): [string, string] => {
        const i = l.indexOf(': ');
        return i < 0 ? [l.replace(/:$/, ''), ''] : [l.slice(0, i), l.slice(i + 2)];
      }),
    );
}

/** `Event: X` → `X`, `Response: Y` → `Response:Y`. */
export function kind(p: Packet): string {
  const [k, v] = p[0] ?? ['', ''];
  return k === 'Event' ? v : `${k}:${v}`;
}

/** Header names in order, with numbered config lines and repeated Output collapsed. */
export function shape(p: Packet): string {
  const keys = p.map(([k]) => k.replace(/^(Category|Line)-[0-9-]+$/, '$1-N'));
  const out: string[] = [];
  for (const k of keys)
    if (!(k === out[out.length - 1] && (k === 'Output' || k.endsWith('-N') || k === 'Variable'))) out.push(k);
  return out.join(',');
}

/** A real transcript's packets. */
export function fixture(name: string): Packet[] {
  return packets(readFileSync(`${FIX}${name}.raw`, 'utf8'));
}

let catalogue: Map<string, Set<string>> | undefined;

/** Every shape of every packet kind in the current-Asterisk transcripts. */
export function shapes(): Map<string, Set<string>> {
  if (catalogue) return catalogue;
  catalogue = new Map();
  for (const f of readdirSync(FIX).filter((n) => n.endsWith('.raw'))) {
    for (const p of packets(readFileSync(`${FIX}${f}`, 'utf8'))) {
      const k = kind(p);
      const set = catalogue.get(k) ?? new Set();
      set.add(shape(p));
      catalogue.set(k, set);
    }
  }
  return catalogue;
}

/** A raw AMI connection recording every byte received. */
export class RawAmi {
  text = '';
  private n = 0;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.text += c.toString('utf8');
    });
  }

  /** Connects and logs in. */
  static async open(port: number, user = 'admin', secret = 'secret', events = 'on'): Promise<RawAmi> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((r, j) => {
      socket.once('connect', () => r());
      socket.once('error', j);
    });
    const raw = new RawAmi(socket);
    await raw.action('Login', { Username: user, Secret: secret, Events: events });
    return raw;
  }

  /** All packets so far. */
  get all(): Packet[] {
    return packets(this.text);
  }

  /** Sends an action (headers in order; `ActionID` added) and waits for its response (and list end). */
  async action(
    name: string,
    headers: Record<string, string> | Array<[string, string]> = {},
    id?: string,
  ): Promise<Packet[]> {
    const actionId = id ?? `${name.toLowerCase()}-${++this.n}`;
    const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
    this.socket.write(
      `Action: ${name}\r\nActionID: ${actionId}\r\n${pairs.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
    );
    const mine = () => this.all.filter((p) => p.some(([k, v]) => k === 'ActionID' && v === actionId));
    await waitUntil(() => {
      const m = mine();
      const first = m[0];
      if (!first) return false;
      if (!first.some(([k, v]) => k === 'EventList' && v === 'start')) return true;
      return m.some((p) => p.some(([k, v]) => k === 'EventList' && v === 'Complete'));
    }, `reply to ${name}`);
    return mine().filter((p) => !(p[0]?.[0] === 'Event' && p[0][1] === 'OriginateResponse'));
  }

  /** Waits for an event matching a predicate (among everything received so far or later). */
  async waitEvent(pred: (p: Packet) => boolean, what: string, ms = 10_000): Promise<Packet> {
    await waitUntil(() => this.all.some(pred), what, ms);
    return this.all.find(pred) as Packet;
  }

  /** Closes the socket. */
  async close(): Promise<void> {
    this.socket.destroy();
    await new Promise((r) => setImmediate(r));
  }
}

/** Value of a header. */
export function val(p: Packet, key: string): string | undefined {
  return p.find(([k]) => k === key)?.[1];
}

/**
 * Packets whose header names (in order) match no packet of the same kind in the real transcripts; kinds the
 * transcripts never show are reported too unless listed in `unseen`.
 */
export function unknownShapes(list: readonly Packet[], unseen: readonly string[] = []): string[] {
  const cat = shapes();
  const bad: string[] = [];
  for (const p of list) {
    const k = kind(p);
    const known = cat.get(k);
    if (!known) {
      if (!unseen.includes(k)) bad.push(`unseen kind ${k}`);
      continue;
    }
    if (!known.has(shape(p))) bad.push(`${k}: ${shape(p)}`);
  }
  return [...new Set(bad)];
}

/** The actions a recorded client sent (name, headers without Action/ActionID, ActionID), Login excluded. */
export function recordedActions(
  name: string,
): Array<{ action: string; headers: Array<[string, string]>; id: string }> {
  const out: Array<{ action: string; headers: Array<[string, string]>; id: string }> = [];
  for (const line of readFileSync(`${FIX}${name}.jsonl`, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { dir: string; data: string };
    if (r.dir !== 'out' || !r.data.startsWith('Action: ')) continue;
    const p = packets(r.data)[0] ?? [];
    const action = val(p, 'Action') ?? '';
    if (action === 'Login' || action === 'Logoff') continue;
    out.push({
      action,
      headers: p.filter(([k]) => k !== 'Action' && k !== 'ActionID'),
      id: val(p, 'ActionID') ?? '',
    });
  }
  return out;
}

/** The recorded reply packets (response, list items) of an ActionID. */
export function recordedReply(name: string, id: string): Packet[] {
  return fixture(name).filter((p) => val(p, 'ActionID') === id && kind(p) !== 'OriginateResponse');
}
