/**
 * PJSIP outbound registrations on the simulated PBX (res_pjsip_outbound_registration's manager actions), as recorded
 * in `ami/pjsip-trunk-registration`: `PJSIPShowRegistrationsOutbound` lists every `type = registration` of
 * `pjsip.conf` (fields in the recorded order, each followed by its `outbound_auth` as an `AuthDetail` item that
 * `ListItems` does not count — in every listing of the `.raw` recording); `PJSIPUnregister` answers
 * `Unregistration sent` and a `Registry` `Status: Unregistered` follows; `PJSIPRegister` answers `Reregistration
 * sent`, then (unless already unregistered) `Unregistered`, and `Registered` 2 s later — or, when the far end is
 * down, nothing for 32 s (the SIP transaction timeout) and then `Rejected`. Times are simulated (scaled by `speed`).
 */
import { error, header, type ListItem, list, reply, type SimModule } from './action-table.js';
import type { ConfCategory } from './config-store.js';
import type { SimCore } from './core.js';
import { event, type Pairs } from './headers.js';

/** Simulated ms between `PJSIPRegister` and `Rejected` when the far end does not answer (recorded: 32 s). */
export const REGISTER_TIMEOUT_MS = 32_000;
/** Simulated ms between the `Unregistered` of a re-register and `Registered` (recorded: 2 s). */
const REGISTER_OK_MS = 2000;
/** Simulated ms before the `Registry` event of an unregister or re-register (recorded: 0.7–0.8 s). */
const EVENT_DELAY_MS = 750;

type RegStatus = 'Registered' | 'Unregistered' | 'Rejected';

interface RegState {
  status: RegStatus;
  /** Cancels the pending outcome of a request. */
  cancel?: () => void;
}

interface TrunkState {
  regs: Map<string, RegState>;
  farEndDown: boolean;
}

const states = new WeakMap<SimCore, TrunkState>();

function stateOf(core: SimCore): TrunkState {
  let s = states.get(core);
  if (!s) {
    s = { regs: new Map(), farEndDown: false };
    states.set(core, s);
  }
  return s;
}

function value(c: ConfCategory | undefined, key: string, dflt = ''): string {
  return c?.lines.findLast((l) => l.key === key)?.value ?? dflt;
}

function registrations(core: SimCore): ConfCategory[] {
  return (core.config.get('pjsip.conf') ?? []).filter(
    (c) => !c.template && value(c, 'type') === 'registration',
  );
}

function authOf(core: SimCore, name: string): ConfCategory | undefined {
  return (core.config.get('pjsip.conf') ?? []).find((c) => c.name === name && value(c, 'type') === 'auth');
}

function regOf(core: SimCore, name: string): RegState | undefined {
  if (!registrations(core).some((c) => c.name === name)) return undefined;
  const s = stateOf(core);
  let r = s.regs.get(name);
  if (!r) {
    r = { status: s.farEndDown ? 'Rejected' : 'Registered' };
    s.regs.set(name, r);
  }
  return r;
}

/** `OutboundRegistrationDetail` in the recorded field order (res_pjsip_outbound_registration sorcery fields). */
function detail(c: ConfCategory, status: RegStatus): Pairs {
  return [
    ['Event', 'OutboundRegistrationDetail'],
    ['ObjectType', 'registration'],
    ['ObjectName', c.name],
    ['MaxRetries', value(c, 'max_retries', '10')],
    ['ClientUri', value(c, 'client_uri')],
    ['SecurityNegotiation', value(c, 'security_negotiation', 'no')],
    ['AuthRejectionPermanent', value(c, 'auth_rejection_permanent', 'true')],
    ['ServerUri', value(c, 'server_uri')],
    ['MaxRandomInitialDelay', value(c, 'max_random_initial_delay', '10')],
    ['SupportPath', value(c, 'support_path', 'false')],
    ['RetryInterval', value(c, 'retry_interval', '60')],
    ['ContactHeaderParams', value(c, 'contact_header_params')],
    ['Expiration', value(c, 'expiration', '3600')],
    ['Transport', value(c, 'transport')],
    ['Line', value(c, 'line', 'false')],
    ['ContactUser', value(c, 'contact_user')],
    ['Endpoint', value(c, 'endpoint')],
    ['UserAgent', value(c, 'user_agent')],
    ['ForbiddenRetryInterval', value(c, 'forbidden_retry_interval', '0')],
    ['OutboundAuth', value(c, 'outbound_auth')],
    ['OutboundProxy', value(c, 'outbound_proxy')],
    ['FatalRetryInterval', value(c, 'fatal_retry_interval', '0')],
    ['SupportOutbound', value(c, 'support_outbound', 'no')],
    ['Status', status],
    ['NextReg', '0'],
  ];
}

/** The registration's auth as listed with it (Asterisk shows the password as configured: so does the simulator). */
function authDetail(a: ConfCategory): Pairs {
  return [
    ['Event', 'AuthDetail'],
    ['ObjectType', 'auth'],
    ['ObjectName', a.name],
    ['OauthSecret', value(a, 'oauth_secret')],
    ['PasswordDigest', value(a, 'password_digest')],
    ['SupportedAlgorithmsUas', 'MD5'],
    ['RefreshToken', value(a, 'refresh_token')],
    ['Username', value(a, 'username')],
    ['Md5Cred', value(a, 'md5_cred')],
    ['Realm', value(a, 'realm')],
    ['AuthType', value(a, 'auth_type', 'userpass')],
    ['Password', value(a, 'password')],
    ['SupportedAlgorithmsUac', 'MD5'],
    ['NonceLifetime', value(a, 'nonce_lifetime', '32')],
    ['OauthClientid', value(a, 'oauth_clientid')],
  ];
}

function setStatus(core: SimCore, name: string, r: RegState, status: RegStatus): void {
  r.status = status;
  const c = registrations(core).find((x) => x.name === name);
  core.emit(
    event('Registry', 'system,all', [
      ['ChannelType', 'PJSIP'],
      ['Username', value(c, 'client_uri')],
      ['Domain', value(c, 'server_uri')],
      ['Status', status],
    ]),
  );
  const verb = status === 'Registered' ? 'registered' : status === 'Rejected' ? 'rejected' : 'unregistered';
  core.log.verbose(undefined, 'res_pjsip_outbound_registration.c', `Outbound registration ${name} ${verb}`);
}

/** A REGISTER attempt: its outcome depends on the far end at the time it would arrive. */
function attempt(core: SimCore, name: string, r: RegState): void {
  const s = stateOf(core);
  const ms = s.farEndDown ? REGISTER_TIMEOUT_MS : REGISTER_OK_MS;
  r.cancel = core.clock.after(ms, () => {
    r.cancel = undefined;
    setStatus(core, name, r, stateOf(core).farEndDown ? 'Rejected' : 'Registered');
  });
}

/** Sets whether the registrations' far end answers (a register then ends in `Rejected` after 32 s). */
export function setFarEndDown(core: SimCore, down: boolean): void {
  stateOf(core).farEndDown = down;
}

/** The status of a registration as `PJSIPShowRegistrationsOutbound` would list it, or undefined. */
export function registrationStatus(core: SimCore, name: string): RegStatus | undefined {
  return regOf(core, name)?.status;
}

/** Registrations to a server that does not answer end `Rejected` unless `farEndDown` is false (the default). */
export function trunksModule(opts: { farEndDown?: boolean } = {}): SimModule {
  return {
    name: 'res_pjsip_outbound_registration',
    install: (core) => {
      stateOf(core).farEndDown = opts.farEndDown ?? false;
    },
    actions: {
      PJSIPShowRegistrationsOutbound: (core, a) => {
        const items: ListItem[] = [];
        let registered = 0;
        const regs = registrations(core);
        for (const c of regs) {
          const st = regOf(core, c.name)?.status ?? 'Unregistered';
          if (st === 'Registered') registered++;
          items.push({ pairs: detail(c, st) });
          const auth = authOf(core, value(c, 'outbound_auth'));
          if (auth) items.push({ pairs: authDetail(auth) });
        }
        // ListItems counts registrations only (the AuthDetail items are not counted, as recorded).
        const out = list(
          a,
          'Following are Events for each Outbound registration',
          items,
          'OutboundRegistrationDetailComplete',
          [
            ['Registered', String(registered)],
            ['NotRegistered', String(regs.length - registered)],
          ],
        );
        return out.replace(/ListItems: \d+/, `ListItems: ${regs.length}`);
      },
      PJSIPRegister: (core, a) => {
        const name = header(a, 'Registration');
        if (!name) return error(a, 'Registration parameter missing.');
        const r = regOf(core, name);
        if (!r) return error(a, 'Unable to retrieve registration entry');
        r.cancel?.();
        const wasUnregistered = r.status === 'Unregistered';
        if (wasUnregistered) attempt(core, name, r);
        else
          r.cancel = core.clock.after(EVENT_DELAY_MS, () => {
            setStatus(core, name, r, 'Unregistered');
            attempt(core, name, r);
          });
        return reply(a, [['Message', 'Reregistration sent']]);
      },
      PJSIPUnregister: (core, a) => {
        const name = header(a, 'Registration');
        if (!name) return error(a, 'Registration parameter missing.');
        const r = regOf(core, name);
        if (!r) return error(a, 'Unable to retrieve registration entry');
        r.cancel?.();
        r.cancel = core.clock.after(EVENT_DELAY_MS, () => {
          r.cancel = undefined;
          setStatus(core, name, r, 'Unregistered');
        });
        return reply(a, [['Message', 'Unregistration sent']]);
      },
    },
  };
}
