/**
 * PJSIP endpoints of the simulated PBX and their registrations. Endpoints come from `pjsip.conf` (endpoint + auth
 * + aor categories) and from `pjsip_wizard.conf` (`type = wizard`), applied only by the module reloads that
 * apply them on a real Asterisk: `res_pjsip_config_wizard.so` creates the wizard's endpoint, but its contacts
 * raise `ContactStatus` only after `res_pjsip.so` reloads (see the `sip-provision-wizard` fixture's README).
 */
import { createHash } from 'node:crypto';
import { endpointDeviceState, setDeviceState } from './channels.js';
import type { ConfCategory } from './config-store.js';
import type { SimCore } from './core.js';
import { event, eventTv } from './headers.js';
import type { SimEndpoint } from './state.js';

const get = (c: ConfCategory, k: string) => c.lines.find((l) => l.key === k)?.value;

function fromPjsipConf(cats: ConfCategory[]): SimEndpoint[] {
  const out: SimEndpoint[] = [];
  for (const c of cats) {
    if (c.template || get(c, 'type') !== 'endpoint') continue;
    const authName = get(c, 'auth') ?? '';
    const auth = cats.find((a) => a.name === authName && get(a, 'type') === 'auth');
    out.push({
      name: c.name,
      context: get(c, 'context') ?? 'default',
      language: get(c, 'language') ?? 'en',
      username: (auth && get(auth, 'username')) ?? c.name,
      secret: (auth && get(auth, 'password')) ?? '',
      auth: authName,
      aor: get(c, 'aors') ?? c.name,
      transport: get(c, 'transport') ?? '',
      callerId: get(c, 'callerid') ?? '',
      outboundAuth: get(c, 'outbound_auth') ?? '',
      contactEvents: true,
      source: 'pjsip.conf',
    });
  }
  return out;
}

function fromWizard(cats: ConfCategory[]): SimEndpoint[] {
  return cats
    .filter((c) => !c.template && get(c, 'type') === 'wizard')
    .map((c) => ({
      name: c.name,
      context: get(c, 'endpoint/context') ?? 'default',
      language: get(c, 'endpoint/language') ?? 'en',
      username: get(c, 'inbound_auth/username') ?? c.name,
      secret: get(c, 'inbound_auth/password') ?? '',
      auth: `${c.name}-iauth`,
      aor: c.name,
      transport: get(c, 'transport') ?? '',
      callerId: get(c, 'endpoint/callerid') ?? '',
      outboundAuth: '',
      contactEvents: false,
      source: 'pjsip_wizard.conf' as const,
    }));
}

/** Applies the PJSIP configuration as one module reload would; returns the names of new endpoints. */
export function applyPjsip(core: SimCore, module: 'res_pjsip.so' | 'res_pjsip_config_wizard.so'): string[] {
  const source = module === 'res_pjsip.so' ? 'pjsip.conf' : 'pjsip_wizard.conf';
  const fresh =
    module === 'res_pjsip.so'
      ? fromPjsipConf(core.config.get('pjsip.conf') ?? [])
      : fromWizard(core.config.get('pjsip_wizard.conf') ?? []);
  const added: string[] = [];
  const eps = core.state.endpoints;
  for (const [name, ep] of [...eps]) {
    if (ep.source === source && !fresh.some((f) => f.name === name)) {
      if (ep.contact) unregister(core, name);
      eps.delete(name);
    }
  }
  for (const f of fresh) {
    const old = eps.get(f.name);
    if (old && old.source !== source) continue;
    if (!old) added.push(f.name);
    eps.set(f.name, {
      ...f,
      ...(old?.contact ? { contact: old.contact } : {}),
      contactEvents: old?.contactEvents ?? f.contactEvents,
    });
  }
  // A res_pjsip reload re-reads every sorcery object: wizard contacts get their ContactStatus from now on.
  if (module === 'res_pjsip.so') for (const ep of eps.values()) ep.contactEvents = true;
  return added;
}

/** How a phone registers. */
export interface RegisterOptions {
  /** The password the phone answers the challenge with (default: the configured one). */
  secret?: string;
  /** Contact URI (default `sip:<name>-0x<hex>@127.0.0.1:<port>`). */
  contact?: string;
  /** User-Agent header (default `baresip v1.0.0 (x86_64/linux)`). */
  userAgent?: string;
}

/** A registration refused by the simulator. */
export class SimRegistrationError extends Error {
  /** Stable code: `SIM_NO_ENDPOINT` or `SIM_AUTH_FAILED`. */
  constructor(
    readonly code: 'SIM_NO_ENDPOINT' | 'SIM_AUTH_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'SimRegistrationError';
  }
}

function security(
  core: SimCore,
  name: string,
  severity: string,
  account: string,
  callId: string,
  port: number,
  tail: Array<[string, string]>,
): void {
  core.emit(
    event(name, 'security,all', [
      ['EventTV', eventTv(core.clock.now())],
      ['Severity', severity],
      ['Service', 'PJSIP'],
      ['EventVersion', '1'],
      ['AccountID', account],
      ['SessionID', callId],
      ['LocalAddress', 'IPV4/UDP/127.0.0.1/5060'],
      ['RemoteAddress', `IPV4/UDP/127.0.0.1/${port}`],
      ...tail,
    ]),
  );
}

function portOf(core: SimCore, name: string): number {
  const i = [...core.state.endpoints.keys()].indexOf(name);
  return 5070 + 10 * Math.max(0, i);
}

/** A phone registers: challenge, auth, `PeerStatus` Reachable, `ContactStatus`, device state. */
export function register(core: SimCore, name: string, opts: RegisterOptions = {}): SimEndpoint {
  const ep = core.state.endpoints.get(name);
  const port = portOf(core, name);
  const callId =
    core.rng.int(0, 0xffffffff).toString(16).padStart(8, '0') +
    core.rng.int(0, 0xffffffff).toString(16).padStart(8, '0');
  if (!ep) {
    core.log.notice(
      undefined,
      'res_pjsip/pjsip_distributor.c',
      `Request 'REGISTER' from '<sip:${name}@127.0.0.1>' failed for '127.0.0.1:${port}' (callid: ${callId}) - No matching endpoint found`,
    );
    throw new SimRegistrationError('SIM_NO_ENDPOINT', `No endpoint named ${name}`);
  }
  security(core, 'ChallengeSent', 'Informational', ep.username, callId, port, [['Challenge', '']]);
  if (opts.secret !== undefined && opts.secret !== ep.secret) {
    security(core, 'ChallengeResponseFailed', 'Error', ep.username, callId, port, [
      ['Challenge', ''],
      ['Response', ''],
      ['ExpectedResponse', ''],
    ]);
    core.log.notice(
      undefined,
      'res_pjsip/pjsip_distributor.c',
      `Request 'REGISTER' from '<sip:${name}@127.0.0.1>' failed for '127.0.0.1:${port}' (callid: ${callId}) - Failed to authenticate`,
    );
    throw new SimRegistrationError('SIM_AUTH_FAILED', `Wrong secret for ${name}`);
  }
  security(core, 'SuccessfulAuth', 'Informational', ep.username, callId, port, [['UsingPassword', '1']]);
  const uri =
    opts.contact ??
    `sip:${name}-0x${createHash('md5').update(name).digest('hex').slice(0, 12)}@127.0.0.1:${port}`;
  const fresh = !ep.contact;
  ep.contact = {
    uri,
    userAgent: opts.userAgent ?? 'baresip v1.0.0 (x86_64/linux)',
    callId,
    via: '127.0.0.1',
    port,
    expires: Math.floor(core.clock.now() / 1000) + 300,
  };
  core.log.verbose(
    undefined,
    'res_pjsip_registrar.c',
    `Added contact '${uri}' to AOR '${ep.aor}' with expiration of 300 seconds`,
  );
  if (fresh) {
    core.emit(
      event('PeerStatus', 'system,all', [
        ['ChannelType', 'PJSIP'],
        ['Peer', `PJSIP/${name}`],
        ['PeerStatus', 'Reachable'],
      ]),
    );
    if (ep.contactEvents) contactStatus(core, ep, 'NonQualified');
    setDeviceState(core, `PJSIP/${name}`, endpointDeviceState(core, name));
  }
  return ep;
}

function contactStatus(core: SimCore, ep: SimEndpoint, status: string): void {
  core.emit(
    event('ContactStatus', 'system,all', [
      ['URI', ep.contact?.uri ?? ''],
      ['ContactStatus', status],
      ['AOR', ep.aor],
      ['EndpointName', ep.name],
      ['RoundtripUsec', '0'],
    ]),
  );
}

/** A phone unregisters (REGISTER with Expires: 0). */
export function unregister(core: SimCore, name: string): void {
  const ep = core.state.endpoints.get(name);
  if (!ep?.contact) return;
  const port = ep.contact.port;
  security(core, 'ChallengeSent', 'Informational', ep.username, ep.contact.callId, port, [['Challenge', '']]);
  security(core, 'SuccessfulAuth', 'Informational', ep.username, ep.contact.callId, port, [
    ['UsingPassword', '1'],
  ]);
  const c = ep.contact;
  core.log.verbose(
    undefined,
    'res_pjsip_registrar.c',
    `Removed contact '${c.uri}' from AOR '${ep.aor}' due to request`,
  );
  ep.contact = undefined;
  setDeviceState(core, `PJSIP/${name}`, endpointDeviceState(core, name));
  core.emit(
    event('PeerStatus', 'system,all', [
      ['ChannelType', 'PJSIP'],
      ['Peer', `PJSIP/${name}`],
      ['PeerStatus', 'Unreachable'],
    ]),
  );
  if (ep.contactEvents) {
    ep.contact = c;
    contactStatus(core, ep, 'Removed');
    ep.contact = undefined;
  }
}

/** The contact's object id (`alonso;@7e6e…`). */
export function contactId(ep: SimEndpoint): string {
  return `${ep.aor};@${createHash('md5')
    .update(ep.contact?.uri ?? '')
    .digest('hex')}`;
}
