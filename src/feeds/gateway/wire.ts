/** Packets the gateway writes: replies with the client's own ActionID, and the gap notice. */
import { type AmiMessage, serializePacket } from '../../ami/index.js';

const FOLLOWS = /^response: ?follows\r?$/im;
const ACTIONID_LINE = /^actionid:[^\n]*\n/im;

/**
 * The packet as the client must see it: the upstream ActionID replaced by the client's (or removed when the client
 * sent none, as Asterisk does). Re-serialised from the parsed headers, so the serializer's CR/LF refusal holds;
 * a pre-14 `Response: Follows` Command body (not headers) keeps its bytes and only the ActionID line changes.
 */
export function withActionId(m: AmiMessage, clientId: string | undefined): string {
  const text = m.text();
  if (m.response !== undefined && FOLLOWS.test(text.slice(0, 20))) {
    if (clientId !== undefined && /[\r\n]/.test(clientId)) return '';
    const line = clientId === undefined ? '' : `ActionID: ${clientId}\r\n`;
    const out = ACTIONID_LINE.test(text)
      ? text.replace(ACTIONID_LINE, line)
      : text.replace(/\n/, `\n${line}`);
    return `${out}${out.endsWith('\n') ? '' : '\r\n'}\r\n`;
  }
  const pairs: Array<readonly [string, string]> = [];
  let placed = false;
  for (const [k, v] of m.headers) {
    if (k === '') continue; // a line without a colon is not a header; Asterisk never writes one outside Follows
    if (k.toLowerCase() === 'actionid') {
      if (!placed && clientId !== undefined) pairs.push(['ActionID', clientId]);
      placed = true;
      continue;
    }
    pairs.push([k, v]);
    if (!placed && pairs.length === 1 && clientId !== undefined && m.actionId === undefined) {
      pairs.push(['ActionID', clientId]);
      placed = true;
    }
  }
  return serializePacket(pairs);
}

/** A response the gateway answers itself: `Response` first, then the client's ActionID, then the rest. */
export function reply(
  response: string,
  clientId: string | undefined,
  rest: ReadonlyArray<readonly [string, string]> = [],
): string {
  const pairs: Array<readonly [string, string]> = [['Response', response]];
  if (clientId !== undefined) pairs.push(['ActionID', clientId]);
  pairs.push(...rest);
  return serializePacket(pairs);
}

/** The notice sent to every client after the upstream reconnected: events between `from` and `to` may be lost. */
export function gapNotice(from: Date, to: Date): string {
  return serializePacket([
    ['Event', 'UserEvent'],
    ['Privilege', 'user,all'],
    ['UserEvent', 'SwitchboardGap'],
    ['From', from.toISOString()],
    ['To', to.toISOString()],
  ]);
}
