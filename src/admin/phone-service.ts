/**
 * Phones: the record in the store and the category in Asterisk changed together. Each operation writes the
 * store and the PBX as one unit — when Asterisk refuses or the read-back fails, both are put back — and reports
 * what Asterisk answered. Categories Switchboard did not create are never touched.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type Database,
  type PhoneFetch,
  PhoneFetchRepository,
  type PhoneRecord,
  PhoneRepository,
  type PhoneSecrets,
  withoutPhoneSecrets,
} from '../store/index.js';
import {
  type AmiRunner,
  AsteriskPhoneWriter,
  detectDriver,
  type PhoneSpec,
  type SipDriver,
  type WriteReport,
} from './asterisk-writer.js';
import type { PhonesConfig } from './config.js';
import { AdminError } from './errors.js';
import { checkChange, checkExtension, checkName, type PhoneChange, type PhoneInput } from './phone.js';
import { checkGivenSecret, generateSecret, SecretBox } from './secret.js';
import { type PhoneStatus, phoneStatus, type StatusSource } from './status.js';

/** The Digest realm of provisioning credentials (part of the stored HA1: changing it invalidates them). */
export const PROVISIONING_REALM = 'switchboard-provisioning';

/** A phone as the API shows it: never a secret. */
export interface PhoneView extends PhoneRecord {
  status: PhoneStatus;
}

/** The answer of create and rotate: the only time the secrets are shown. */
export interface PhoneWithSecrets {
  phone: PhoneView;
  secret: string;
  provisioning: { url: string; username: string; password: string };
  asterisk: WriteReport;
}

/** One audit line (secret-free). */
export interface PhoneAudit {
  action: string;
  target: string;
  outcome: 'ok' | 'failed';
  detail: string;
}

/** What the service needs. */
export interface PhoneServiceOptions {
  db: Kysely<Database>;
  config: PhonesConfig;
  /** The AMI runner of a PBX by id (undefined: pick the only one); throws when unknown. */
  pbx: (id?: string) => { id: string; ami: AmiRunner };
  /** Live model, for status and for refusing extensions Asterisk already has. */
  status?: StatusSource;
  /** Base URL of the provisioning endpoint (`https://pbx.example:8443/provisioning`). */
  provisioningUrl: () => string;
  /** Audit sink (the server audits HTTP writes itself; the CLI passes one). */
  audit?: (a: PhoneAudit) => void;
}

/** Summarises a report for the audit detail (actions and answers, never values). */
export function reportDetail(r: WriteReport | undefined): string {
  if (!r) return '';
  return `${r.driver} ${r.file} [${r.category}]: ${r.steps.map((s) => `${s.action}=${s.ok ? 'ok' : (s.message ?? s.response)}`).join(', ')}`;
}

/** MD5 HA1 of provisioning credentials (RFC 7616 `MD5(username:realm:password)`). */
export function provisioningHa1(user: string, password: string): string {
  return createHash('md5').update(`${user}:${PROVISIONING_REALM}:${password}`, 'utf8').digest('hex');
}

function provisioningUser(): string {
  const chars = 'abcdefghijkmnpqrstuvwxyz23456789';
  let s = 'ph';
  for (let i = 0; i < 10; i++) s += chars[randomInt(chars.length)];
  return s;
}

/** Phone management over the store and the PBXs. */
export class PhoneService {
  /** The phone table. */
  readonly phones: PhoneRepository;
  /** The provisioning fetch log. */
  readonly fetches: PhoneFetchRepository;
  /** Seals stored secrets. */
  readonly box: SecretBox;
  readonly #o: PhoneServiceOptions;
  readonly #drivers = new Map<string, SipDriver>();

  constructor(o: PhoneServiceOptions) {
    this.#o = o;
    this.phones = new PhoneRepository(o.db);
    this.fetches = new PhoneFetchRepository(o.db);
    this.box = new SecretBox(o.config.secretKey);
  }

  async #writer(pbxId: string, ami: AmiRunner): Promise<AsteriskPhoneWriter> {
    let driver = this.#drivers.get(pbxId);
    if (!driver) {
      driver = this.#o.config.driver === 'auto' ? await detectDriver(ami) : this.#o.config.driver;
      this.#drivers.set(pbxId, driver);
    }
    return new AsteriskPhoneWriter(ami, driver, {
      transport: this.#o.config.transport,
      sipFile: this.#o.config.sipFile,
    });
  }

  #view(p: PhoneRecord & PhoneSecrets): PhoneView {
    return { ...withoutPhoneSecrets(p), status: phoneStatus(this.#o.status, p) };
  }

  #spec(p: PhoneRecord & PhoneSecrets, secret?: string): PhoneSpec {
    return {
      extension: p.extension,
      name: p.name,
      context: p.context,
      language: p.language,
      codecs: p.codecs,
      voicemail: p.voicemail,
      secret: secret ?? (p.sealedSecret ? this.box.open(p.sealedSecret) : ''),
    };
  }

  #audit(action: string, target: string, outcome: 'ok' | 'failed', detail: string): void {
    this.#o.audit?.({ action, target, outcome, detail });
  }

  /** Every phone (optionally of one PBX), with live status. */
  async list(pbx?: string): Promise<PhoneView[]> {
    return (await this.phones.list(pbx)).map((p) => this.#view(p));
  }

  /** One phone; `ADMIN_NOT_FOUND` when unknown. */
  async get(extension: string, pbx?: string): Promise<PhoneView> {
    return this.#view(await this.#find(extension, pbx));
  }

  /** The phone record with its secret columns (for provisioning). */
  async #find(extension: string, pbx?: string): Promise<PhoneRecord & PhoneSecrets> {
    if (pbx !== undefined) {
      const p = await this.phones.find(pbx, extension);
      if (!p) throw new AdminError('ADMIN_NOT_FOUND', `phone ${extension} not found on ${pbx}`);
      return p;
    }
    const all = await this.phones.byExtension(extension);
    if (all.length === 0) throw new AdminError('ADMIN_NOT_FOUND', `phone ${extension} not found`);
    if (all.length > 1)
      throw new AdminError(
        'ADMIN_INVALID',
        `extension ${extension} exists on several PBXs: say which one`,
        'pbx',
      );
    return all[0]!;
  }

  /** Creates a phone with a random secret (or a given one for imports) and writes it to its PBX. */
  async create(input: PhoneInput): Promise<PhoneWithSecrets> {
    const extension = checkExtension(input.extension);
    const name = checkName(input.name);
    const c = checkChange({ ...input, name });
    if (c.brand === undefined) throw new AdminError('ADMIN_INVALID', 'brand is required', 'brand');
    const { id: pbxId, ami } = this.#o.pbx(input.pbx);
    const secret = input.secret !== undefined ? checkGivenSecret(input.secret) : generateSecret();
    const existing = await this.phones.find(pbxId, extension);
    if (existing)
      throw new AdminError(
        'ADMIN_CONFLICT',
        existing.managed
          ? `phone ${extension} already exists on ${pbxId}`
          : `extension ${extension} exists on ${pbxId} and was not created by Switchboard: it is left alone`,
        'extension',
      );
    if (this.#o.status?.hasEndpoint(pbxId, extension))
      throw new AdminError(
        'ADMIN_CONFLICT',
        `Asterisk on ${pbxId} already has an endpoint ${extension} that Switchboard did not create (import it instead)`,
        'extension',
      );
    const writer = await this.#writer(pbxId, ami);
    const user = provisioningUser();
    const password = generateSecret();
    const row = await this.phones.create({
      pbx: pbxId,
      extension,
      name,
      brand: c.brand,
      model: c.model ?? null,
      mac: c.mac ?? null,
      context: c.context ?? this.#o.config.context,
      language: c.language !== undefined ? c.language : (this.#o.config.language ?? null),
      codecs: c.codecs ?? this.#o.config.codecs,
      voicemail: c.voicemail ?? false,
      managed: true,
      driver: writer.driver,
      configFile: writer.file,
      category: extension,
      sealedSecret: this.box.seal(secret),
      provisioningUser: user,
      provisioningHa1: provisioningHa1(user, password),
    });
    let report: WriteReport;
    try {
      report = await writer.create(this.#spec(row, secret));
    } catch (err) {
      await this.phones.delete(row.id);
      this.#audit('phone.create', extension, 'failed', errorDetail(err));
      throw err;
    }
    this.#audit('phone.create', extension, 'ok', reportDetail(report));
    return {
      phone: this.#view(row),
      secret,
      provisioning: { url: this.#o.provisioningUrl(), username: user, password },
      asterisk: report,
    };
  }

  #owned(p: PhoneRecord): void {
    if (!p.managed)
      throw new AdminError(
        'ADMIN_NOT_MANAGED',
        `phone ${p.extension} was imported from ${p.pbx}: Switchboard does not rewrite categories it did not create`,
      );
  }

  /** Changes a phone we manage and rewrites its category. */
  async update(
    extension: string,
    change: PhoneChange,
    pbx?: string,
  ): Promise<{ phone: PhoneView; asterisk?: WriteReport }> {
    const before = await this.#find(extension, pbx);
    const c = checkChange(change);
    const asteriskFields = ['name', 'context', 'language', 'codecs', 'voicemail'] as const;
    const touchesAsterisk = asteriskFields.some((k) => c[k] !== undefined);
    if (touchesAsterisk) this.#owned(before);
    const after = await this.phones.update(before.id, c);
    if (!touchesAsterisk) return { phone: this.#view(after) };
    const { ami } = this.#o.pbx(before.pbx);
    try {
      const report = await (await this.#writer(before.pbx, ami)).rewrite(
        this.#spec(before),
        this.#spec(after),
      );
      this.#audit('phone.update', extension, 'ok', reportDetail(report));
      return { phone: this.#view(after), asterisk: report };
    } catch (err) {
      await this.phones.update(before.id, restore(before));
      this.#audit('phone.update', extension, 'failed', errorDetail(err));
      throw err;
    }
  }

  /** A new random SIP secret and provisioning password, written to Asterisk; shown this once. */
  async rotateSecret(extension: string, pbx?: string): Promise<PhoneWithSecrets> {
    const before = await this.#find(extension, pbx);
    this.#owned(before);
    const secret = generateSecret();
    const password = generateSecret();
    const user = before.provisioningUser ?? provisioningUser();
    const after = await this.phones.update(before.id, {
      sealedSecret: this.box.seal(secret),
      provisioningUser: user,
      provisioningHa1: provisioningHa1(user, password),
    });
    const { ami } = this.#o.pbx(before.pbx);
    try {
      const report = await (await this.#writer(before.pbx, ami)).rewrite(
        this.#spec(before),
        this.#spec(after, secret),
      );
      this.#audit('phone.rotate-secret', extension, 'ok', reportDetail(report));
      return {
        phone: this.#view(after),
        secret,
        provisioning: { url: this.#o.provisioningUrl(), username: user, password },
        asterisk: report,
      };
    } catch (err) {
      await this.phones.update(before.id, {
        sealedSecret: before.sealedSecret,
        provisioningUser: before.provisioningUser,
        provisioningHa1: before.provisioningHa1,
      });
      this.#audit('phone.rotate-secret', extension, 'failed', errorDetail(err));
      throw err;
    }
  }

  /** Removes a phone: its category from Asterisk (ours only) and its record. Imported phones are only forgotten. */
  async remove(extension: string, pbx?: string): Promise<{ asterisk?: WriteReport }> {
    const p = await this.#find(extension, pbx);
    if (!p.managed) {
      await this.phones.delete(p.id);
      this.#audit('phone.delete', extension, 'ok', 'imported phone forgotten; Asterisk left unchanged');
      return {};
    }
    const { ami } = this.#o.pbx(p.pbx);
    let report: WriteReport;
    try {
      report = await (await this.#writer(p.pbx, ami)).remove(p.category ?? p.extension);
    } catch (err) {
      this.#audit('phone.delete', extension, 'failed', errorDetail(err));
      throw err;
    }
    await this.phones.delete(p.id);
    this.#audit('phone.delete', extension, 'ok', reportDetail(report));
    return { asterisk: report };
  }

  /**
   * Adds the PBX's existing endpoints (PJSIPShowEndpoints or SIPpeers) that are not in the list yet, marked not
   * managed: shown with their status, never rewritten.
   */
  async importFromPbx(pbx?: string): Promise<{ imported: PhoneView[]; skipped: string[] }> {
    const { id: pbxId, ami } = this.#o.pbx(pbx);
    const writer = await this.#writer(pbxId, ami);
    const names: string[] = [];
    if (writer.driver === 'pjsip') {
      const r = await ami.action('PJSIPShowEndpoints');
      if (!r.ok && !/no endpoints found/i.test(r.message.get('Message') ?? ''))
        throw new AdminError(
          'ADMIN_PBX_REFUSED',
          `Asterisk refused PJSIPShowEndpoints: ${r.message.get('Message') ?? 'Error'}`,
        );
      for (const i of r.items)
        if (i.event === 'EndpointList' && i.get('ObjectName')) names.push(i.get('ObjectName')!);
    } else {
      const r = await ami.action('SIPpeers');
      if (!r.ok)
        throw new AdminError(
          'ADMIN_PBX_REFUSED',
          `Asterisk refused SIPpeers: ${r.message.get('Message') ?? 'Error'}`,
        );
      for (const i of r.items)
        if (i.event === 'PeerEntry' && i.get('ObjectName')) names.push(i.get('ObjectName')!);
    }
    const imported: PhoneView[] = [];
    const skipped: string[] = [];
    for (const n of names) {
      if (!/^[A-Za-z0-9_.+-]{1,40}$/.test(n) || (await this.phones.find(pbxId, n))) {
        skipped.push(n);
        continue;
      }
      const row = await this.phones.create({
        pbx: pbxId,
        extension: n,
        name: n,
        brand: 'generic',
        context: this.#o.config.context,
        codecs: [],
        managed: false,
        driver: writer.driver,
      });
      imported.push(this.#view(row));
    }
    this.#audit(
      'phone.import',
      pbxId,
      'ok',
      `${imported.length} imported, ${skipped.length} already known or unusable`,
    );
    return { imported, skipped };
  }

  /** The phone's provisioning fetches, newest first. */
  async fetchLog(extension: string, pbx?: string, limit = 100): Promise<PhoneFetch[]> {
    const p = await this.#find(extension, pbx);
    return this.fetches.forPhone(p.id, limit);
  }

  /** The phone and its SIP secret, for the provisioning endpoint only. */
  async forProvisioning(p: PhoneRecord & PhoneSecrets): Promise<PhoneSpec> {
    return this.#spec(p);
  }
}

function restore(p: PhoneRecord): PhoneChange & { managed: boolean } {
  return {
    name: p.name,
    brand: p.brand,
    model: p.model,
    mac: p.mac,
    context: p.context,
    language: p.language,
    codecs: p.codecs,
    voicemail: p.voicemail,
    managed: p.managed,
  };
}

function errorDetail(err: unknown): string {
  const e = err as { code?: string; message?: string; steps?: WriteReport['steps'] };
  const steps = e.steps
    ? ` (${e.steps.map((s) => `${s.action}=${s.ok ? 'ok' : (s.message ?? s.response)}`).join(', ')})`
    : '';
  return `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}${steps}`;
}
