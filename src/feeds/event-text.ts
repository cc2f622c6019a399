/**
 * The text a feed's `regex` runs over. ROM-Asterisk's 1C component tests its expression against the event as
 * one line: the seed's `Dial.{1,}?Begin.{1,}?902` has to span the `Event`, `SubEvent` and `Channel` headers, and
 * `.` never matches a line break — so the packet is flattened: every `Header: value` line in wire order (original
 * spelling, values as decoded), joined by one TAB (`\t`), no CR/LF anywhere. A TAB was chosen because AMI header
 * values practically never hold one, so `\tChannel: PJSIP/902-` anchors on a header boundary.
 */
import type { AmiMessage } from '../ami/index.js';

/** Separator between header lines in the flattened text. */
export const EVENT_TEXT_SEPARATOR = '\t';

/** The packet flattened to one line (`Event: Dial\tPrivilege: call,all\tSubEvent: Begin\t…`). */
export function eventText(m: AmiMessage): string {
  let out = '';
  for (const [k, v] of m.headers) {
    if (out.length > 0) out += EVENT_TEXT_SEPARATOR;
    out += k === '' ? v : `${k}: ${v}`;
  }
  return out;
}
