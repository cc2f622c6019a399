/**
 * The trunk part of a snapshot (the list actions every server answers, or refuses when it lacks the module), and
 * the register / unregister requests behind `PbxMonitor.register()` / `unregister()`.
 */
import type { PbxModel } from './model.js';
import type { PbxActionReply, PbxAmiClient } from './monitor.js';
import type { PbxTrunk } from './trunk-types.js';
import type { PbxChange, PbxMessage } from './types.js';

/** A trunk request could not be made (`PBX_TRUNK_NOT_FOUND`, `PBX_TRUNK_UNSUPPORTED`, `PBX_TRUNK_ACTION_FAILED`). */
export class PbxTrunkError extends Error {
  /**
   * @param code stable code
   * @param message what happened (Asterisk's own message for `PBX_TRUNK_ACTION_FAILED`)
   */
  constructor(
    readonly code: 'PBX_TRUNK_NOT_FOUND' | 'PBX_TRUNK_UNSUPPORTED' | 'PBX_TRUNK_ACTION_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'PbxTrunkError';
  }
}

/** Items of a list action; a `Response: Error` (module not loaded, nothing configured) is an empty list. */
function itemsOf(r: PbxActionReply): PbxMessage[] {
  return r.ok ? r.items : [];
}

/**
 * Reads every kind of trunk: PJSIP outbound registrations, chan_sip registrations, the trunk endpoints (one
 * `PJSIPShowEndpoint` each, for their contacts' qualify status) and DAHDI spans and channels.
 */
export async function snapshotTrunks(
  client: PbxAmiClient,
  model: PbxModel,
  endpointItems: PbxMessage[],
  now: () => number,
): Promise<PbxChange[]> {
  const out: PbxChange[] = [];
  const pj = await client.action('PJSIPShowRegistrationsOutbound');
  out.push(...model.applyRegistrations(itemsOf(pj), 'PJSIP', now()));
  const sip = await client.action('SIPshowregistry');
  out.push(...model.applyRegistrations(itemsOf(sip), 'SIP', now()));
  const names = model.trunkEndpoints(endpointItems);
  const details = new Map<string, PbxMessage[]>();
  for (const name of names.keys()) {
    const r = await client.action('PJSIPShowEndpoint', { Endpoint: name });
    details.set(name, itemsOf(r));
  }
  out.push(...model.applyTrunkEndpoints(names, endpointItems, details, now()));
  const pri = await client.action('PRIShowSpans');
  const chans = await client.action('DAHDIShowChannels');
  out.push(...model.applyDahdi(itemsOf(pri), itemsOf(chans), now()));
  return out;
}

/** The request that makes a registration register again, or unregister. */
function requestFor(
  t: PbxTrunk,
  op: 'register' | 'unregister',
): { action: string; params: Record<string, string> } {
  if (t.kind === 'pjsip-registration')
    return {
      action: op === 'register' ? 'PJSIPRegister' : 'PJSIPUnregister',
      params: { Registration: t.name },
    };
  if (t.kind === 'sip-registration' && op === 'register')
    // chan_sip has no per-registration action: a reload sends every REGISTER again.
    return { action: 'Command', params: { Command: 'sip reload' } };
  throw new PbxTrunkError(
    'PBX_TRUNK_UNSUPPORTED',
    t.kind === 'sip-registration'
      ? 'chan_sip cannot unregister one registration over AMI (remove it from sip.conf and reload)'
      : `A ${t.kind} trunk does not register`,
  );
}

/**
 * Sends the register or unregister request of a registration trunk. `register` marks it `registering` first (the
 * reply and the outcome may arrive in one read) and restores the last state with Asterisk's message if refused.
 */
export async function trunkRequest(
  client: PbxAmiClient,
  model: PbxModel,
  id: string,
  op: 'register' | 'unregister',
  now: () => number,
  emit: (changes: PbxChange[]) => void,
): Promise<PbxTrunk> {
  const t = model.trunk(id);
  if (!t) throw new PbxTrunkError('PBX_TRUNK_NOT_FOUND', `No trunk ${id}`);
  const req = requestFor(t, op);
  if (op === 'register') emit(model.markRegistering(id, `${req.action} sent`, now()).changes);
  else model.clearRegistering(id);
  let reply: PbxActionReply;
  try {
    reply = await client.action(req.action, req.params);
  } catch (err) {
    if (op === 'register') emit(model.registerFailed(id, t.state, `${req.action} not sent`, now()));
    throw err;
  }
  if (!reply.ok) {
    const msg = reply.message.get('Message') ?? 'Response: Error';
    if (op === 'register') emit(model.registerFailed(id, t.state, msg, now()));
    throw new PbxTrunkError('PBX_TRUNK_ACTION_FAILED', `${req.action} ${t.name}: ${msg}`);
  }
  return model.trunk(id) ?? t;
}
