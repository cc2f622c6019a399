/** The admin room's tables: phones (ours and imported ones) and the provisioning fetch log. */
import type { Generated } from 'kysely';

/** `phones`: one SIP phone of a PBX; `managed = 1` when Switchboard wrote its Asterisk category. */
export interface PhonesTable {
  id: Generated<number>;
  pbx: string;
  extension: string;
  name: string;
  brand: string;
  model: string | null;
  /** 12 lowercase hex digits, or null for an imported endpoint with no known MAC. */
  mac: string | null;
  context: string;
  language: string | null;
  /** Comma list, e.g. `ulaw,alaw`. */
  codecs: string;
  voicemail: number;
  /** 1 when Switchboard created the category and may rewrite it. */
  managed: number;
  /** `pjsip` or `chan_sip` (the driver the category was written for), null when unknown. */
  driver: string | null;
  /** The Asterisk file and category Switchboard wrote (null for imported phones). */
  config_file: string | null;
  category: string | null;
  /** The SIP secret, sealed (`v1:` AES-256-GCM or `plain:` when no key is configured); never listed. */
  secret: string | null;
  /** Provisioning HTTP user name and the Digest HA1 (MD5 of user:realm:password) of its password. */
  prov_username: string | null;
  prov_ha1: string | null;
  created_at: string;
  updated_at: string;
}

/** `phone_fetches`: every provisioning request (successful or not). */
export interface PhoneFetchesTable {
  id: Generated<number>;
  at: string;
  /** The phone the request was for or authenticated as, when known. */
  phone_id: number | null;
  extension: string | null;
  address: string;
  user_agent: string | null;
  file: string;
  /** `served`, `unauthorized`, `forbidden`, `not-found`, `rate-limited`. */
  outcome: string;
  status: number;
}

/** The admin room's tables, merged into `Database`. */
export interface AdminTables {
  phones: PhonesTable;
  phone_fetches: PhoneFetchesTable;
}
