/**
 * Writes phones into Asterisk through the manager, in the order recorded on real PBXs
 * (`ami/sip-provision-wizard`, `asterisk-13/ami/sip-conf-provision`): PJSIP phones as one `type = wizard`
 * category in `pjsip_wizard.conf` (the only file res_pjsip_config_wizard reads; one name for endpoint, auth and
 * AOR), chan_sip phones as a `type = friend` peer. Every write is read back with `GetConfig` (the `UpdateConfig`
 * reply is a bare Success whatever was written) and undone when Asterisk refuses a later step.
 */
import { type AmiParams, type AmiResponse, parseGetConfig, UpdateConfig } from '../ami/index.js';
import { AdminError } from './errors.js';

/** What the writer needs of a PBX link (`PbxLink` and `AmiClient` both fit). */
export interface AmiRunner {
  action(name: string, params?: AmiParams): Promise<AmiResponse>;
}

/** The channel driver phones are written for. */
export type SipDriver = 'pjsip' | 'chan_sip';

/** The wizard file (res_pjsip_config_wizard reads no other). */
export const WIZARD_FILE = 'pjsip_wizard.conf';

/** A phone as Asterisk needs it. */
export interface PhoneSpec {
  extension: string;
  name: string;
  context: string;
  language: string | null;
  codecs: readonly string[];
  voicemail: boolean;
  secret: string;
}

/** One manager action of a write and what Asterisk answered (never a secret). */
export interface AsteriskStep {
  action: string;
  ok: boolean;
  /** `Response:` value. */
  response: string;
  /** `Message:` value, when any. */
  message?: string;
}

/** What a write did. */
export interface WriteReport {
  driver: SipDriver;
  file: string;
  category: string;
  steps: AsteriskStep[];
  /** GetConfig read back exactly what was written. */
  verified: boolean;
  /** Whether Asterisk knows the endpoint/peer after the write (PJSIPShowEndpoint / SIPshowpeer). */
  endpointFound?: boolean;
}

/** Writer settings. */
export interface WriterOptions {
  /** PJSIP transport of wizard categories (default `transport-udp`). */
  transport?: string;
  /** chan_sip file (default `sip.conf`). */
  sipFile?: string;
}

/** The wizard variables of a phone, in the recorded order. */
export function wizardVariables(p: PhoneSpec, transport = 'transport-udp'): Array<[string, string]> {
  const v: Array<[string, string]> = [
    ['type', 'wizard'],
    ['transport', transport],
    ['accepts_registrations', 'yes'],
    ['accepts_auth', 'yes'],
    ['inbound_auth/username', p.extension],
    ['inbound_auth/password', p.secret],
    ['endpoint/context', p.context],
    ['endpoint/disallow', 'all'],
    ['endpoint/allow', p.codecs.join(',')],
    ['endpoint/callerid', `"${p.name}" <${p.extension}>`],
  ];
  if (p.language) v.push(['endpoint/language', p.language]);
  v.push(['aor/max_contacts', '1']);
  if (p.voicemail) v.push(['endpoint/mailboxes', `${p.extension}@default`]);
  return v;
}

/** The chan_sip peer variables of a phone, in the recorded order. */
export function sipPeerVariables(p: PhoneSpec): Array<[string, string]> {
  const v: Array<[string, string]> = [
    ['type', 'friend'],
    ['secret', p.secret],
    ['host', 'dynamic'],
    ['context', p.context],
    ['disallow', 'all'],
    ['allow', p.codecs.join(',')],
    ['callerid', `"${p.name}" <${p.extension}>`],
    ['qualify', 'no'],
  ];
  if (p.language) v.push(['language', p.language]);
  if (p.voicemail) v.push(['mailbox', `${p.extension}@default`]);
  return v;
}

/** Asks the PBX which SIP driver serves phones: the wizard module first, then chan_sip. */
export async function detectDriver(ami: AmiRunner): Promise<SipDriver> {
  const wizard = await ami.action('ModuleCheck', { Module: 'res_pjsip_config_wizard.so' });
  if (wizard.ok) return 'pjsip';
  const sip = await ami.action('ModuleCheck', { Module: 'chan_sip.so' });
  if (sip.ok) return 'chan_sip';
  throw new AdminError(
    'ADMIN_PBX_REFUSED',
    'this PBX has neither res_pjsip_config_wizard.so nor chan_sip.so loaded: phones cannot be written',
  );
}

/** Writes, verifies, reloads and removes phone categories on one PBX. */
export class AsteriskPhoneWriter {
  readonly #ami: AmiRunner;
  readonly #transport: string;
  readonly #sipFile: string;

  constructor(
    ami: AmiRunner,
    /** The driver of this PBX. */
    readonly driver: SipDriver,
    options: WriterOptions = {},
  ) {
    this.#ami = ami;
    this.#transport = options.transport ?? 'transport-udp';
    this.#sipFile = options.sipFile ?? 'sip.conf';
  }

  /** The file categories go to. */
  get file(): string {
    return this.driver === 'pjsip' ? WIZARD_FILE : this.#sipFile;
  }

  /** The variables of a phone for this driver. */
  variables(p: PhoneSpec): Array<[string, string]> {
    return this.driver === 'pjsip' ? wizardVariables(p, this.#transport) : sipPeerVariables(p);
  }

  async #run(steps: AsteriskStep[], name: string, params: AmiParams): Promise<AmiResponse> {
    const r = await this.#ami.action(name, params);
    const message = r.message.get('Message')?.trim();
    steps.push({
      action: name === 'Reload' && params.Module ? `Reload ${params.Module}` : name,
      ok: r.ok,
      response: r.message.get('Response') ?? '',
      ...(message ? { message } : {}),
    });
    return r;
  }

  /** Sends one UpdateConfig; throws `ADMIN_PBX_REFUSED` with Asterisk's words when it answers Error. */
  async #update(steps: AsteriskStep[], edit: UpdateConfig): Promise<void> {
    for (const a of edit.toActions()) {
      const r = await this.#run(steps, a.name, a.params);
      if (!r.ok) throw refused('UpdateConfig', r);
    }
  }

  #edit(reload: string): UpdateConfig {
    return new UpdateConfig(this.file, { dstFilename: this.file, reload });
  }

  /** Reads the category back; true when its variables are exactly `expected`, in order. */
  async #verify(
    steps: AsteriskStep[],
    category: string,
    expected: Array<[string, string]>,
  ): Promise<boolean> {
    const r = await this.#run(steps, 'GetConfig', { Filename: this.file, Category: category });
    if (!r.ok) return false;
    const cat = parseGetConfig(r.message).find((c) => c.name === category);
    if (!cat || cat.variables.length !== expected.length) return false;
    return cat.variables.every(([k, v], i) => k === expected[i]?.[0] && v === expected[i]?.[1]);
  }

  /** Reloads what makes a PJSIP change live (the wizard, then res_pjsip so its contacts raise ContactStatus). */
  async #reloadPjsip(steps: AsteriskStep[]): Promise<void> {
    for (const module of ['res_pjsip_config_wizard.so', 'res_pjsip.so']) {
      const r = await this.#run(steps, 'Reload', { Module: module });
      if (!r.ok) throw refused(`Reload ${module}`, r);
    }
  }

  async #endpointFound(steps: AsteriskStep[], name: string): Promise<boolean> {
    const r =
      this.driver === 'pjsip'
        ? await this.#run(steps, 'PJSIPShowEndpoint', { Endpoint: name })
        : await this.#run(steps, 'SIPshowpeer', { Peer: name });
    return r.ok;
  }

  /** Creates the phone's category; on any refusal or a failed read-back, removes it again and throws. */
  async create(p: PhoneSpec): Promise<WriteReport> {
    const steps: AsteriskStep[] = [];
    const cat = p.extension;
    const vars = this.variables(p);
    const report = (): WriteReport => ({
      driver: this.driver,
      file: this.file,
      category: cat,
      steps,
      verified: true,
    });
    if (this.driver === 'pjsip') {
      // "File exists" is the normal answer once the first phone is written.
      const c = await this.#run(steps, 'CreateConfig', { Filename: WIZARD_FILE });
      if (!c.ok && !/file exists/i.test(c.message.get('Message') ?? '')) throw refused('CreateConfig', c);
    }
    const edit = this.#edit(this.driver === 'pjsip' ? 'no' : 'chan_sip.so').newCat(cat);
    for (const [k, v] of vars) edit.append(cat, k, v);
    await this.#update(steps, edit);
    try {
      if (!(await this.#verify(steps, cat, vars)))
        throw new AdminError(
          'ADMIN_VERIFY_FAILED',
          `Asterisk saved ${this.file} [${cat}] but GetConfig does not read back what was written`,
        );
      if (this.driver === 'pjsip') await this.#reloadPjsip(steps);
    } catch (err) {
      await this.#undoCreate(steps, cat);
      throw withSteps(err, steps);
    }
    const r = report();
    r.endpointFound = await this.#endpointFound(steps, cat);
    return r;
  }

  async #undoCreate(steps: AsteriskStep[], cat: string): Promise<void> {
    try {
      await this.#update(
        steps,
        this.#edit(this.driver === 'pjsip' ? 'res_pjsip_config_wizard.so' : 'chan_sip.so').delCat(cat),
      );
    } catch {
      // The original failure is what the caller needs; the failed undo is in the steps.
    }
  }

  /**
   * Rewrites a category we own with new values (EmptyCat keeps its place in the file); on failure writes the
   * previous values back.
   */
  async rewrite(previous: PhoneSpec, next: PhoneSpec): Promise<WriteReport> {
    const steps: AsteriskStep[] = [];
    const cat = next.extension;
    const fill = (p: PhoneSpec) => {
      const e = this.#edit(this.driver === 'pjsip' ? 'no' : 'chan_sip.so').emptyCat(cat);
      for (const [k, v] of this.variables(p)) e.append(cat, k, v);
      return e;
    };
    await this.#update(steps, fill(next));
    try {
      if (!(await this.#verify(steps, cat, this.variables(next))))
        throw new AdminError(
          'ADMIN_VERIFY_FAILED',
          `Asterisk saved ${this.file} [${cat}] but GetConfig does not read back what was written`,
        );
      if (this.driver === 'pjsip') await this.#reloadPjsip(steps);
    } catch (err) {
      try {
        await this.#update(steps, fill(previous));
        if (this.driver === 'pjsip') await this.#reloadPjsip(steps);
      } catch {
        // reported through the steps
      }
      throw withSteps(err, steps);
    }
    const r: WriteReport = { driver: this.driver, file: this.file, category: cat, steps, verified: true };
    r.endpointFound = await this.#endpointFound(steps, cat);
    return r;
  }

  /** Removes a category we own and reloads; `endpointFound` false means Asterisk forgot it. */
  async remove(extension: string): Promise<WriteReport> {
    const steps: AsteriskStep[] = [];
    await this.#update(
      steps,
      this.#edit(this.driver === 'pjsip' ? 'res_pjsip_config_wizard.so' : 'chan_sip.so').delCat(extension),
    );
    const found = await this.#endpointFound(steps, extension);
    return {
      driver: this.driver,
      file: this.file,
      category: extension,
      steps,
      verified: !found,
      endpointFound: found,
    };
  }
}

/** The error for an action Asterisk answered with Error, carrying its message. */
function refused(action: string, r: AmiResponse): AdminError {
  const words = (r.message.get('Message') ?? r.message.get('Response') ?? 'Error').trim();
  return new AdminError('ADMIN_PBX_REFUSED', `Asterisk refused ${action}: ${words}`);
}

/** Attaches the steps to an error (for the audit detail and the CLI). */
function withSteps(err: unknown, steps: AsteriskStep[]): unknown {
  if (err instanceof AdminError) Object.assign(err, { steps });
  return err;
}
