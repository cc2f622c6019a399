/** Extra phones of the simulated PBX (added to its `pjsip.conf` and dialplan) and its programmatic API's error. */

/** A typed error of the simulator's programmatic API. */
export class SimulatedPbxError extends Error {
  /** @param code stable code (`SIM_NO_ENDPOINT`, `SIM_NOT_REGISTERED`, `SIM_NO_EXTENSION`, `SIM_BAD_INPUT`, `SIM_CLOSED`) */
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatedPbxError';
  }
}

/** An extra phone. */
export interface SimPhoneSpec {
  /** Endpoint name = extension (e.g. `2001`). */
  name: string;
  /** Context (default `oficina2`). */
  context?: string;
  /** SIP password (default `secret-<name>`). */
  secret?: string;
  /** `"Name" <num>` (default none). */
  callerId?: string;
  /** Language (default `es`). */
  language?: string;
}

const CTRL = /[\u0000-\u001f\u007f]/;

/** Refuses control characters (CR, LF…) in a value that reaches AMI events or the log. */
export function checkText(field: string, value: string | undefined): void {
  if (value !== undefined && CTRL.test(value))
    throw new SimulatedPbxError('SIM_BAD_INPUT', `${field} contains control characters`);
}

/** Adds the extra phones to `pjsip.conf` (endpoint, auth, aor) and a `Dial` extension to their context. */
export function phoneConfig(
  phones: readonly SimPhoneSpec[],
  base: Record<string, string>,
): Record<string, string> {
  if (phones.length === 0) return base;
  let pjsip = base['pjsip.conf'] ?? '';
  let ext = base['extensions.conf'] ?? '';
  for (const p of phones) {
    for (const v of [p.name, p.context, p.secret, p.callerId, p.language]) checkText('phone', v);
    if (!/^[A-Za-z0-9_.-]+$/.test(p.name))
      throw new SimulatedPbxError('SIM_BAD_INPUT', `bad phone name ${p.name}`);
    const ctx = p.context ?? 'oficina2';
    pjsip += `[${p.name}](endpoint-template)\ncontext = ${ctx}\nauth = ${p.name}-auth\naors = ${p.name}\n${p.callerId ? `callerid = ${p.callerId}\n` : ''}${p.language ? `language = ${p.language}\n` : ''}[${p.name}-auth]\ntype = auth\nauth_type = userpass\nusername = ${p.name}\npassword = ${p.secret ?? `secret-${p.name}`}\n[${p.name}]\ntype = aor\nmax_contacts = 1\n`;
    ext = ext.replace(`[${ctx}]\n`, `[${ctx}]\nexten => ${p.name},1,Dial(PJSIP/${p.name},20)\n`);
  }
  return { ...base, 'pjsip.conf': pjsip, 'extensions.conf': ext };
}
