/** Repositories of the admin room: phones and their provisioning fetch log. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { PhoneFetchesTable, PhonesTable } from './schema-admin.js';
import { conflict, notFound } from './util.js';

/** A phone as stored, without its sealed secret and provisioning hash (see {@link PhoneSecrets}). */
export interface PhoneRecord {
  id: number;
  pbx: string;
  extension: string;
  name: string;
  brand: string;
  model: string | null;
  mac: string | null;
  context: string;
  language: string | null;
  codecs: string[];
  voicemail: boolean;
  managed: boolean;
  driver: 'pjsip' | 'chan_sip' | null;
  configFile: string | null;
  category: string | null;
  provisioningUser: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The secret columns of a phone (sealed secret, provisioning HA1): read only for provisioning and writing. */
export interface PhoneSecrets {
  sealedSecret: string | null;
  provisioningHa1: string | null;
}

/** What a new phone row holds. */
export interface PhoneInsert {
  pbx: string;
  extension: string;
  name: string;
  brand: string;
  model?: string | null;
  mac?: string | null;
  context: string;
  language?: string | null;
  codecs: string[];
  voicemail?: boolean;
  managed: boolean;
  driver?: 'pjsip' | 'chan_sip' | null;
  configFile?: string | null;
  category?: string | null;
  sealedSecret?: string | null;
  provisioningUser?: string | null;
  provisioningHa1?: string | null;
}

/** A change to a phone row. */
export type PhonePatch = Partial<Omit<PhoneInsert, 'pbx' | 'extension'>>;

/** One provisioning request. */
export interface PhoneFetch {
  at: string;
  phoneId: number | null;
  extension: string | null;
  address: string;
  userAgent: string | null;
  file: string;
  outcome: string;
  status: number;
}

function toPhone(r: Selectable<PhonesTable>): PhoneRecord & PhoneSecrets {
  return {
    id: r.id,
    pbx: r.pbx,
    extension: r.extension,
    name: r.name,
    brand: r.brand,
    model: r.model,
    mac: r.mac,
    context: r.context,
    language: r.language,
    codecs: r.codecs.split(',').filter((c) => c !== ''),
    voicemail: r.voicemail !== 0,
    managed: r.managed !== 0,
    driver: r.driver === 'pjsip' || r.driver === 'chan_sip' ? r.driver : null,
    configFile: r.config_file,
    category: r.category,
    provisioningUser: r.prov_username,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sealedSecret: r.secret,
    provisioningHa1: r.prov_ha1,
  };
}

/** Drops the secret columns. */
export function withoutPhoneSecrets(p: PhoneRecord & PhoneSecrets): PhoneRecord {
  const { sealedSecret: _s, provisioningHa1: _h, ...rest } = p;
  return rest;
}

function columns(p: PhonePatch): Partial<Selectable<PhonesTable>> {
  const out: Partial<Selectable<PhonesTable>> = {};
  if (p.name !== undefined) out.name = p.name;
  if (p.brand !== undefined) out.brand = p.brand;
  if (p.model !== undefined) out.model = p.model;
  if (p.mac !== undefined) out.mac = p.mac;
  if (p.context !== undefined) out.context = p.context;
  if (p.language !== undefined) out.language = p.language;
  if (p.codecs !== undefined) out.codecs = p.codecs.join(',');
  if (p.voicemail !== undefined) out.voicemail = p.voicemail ? 1 : 0;
  if (p.managed !== undefined) out.managed = p.managed ? 1 : 0;
  if (p.driver !== undefined) out.driver = p.driver;
  if (p.configFile !== undefined) out.config_file = p.configFile;
  if (p.category !== undefined) out.category = p.category;
  if (p.sealedSecret !== undefined) out.secret = p.sealedSecret;
  if (p.provisioningUser !== undefined) out.prov_username = p.provisioningUser;
  if (p.provisioningHa1 !== undefined) out.prov_ha1 = p.provisioningHa1;
  return out;
}

/** Phones of every PBX. */
export class PhoneRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Adds a phone; `STORE_CONFLICT` when the extension (on that PBX), MAC or provisioning user is taken. */
  async create(p: PhoneInsert): Promise<PhoneRecord & PhoneSecrets> {
    const now = new Date().toISOString();
    try {
      const r = await this.#db
        .insertInto('phones')
        .values({
          pbx: p.pbx,
          extension: p.extension,
          name: p.name,
          brand: p.brand,
          model: p.model ?? null,
          mac: p.mac ?? null,
          context: p.context,
          language: p.language ?? null,
          codecs: p.codecs.join(','),
          voicemail: p.voicemail ? 1 : 0,
          managed: p.managed ? 1 : 0,
          driver: p.driver ?? null,
          config_file: p.configFile ?? null,
          category: p.category ?? null,
          secret: p.sealedSecret ?? null,
          prov_username: p.provisioningUser ?? null,
          prov_ha1: p.provisioningHa1 ?? null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPhone(r);
    } catch (err) {
      return conflict(err, `phone ${p.extension}`);
    }
  }

  /** Every phone (optionally of one PBX), by extension. */
  async list(pbx?: string): Promise<Array<PhoneRecord & PhoneSecrets>> {
    let q = this.#db.selectFrom('phones').selectAll();
    if (pbx !== undefined) q = q.where('pbx', '=', pbx);
    return (await q.orderBy('pbx').orderBy('extension').execute()).map(toPhone);
  }

  /** One phone by PBX and extension. */
  async find(pbx: string, extension: string): Promise<(PhoneRecord & PhoneSecrets) | undefined> {
    const r = await this.#db
      .selectFrom('phones')
      .selectAll()
      .where('pbx', '=', pbx)
      .where('extension', '=', extension)
      .executeTakeFirst();
    return r ? toPhone(r) : undefined;
  }

  /** Phones with this extension on any PBX. */
  async byExtension(extension: string): Promise<Array<PhoneRecord & PhoneSecrets>> {
    return (await this.#db.selectFrom('phones').selectAll().where('extension', '=', extension).execute()).map(
      toPhone,
    );
  }

  /** One phone by its normalised MAC. */
  async byMac(mac: string): Promise<(PhoneRecord & PhoneSecrets) | undefined> {
    const r = await this.#db.selectFrom('phones').selectAll().where('mac', '=', mac).executeTakeFirst();
    return r ? toPhone(r) : undefined;
  }

  /** One phone by its provisioning user name. */
  async byProvisioningUser(user: string): Promise<(PhoneRecord & PhoneSecrets) | undefined> {
    const r = await this.#db
      .selectFrom('phones')
      .selectAll()
      .where('prov_username', '=', user)
      .executeTakeFirst();
    return r ? toPhone(r) : undefined;
  }

  /** Changes a phone; `STORE_NOT_FOUND` when it is gone. */
  async update(id: number, patch: PhonePatch): Promise<PhoneRecord & PhoneSecrets> {
    try {
      const r = await this.#db
        .updateTable('phones')
        .set({ ...columns(patch), updated_at: new Date().toISOString() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!r) throw notFound(`phone #${id}`);
      return toPhone(r);
    } catch (err) {
      if ((err as { code?: string }).code === 'STORE_NOT_FOUND') throw err;
      return conflict(err, `phone #${id}`);
    }
  }

  /** Removes a phone (its fetch log stays, detached). */
  async delete(id: number): Promise<void> {
    await this.#db.deleteFrom('phones').where('id', '=', id).execute();
  }
}

function toFetch(r: Selectable<PhoneFetchesTable>): PhoneFetch {
  return {
    at: r.at,
    phoneId: r.phone_id,
    extension: r.extension,
    address: r.address,
    userAgent: r.user_agent,
    file: r.file,
    outcome: r.outcome,
    status: r.status,
  };
}

/** The provisioning fetch log. */
export class PhoneFetchRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Records one request. */
  async add(f: PhoneFetch): Promise<void> {
    await this.#db
      .insertInto('phone_fetches')
      .values({
        at: f.at,
        phone_id: f.phoneId,
        extension: f.extension,
        address: f.address,
        user_agent: f.userAgent,
        file: f.file,
        outcome: f.outcome,
        status: f.status,
      })
      .execute();
  }

  /** A phone's requests, newest first. */
  async forPhone(phoneId: number, limit = 100): Promise<PhoneFetch[]> {
    return (
      await this.#db
        .selectFrom('phone_fetches')
        .selectAll()
        .where('phone_id', '=', phoneId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    ).map(toFetch);
  }

  /** Every request, newest first. */
  async recent(limit = 100): Promise<PhoneFetch[]> {
    return (
      await this.#db.selectFrom('phone_fetches').selectAll().orderBy('id', 'desc').limit(limit).execute()
    ).map(toFetch);
  }
}
