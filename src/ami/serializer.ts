import { AmiInvalidHeaderError } from './errors.js';

/** One header value: arrays become repeated headers (e.g. `Variable`), `undefined` is left out. */
export type AmiParamValue = string | number | boolean | undefined | ReadonlyArray<string | number>;

/** Parameters of an action, in the order they should be written. */
export type AmiParams = Record<string, AmiParamValue>;

function checkName(name: string): void {
  if (name.length === 0) throw new AmiInvalidHeaderError(name, 'empty header name');
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 13 || c === 10)
      throw new AmiInvalidHeaderError(name.replace(/[\r\n]/g, ' '), 'name contains CR or LF');
    if (c === 58) throw new AmiInvalidHeaderError(name, 'name contains a colon');
  }
}

function checkValue(name: string, value: string): void {
  // Never echo the value: it may be a secret.
  if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
    throw new AmiInvalidHeaderError(name, 'value contains CR or LF');
  }
}

function stringify(v: string | number | boolean): string {
  return typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
}

/** An action checked and encoded once: header pairs (for AJAM forms) and the wire text (for TCP/TLS). */
export interface AmiEncodedAction {
  /** Action name as given. */
  readonly action: string;
  /** `[name, value]` pairs, `Action` first (only when asked for: AJAM forms). */
  readonly pairs?: ReadonlyArray<readonly [string, string]>;
  /** `Action: …\r\n…\r\n\r\n` */
  readonly wire: string;
}

/**
 * Checks and encodes an action. Throws {@link AmiInvalidHeaderError} (`AMI_INVALID_HEADER`) before producing
 * anything if a name or value contains CR/LF (header injection) or a name contains a colon. `withPairs` also
 * returns the header pairs (for AJAM form bodies); `actionId` is written second and replaces any `ActionID` param.
 */
export function encodeAction(
  action: string,
  params: AmiParams = {},
  withPairs = false,
  actionId?: string,
): AmiEncodedAction {
  checkValue('Action', action);
  const pairs: Array<readonly [string, string]> | undefined = withPairs ? [['Action', action]] : undefined;
  let wire = `Action: ${action}\r\n`;
  if (actionId !== undefined) {
    checkValue('ActionID', actionId);
    pairs?.push(['ActionID', actionId]);
    wire += `ActionID: ${actionId}\r\n`;
  }
  for (const key in params) {
    const v = params[key];
    if (v === undefined) continue;
    // An explicit actionId replaces any ActionID among the params.
    if (actionId !== undefined && key.length === 8 && key.toLowerCase() === 'actionid') continue;
    checkName(key);
    if (typeof v === 'object') {
      for (const item of v) {
        const s = stringify(item);
        checkValue(key, s);
        pairs?.push([key, s]);
        wire += `${key}: ${s}\r\n`;
      }
    } else {
      const s = stringify(v);
      checkValue(key, s);
      pairs?.push([key, s]);
      wire += `${key}: ${s}\r\n`;
    }
  }
  return pairs ? { action, pairs, wire: `${wire}\r\n` } : { action, wire: `${wire}\r\n` };
}

/** Encodes an action as AMI wire text (`Action: Name\r\n…\r\n\r\n`); same checks as {@link encodeAction}. */
export function serializeAction(action: string, params: AmiParams = {}): string {
  return encodeAction(action, params).wire;
}

/** Encodes raw header pairs as one AMI packet (used by fakes to write responses and events). */
export function serializePacket(headers: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [k, v] of headers) {
    checkName(k);
    checkValue(k, v);
    out += `${k}: ${v}\r\n`;
  }
  return `${out}\r\n`;
}
