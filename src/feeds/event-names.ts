/**
 * The names an AMI event answers to in a feed filter: its wire name, its modern typed name (`normalizeEvent`),
 * and the other generation's spelling — so `DialBegin` matches Asterisk 11's `Dial` with `SubEvent: Begin`, and
 * `Bridge`/`Link` match a modern `BridgeEnter`. All lower-case.
 */
import { type AmiMessage, normalizeEvent } from '../ami/index.js';

/** Modern typed name → legacy wire names that carried the same news. */
const LEGACY_OF: Readonly<Record<string, readonly string[]>> = {
  dialbegin: ['dial'],
  dialend: ['dial'],
  bridgeenter: ['bridge', 'link'],
  bridgeleave: ['bridge', 'unlink'],
  queuecallerjoin: ['join'],
  queuecallerleave: ['leave'],
  musiconholdstart: ['musiconhold'],
  musiconholdstop: ['musiconhold'],
  dtmfbegin: ['dtmf'],
  dtmfend: ['dtmf'],
  asyncagistart: ['asyncagi'],
  asyncagiexec: ['asyncagi'],
  asyncagiend: ['asyncagi'],
  agiexecstart: ['agiexec'],
  agiexecend: ['agiexec'],
  queuememberpause: ['queuememberpaused'],
};

const cache = new WeakMap<AmiMessage, ReadonlySet<string>>();

/** Every name (lower-case) this event answers to. Memoised per message (one event, many feeds). */
export function eventNames(m: AmiMessage): ReadonlySet<string> {
  let names = cache.get(m);
  if (names) return names;
  const set = new Set<string>();
  const raw = m.event;
  if (raw !== undefined) {
    set.add(raw.toLowerCase());
    const typed = normalizeEvent(m);
    let modern = typed.type.toLowerCase();
    if (typed.type === 'Bridge' && 'state' in typed)
      modern = typed.state === 'Unlink' ? 'bridgeleave' : 'bridgeenter';
    if (modern !== 'untyped') set.add(modern);
    for (const legacy of LEGACY_OF[modern] ?? []) set.add(legacy);
  }
  names = set;
  cache.set(m, names);
  return names;
}
