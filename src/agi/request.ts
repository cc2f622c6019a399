/** The AGI environment block (the `agi_*` lines Asterisk sends first) as a typed request. Pure. */
import { AgiProtocolError } from './errors.js';

/** A call handed to us by `AGI()`: the parsed environment block. */
export interface AgiRequest {
  /** `agi_request`: the whole target as written in the dialplan (e.g. `agi://10.0.0.5/ivr?x=1`, `async`). */
  readonly request: string;
  /** Script name without query and without leading slash (`ivr`); for stdio AGI the program path. */
  readonly script: string;
  /** Script as a path with a leading slash (`/ivr`, `/` when the URL had none): what the router matches. */
  readonly path: string;
  /** Parsed `?query` of the script (`%XX` decoded, `+` kept literal; the first of repeated keys wins). */
  readonly query: Readonly<Record<string, string>>;
  /** `agi_arg_1…N`: the dialplan arguments after the target, in order. */
  readonly args: readonly string[];
  /** `agi_channel`, e.g. `PJSIP/reina-0000001a`. */
  readonly channel: string;
  /** `agi_language`. */
  readonly language: string;
  /** `agi_type`: channel technology (`PJSIP`, `Local`…). */
  readonly type: string;
  /** `agi_uniqueid`. */
  readonly uniqueid: string;
  /** `agi_version`: Asterisk version string. */
  readonly version: string;
  /** `agi_callerid`, absent when Asterisk says `unknown` or nothing. */
  readonly callerId?: string;
  /** `agi_calleridname`, absent when `unknown` or empty. */
  readonly callerIdName?: string;
  /** `agi_callingpres`: caller ID presentation. */
  readonly callingPres?: number;
  /** `agi_callingani2`. */
  readonly callingAni2?: number;
  /** `agi_callington`: type of number. */
  readonly callingTon?: number;
  /** `agi_callingtns`: transit network select. */
  readonly callingTns?: number;
  /** `agi_dnid`, absent when `unknown`. */
  readonly dnid?: string;
  /** `agi_rdnis`, absent when `unknown`. */
  readonly rdnis?: string;
  /** `agi_context`. */
  readonly context: string;
  /** `agi_extension`. */
  readonly extension: string;
  /** `agi_priority` (a number as text). */
  readonly priority: string;
  /** `agi_enhanced` is `1.0`: EAGI with audio on fd 3. */
  readonly enhanced: boolean;
  /** `agi_accountcode` (may be empty). */
  readonly accountCode: string;
  /** `agi_threadid`. */
  readonly threadId: string;
  /** `agi_network: yes`: a FastAGI call. */
  readonly network: boolean;
  /** `agi_network_script`: path after the host including `?query`, without leading slash. */
  readonly networkScript?: string;
  /** Every raw `agi_*` pair as received (names without the `agi_` prefix removed). */
  readonly env: Readonly<Record<string, string>>;
}

function known(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === 'unknown' ? undefined : value;
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

function decode(part: string): string {
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Parses `a=1&b=x%20y` into an object: `%XX` decoded, `+` kept literal, first of repeated keys wins. */
export function parseAgiQuery(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (query === '') return out;
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    if (Object.hasOwn(out, key)) continue;
    out[key] = eq < 0 ? '' : decode(piece.slice(eq + 1));
  }
  return out;
}

/** Splits one environment line `agi_name: value` at its first colon; values containing `:` stay whole. */
export function parseAgiEnvLine(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon <= 0)
    throw new AgiProtocolError(`not an AGI environment line: ${JSON.stringify(line.slice(0, 80))}`);
  const name = line.slice(0, colon);
  let value = line.slice(colon + 1);
  if (value.charCodeAt(0) === 32) value = value.slice(1);
  return [name, value];
}

/** Environment names with a typed field, to one integer each (a hash lookup instead of string compares). */
const FIELD = new Map<string, number>(
  [
    'agi_request',
    'agi_channel',
    'agi_language',
    'agi_type',
    'agi_uniqueid',
    'agi_version',
    'agi_callerid',
    'agi_calleridname',
    'agi_callingpres',
    'agi_callingani2',
    'agi_callington',
    'agi_callingtns',
    'agi_dnid',
    'agi_rdnis',
    'agi_context',
    'agi_extension',
    'agi_priority',
    'agi_enhanced',
    'agi_accountcode',
    'agi_threadid',
    'agi_network',
    'agi_network_script',
  ].map((n, i) => [n, i]),
);

const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});
const NO_ARGS: readonly string[] = Object.freeze([]);

function envFromText(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    if (nl === start) break;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < nl) {
      env[text.slice(start, colon)] = text.slice(
        text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1,
        nl,
      );
    }
    start = nl + 1;
  }
  return env;
}

/**
 * The request, filled in one pass over the environment text. The raw `env` record is only built when
 * asked for: a dictionary of ~22 keys per call is the largest thing a quiet session would hold.
 */
class ParsedAgiRequest implements AgiRequest {
  request = '';
  script = '';
  path = '/';
  query = NO_QUERY;
  args = NO_ARGS;
  channel = '';
  language = '';
  type = '';
  uniqueid = '';
  version = '';
  callerId: string | undefined = undefined;
  callerIdName: string | undefined = undefined;
  callingPres: number | undefined = undefined;
  callingAni2: number | undefined = undefined;
  callingTon: number | undefined = undefined;
  callingTns: number | undefined = undefined;
  dnid: string | undefined = undefined;
  rdnis: string | undefined = undefined;
  context = '';
  extension = '';
  priority = '';
  enhanced = false;
  accountCode = '';
  threadId = '';
  network = false;
  networkScript: string | undefined = undefined;
  private readonly text: string;
  private rawEnv: Record<string, string> | undefined;

  constructor(text: string) {
    this.text = text;
    let args: string[] | undefined;
    let start = 0;
    while (start < text.length) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = text.length;
      if (nl === start) break;
      const colon = text.indexOf(':', start);
      if (colon <= start || colon > nl) {
        throw new AgiProtocolError(
          `not an AGI environment line: ${JSON.stringify(text.slice(start, Math.min(nl, start + 80)))}`,
        );
      }
      const value = text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1, nl);
      const name = text.slice(start, colon);
      start = nl + 1;
      if (!name.startsWith('agi_')) continue;
      switch (FIELD.get(name)) {
        case 0: // agi_request
          this.request = value;
          break;
        case 1: // agi_channel
          this.channel = value;
          break;
        case 2: // agi_language
          this.language = value;
          break;
        case 3: // agi_type
          this.type = value;
          break;
        case 4: // agi_uniqueid
          this.uniqueid = value;
          break;
        case 5: // agi_version
          this.version = value;
          break;
        case 6: // agi_callerid
          this.callerId = known(value);
          break;
        case 7: // agi_calleridname
          this.callerIdName = known(value);
          break;
        case 8: // agi_callingpres
          this.callingPres = int(value);
          break;
        case 9: // agi_callingani2
          this.callingAni2 = int(value);
          break;
        case 10: // agi_callington
          this.callingTon = int(value);
          break;
        case 11: // agi_callingtns
          this.callingTns = int(value);
          break;
        case 12: // agi_dnid
          this.dnid = known(value);
          break;
        case 13: // agi_rdnis
          this.rdnis = known(value);
          break;
        case 14: // agi_context
          this.context = value;
          break;
        case 15: // agi_extension
          this.extension = value;
          break;
        case 16: // agi_priority
          this.priority = value;
          break;
        case 17: // agi_enhanced
          this.enhanced = value !== '' && Number(value) >= 1;
          break;
        case 18: // agi_accountcode
          this.accountCode = value;
          break;
        case 19: // agi_threadid
          this.threadId = value;
          break;
        case 20: // agi_network
          this.network = value === 'yes';
          break;
        case 21: // agi_network_script
          this.networkScript = value;
          break;
        default:
          if (name.startsWith('agi_arg_')) {
            const index = Number(name.slice(8));
            if (Number.isInteger(index) && index >= 1 && index <= 1024) {
              args ??= [];
              args[index - 1] = value;
            }
          }
      }
    }
    if (args) {
      for (let i = 0; i < args.length; i++) if (args[i] === undefined) args[i] = '';
      this.args = args;
    }
    let target: string;
    if (this.networkScript !== undefined) target = this.networkScript;
    else if (this.network || this.request.startsWith('agi://') || this.request.startsWith('hagi://')) {
      // No agi_network_script: the URL had no path. Take what follows the host, if anything.
      const m = /^h?agi:\/\/[^/?]*\/?(.*)$/.exec(this.request);
      target = m?.[1] ?? '';
    } else target = this.request;
    const q = target.indexOf('?');
    this.script = q < 0 ? target : target.slice(0, q);
    if (q >= 0) this.query = parseAgiQuery(target.slice(q + 1));
    this.path = this.script.startsWith('/') ? this.script : `/${this.script}`;
  }

  /** Every raw `agi_*` pair as received. */
  get env(): Readonly<Record<string, string>> {
    this.rawEnv ??= envFromText(this.text);
    return this.rawEnv;
  }

  /** Plain-object form (for logs and deep comparisons), `env` included. */
  toJSON(): Record<string, unknown> {
    const { text: _text, rawEnv: _raw, ...rest } = this;
    return { ...rest, env: this.env };
  }
}

/** Builds the typed request from the raw `agi_*` pairs (in wire order) or an object of them. */
export function buildAgiRequest(
  pairs: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
): AgiRequest {
  const entries =
    Symbol.iterator in pairs ? [...(pairs as Iterable<readonly [string, string]>)] : Object.entries(pairs);
  let text = '';
  for (const [name, value] of entries) {
    if (/[\r\n]/.test(name + value) || !name || name.includes(':')) {
      throw new AgiProtocolError(`bad AGI environment entry ${JSON.stringify(name)}`);
    }
    text += `${name}: ${value}\n`;
  }
  return new ParsedAgiRequest(text);
}

/**
 * Parses a whole environment block (`agi_x: y` lines, optionally ending with the empty line). Values keep
 * everything after the first `: `, colons included.
 */
export function parseAgiEnvironment(text: string): AgiRequest {
  return new ParsedAgiRequest(text);
}
