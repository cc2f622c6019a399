import { serializePacket } from '../ami/index.js';

/** Headers of a fake packet: an object (arrays repeat a header, undefined is left out) or ordered pairs. */
export type FakeAmiHeaders =
  | Readonly<Record<string, string | number | undefined | ReadonlyArray<string | number>>>
  | ReadonlyArray<readonly [string, string]>;

/** An event-list reply: `EventList: start` response, the items, then the `…Complete` event. */
export interface FakeAmiList {
  /** Item events; each must have an `Event` header. The ActionID is appended last, like Asterisk's Status. */
  items: FakeAmiHeaders[];
  /** Completion event name, e.g. `CoreShowChannelsComplete`. */
  complete: string;
  /** `Message:` of the response (default `Events will follow`). */
  message?: string;
  /** false: Asterisk 11 framing without `EventList` headers (default true). */
  eventList?: boolean;
  /** Extra headers of the completion event. */
  completeHeaders?: FakeAmiHeaders;
}

/** What a handler answers: response headers, a list, raw bytes, or `null` for no answer at all. */
export type FakeAmiReply =
  | FakeAmiHeaders
  | { list: FakeAmiList }
  | { raw: string | Buffer }
  | null
  | undefined;

/** Normalises headers to ordered pairs. */
export function toPairs(h: FakeAmiHeaders): Array<[string, string]> {
  if (Array.isArray(h)) return (h as ReadonlyArray<readonly [string, string]>).map(([k, v]) => [k, v]);
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(
    h as Record<string, string | number | ReadonlyArray<string | number>>,
  )) {
    if (typeof v === 'object') for (const x of v) out.push([k, String(x)]);
    else out.push([k, String(v)]);
  }
  return out;
}

/** A response packet: `Response` first (default Success), then the ActionID, then the rest. */
export function renderResponse(h: FakeAmiHeaders, actionId: string | undefined): string {
  const pairs = toPairs(h);
  const resp = pairs.find(([k]) => k.toLowerCase() === 'response')?.[1] ?? 'Success';
  const rest = pairs.filter(([k]) => k.toLowerCase() !== 'response' && k.toLowerCase() !== 'actionid');
  return serializePacket([
    ['Response', resp],
    ...(actionId ? [['ActionID', actionId] as [string, string]] : []),
    ...rest,
  ]);
}

/** Renders any reply for an action with this ActionID. */
export function renderReply(reply: FakeAmiReply, actionId: string | undefined): string | Buffer {
  if (reply === null || reply === undefined) return '';
  if (!Array.isArray(reply) && typeof reply === 'object') {
    const r = reply as { list?: FakeAmiList; raw?: string | Buffer };
    if (r.raw !== undefined) return r.raw;
    if (r.list !== undefined) return renderList(r.list, actionId);
  }
  return renderResponse(reply as FakeAmiHeaders, actionId);
}

function renderList(list: FakeAmiList, actionId: string | undefined): string {
  const el = list.eventList ?? true;
  const id: Array<[string, string]> = actionId ? [['ActionID', actionId]] : [];
  let out = serializePacket([
    ['Response', 'Success'],
    ...id,
    ...(el ? [['EventList', 'start'] as [string, string]] : []),
    ['Message', list.message ?? (el ? 'Events will follow' : 'Channel status will follow')],
  ]);
  for (const item of list.items) out += serializePacket([...toPairs(item), ...id]);
  out += serializePacket([
    ['Event', list.complete],
    ...id,
    ...(el
      ? [
          ['EventList', 'Complete'] as [string, string],
          ['ListItems', String(list.items.length)] as [string, string],
        ]
      : []),
    ...toPairs(list.completeHeaders ?? []),
  ]);
  return out;
}
