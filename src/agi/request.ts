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

/** Builds the typed request from the raw `agi_*` pairs (in wire order) or an object of them. */
export function buildAgiRequest(
  pairs: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
): AgiRequest {
  let env: Record<string, string>;
  if (Symbol.iterator in pairs) {
    env = {};
    for (const [name, value] of pairs as Iterable<readonly [string, string]>) env[name] = value;
  } else env = pairs as Record<string, string>;
  const args: string[] = [];
  for (const name in env) {
    if (name.startsWith('agi_arg_')) {
      const index = Number(name.slice(8));
      if (Number.isInteger(index) && index >= 1 && index <= 1024) args[index - 1] = env[name]!;
    }
  }
  for (let i = 0; i < args.length; i++) if (args[i] === undefined) args[i] = '';
  const request = env['agi_request'] ?? '';
  const network = env['agi_network'] === 'yes';
  const networkScript = env['agi_network_script'];
  let target: string;
  if (networkScript !== undefined) target = networkScript;
  else if (network || request.startsWith('agi://') || request.startsWith('hagi://')) {
    // No agi_network_script: the URL had no path. Take what follows the host, if anything.
    const m = /^h?agi:\/\/[^/?]*\/?(.*)$/.exec(request);
    target = m?.[1] ?? '';
  } else target = request;
  const q = target.indexOf('?');
  const script = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? {} : parseAgiQuery(target.slice(q + 1));
  const path = script.startsWith('/') ? script : `/${script}`;
  return {
    request,
    script,
    path,
    query,
    args,
    channel: env['agi_channel'] ?? '',
    language: env['agi_language'] ?? '',
    type: env['agi_type'] ?? '',
    uniqueid: env['agi_uniqueid'] ?? '',
    version: env['agi_version'] ?? '',
    callerId: known(env['agi_callerid']),
    callerIdName: known(env['agi_calleridname']),
    callingPres: int(env['agi_callingpres']),
    callingAni2: int(env['agi_callingani2']),
    callingTon: int(env['agi_callington']),
    callingTns: int(env['agi_callingtns']),
    dnid: known(env['agi_dnid']),
    rdnis: known(env['agi_rdnis']),
    context: env['agi_context'] ?? '',
    extension: env['agi_extension'] ?? '',
    priority: env['agi_priority'] ?? '',
    enhanced:
      env['agi_enhanced'] !== undefined && env['agi_enhanced'] !== '' && Number(env['agi_enhanced']) >= 1,
    accountCode: env['agi_accountcode'] ?? '',
    threadId: env['agi_threadid'] ?? '',
    network,
    networkScript,
    env,
  };
}

/** Parses a whole environment block (`agi_x: y` lines, optionally ending with the empty line). */
export function parseAgiEnvironment(text: string): AgiRequest {
  const pairs: [string, string][] = [];
  for (const line of text.split('\n')) {
    if (line === '') break;
    pairs.push(parseAgiEnvLine(line));
  }
  return buildAgiRequest(pairs);
}
