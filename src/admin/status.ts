/** Live status of a phone from the live model: registered, contacts, in a call. */
import type { PbxEndpoint, PbxMonitor } from '../pbx/index.js';

/** A phone's live status. */
export interface PhoneStatus {
  /** Whether the live model knows this endpoint at all. */
  known: boolean;
  registered: boolean;
  /** Contact URIs (address and port of each registered device). */
  contacts: string[];
  /** Asterisk's last status word (Reachable, Registered, Unavailable…). */
  state: string | null;
  /** Device state (NOT_INUSE, INUSE, RINGING…). */
  deviceState: string | null;
  inCall: boolean;
  /** Round-trip time in ms: the live model does not track qualify times, so null (see README). */
  rttMs: number | null;
}

/** What status needs of the live model. */
export interface StatusSource {
  /** The endpoint of a PBX by resource name (`PJSIP/2001` or `SIP/2001`). */
  endpoint(pbx: string, extension: string): PbxEndpoint | undefined;
  /** Whether the PBX has an endpoint of this name. */
  hasEndpoint(pbx: string, extension: string): boolean;
}

const IN_CALL = new Set(['INUSE', 'BUSY', 'RINGING', 'RINGINUSE', 'ONHOLD']);
const UP = /^(reachable|registered|ok|not_inuse|notinuse)/i;

/** A status source over the monitor. */
export function monitorStatus(monitor: PbxMonitor): StatusSource {
  // One snapshot serves a whole list request (a snapshot copies the model).
  const cache = new Map<string, { at: number; endpoints: PbxEndpoint[] }>();
  const find = (pbx: string, ext: string) => {
    const now = Date.now();
    let c = cache.get(pbx);
    if (!c || now - c.at > 250) {
      c = { at: now, endpoints: monitor.model(pbx)?.snapshot(now).endpoints ?? [] };
      cache.set(pbx, c);
    }
    return c.endpoints.find((e) => e.device === `PJSIP/${ext}` || e.device === `SIP/${ext}`);
  };
  return { endpoint: find, hasEndpoint: (pbx, ext) => find(pbx, ext) !== undefined };
}

/** The status of one phone. */
export function phoneStatus(
  src: StatusSource | undefined,
  p: { pbx: string; extension: string },
): PhoneStatus {
  const e = src?.endpoint(p.pbx, p.extension);
  if (!e)
    return {
      known: false,
      registered: false,
      contacts: [],
      state: null,
      deviceState: null,
      inCall: false,
      rttMs: null,
    };
  const deviceState = e.deviceState ?? null;
  return {
    known: true,
    registered: e.contacts.length > 0 || UP.test(e.status ?? ''),
    contacts: [...e.contacts],
    state: e.status ?? null,
    deviceState,
    inCall: (e.activeChannels ?? 0) > 0 || (deviceState !== null && IN_CALL.has(deviceState)),
    rttMs: null,
  };
}
