/**
 * Feed filters: `{events?, headers?, regex?, mine?}` compiled once (when saved) into a predicate over AMI events.
 * Every given criterion must hold. Patterns pass the static safety check of `regex-guard.ts`; a bad one is a
 * `FeedsError` naming the field (`filter.regex`, `filter.headers.Channel`), which the edge answers with 422.
 */
import type { AmiMessage } from '../ami/index.js';
import { FeedsError } from './errors.js';
import { eventNames } from './event-names.js';
import { eventText } from './event-text.js';
import { cappedTest, compileUserRegex, MAX_HEADER_TEXT } from './regex-guard.js';

/** A filter as stored and sent over the API. */
export interface FeedFilterSpec {
  /** Event names (modern and legacy spellings both match, case-insensitive). */
  events?: string[];
  /** Header name → regular expression one of its values must match. */
  headers?: Record<string, string>;
  /** Regular expression over the flattened event text (see `eventText`), like ROM-Asterisk's. */
  regex?: string;
  /** Only events about the owner's extensions or their calls. */
  mine?: boolean;
}

/** What "mine" is decided against, given per event by the engine. */
export interface MineScope {
  /** The owner's extensions (`902`). */
  extensions: ReadonlySet<string>;
  /** Whether the event belongs to a call one of those extensions is in (by linkedid, from the live model). */
  inMyCall?: (m: AmiMessage) => boolean;
}

/** A compiled filter. */
export interface FeedFilter {
  /** The spec it was compiled from (normalised). */
  readonly spec: FeedFilterSpec;
  /** The `regex` criterion, compiled (the engine runs it in the `RegexWorker`; `test` runs it inline). */
  readonly regex: RegExp | undefined;
  /** Every criterion but `regex` (inline: names, short header values, mine). */
  prefilter(m: AmiMessage, mine?: MineScope): boolean;
  /** Whether the event passes every criterion, `regex` included, inline (trusted input, tests). */
  test(m: AmiMessage, mine?: MineScope): boolean;
}

/** Headers that name a channel (modern and legacy). */
const CHANNEL_HEADERS = [
  'Channel',
  'DestChannel',
  'Destination',
  'Channel1',
  'Channel2',
  'Source',
  'TransfererChannel',
  'TransfereeChannel',
  'OrigTransfererChannel',
  'SecondTransfererChannel',
  'TransferTargetChannel',
  'LocalOneChannel',
  'LocalTwoChannel',
  'Interface',
];

/** The extension a channel name belongs to: `PJSIP/902-00000001` → `902`, `Local/902@ctx-0001;1` → `902`. */
export function channelExtension(name: string): string | undefined {
  const slash = name.indexOf('/');
  if (slash < 0) return undefined;
  const rest = name.slice(slash + 1);
  const m = /^([^@;/]+?)(?:@[^;]*?)?(?:-[0-9a-f]+)?(?:;\d)?$/i.exec(rest);
  return m?.[1];
}

/** Whether an event concerns one of the extensions (a channel of theirs) or one of their calls. */
export function isMine(m: AmiMessage, scope: MineScope): boolean {
  for (const h of CHANNEL_HEADERS) {
    const v = m.get(h);
    if (v === undefined) continue;
    const ext = channelExtension(v);
    if (ext !== undefined && scope.extensions.has(ext)) return true;
  }
  return scope.inMyCall?.(m) ?? false;
}

const HEADER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks and compiles a filter spec; throws `FeedsError` (422 at the edge) naming the bad part. */
export function compileFeedFilter(input: FeedFilterSpec): FeedFilter {
  const spec: FeedFilterSpec = {};
  let names: Set<string> | undefined;
  if (input.events !== undefined) {
    if (input.events.length === 0)
      throw new FeedsError('FEED_BAD_FILTER', 'filter.events: empty list', 'filter.events');
    names = new Set();
    for (const e of input.events) {
      // AMI names are letters, digits, _ and -; call feeds' names have a dot (`call.ringing`, `trunk.down`).
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(e)) {
        throw new FeedsError(
          'FEED_BAD_FILTER',
          `filter.events: bad event name ${JSON.stringify(e)}`,
          'filter.events',
        );
      }
      names.add(e.toLowerCase());
    }
    spec.events = [...input.events];
  }
  const headers: Array<[string, RegExp]> = [];
  if (input.headers !== undefined) {
    for (const [k, pattern] of Object.entries(input.headers)) {
      const field = `filter.headers.${k}`;
      if (!HEADER_NAME.test(k)) throw new FeedsError('FEED_BAD_FILTER', `${field}: bad header name`, field);
      headers.push([k, compileUserRegex(pattern, field)]);
    }
    spec.headers = { ...input.headers };
  }
  const regex = input.regex === undefined ? undefined : compileUserRegex(input.regex, 'filter.regex');
  if (input.regex !== undefined) spec.regex = input.regex;
  const mine = input.mine === true;
  if (mine) spec.mine = true;
  const prefilter = (m: AmiMessage, scope?: MineScope): boolean => {
    if (names !== undefined) {
      let hit = false;
      for (const n of eventNames(m)) if (names.has(n)) hit = true;
      if (!hit) return false;
    }
    for (const [k, re] of headers) {
      if (!m.getAll(k).some((v) => cappedTest(re, v, MAX_HEADER_TEXT))) return false;
    }
    return !mine || (scope !== undefined && isMine(m, scope));
  };
  return {
    spec,
    regex,
    prefilter,
    test: (m, scope) => prefilter(m, scope) && (regex === undefined || cappedTest(regex, eventText(m))),
  };
}
