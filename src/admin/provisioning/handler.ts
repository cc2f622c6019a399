/**
 * The provisioning endpoint without HTTP plumbing: a request (file name, credentials, address) becomes a file,
 * a 401 challenge, or a refusal. A phone gets only its own files; failed fetches are counted per address and
 * answered 429 past the limit; every request is written to the fetch log.
 */
import { BlockList, isIP } from 'node:net';
import type { PhoneRecord, PhoneSecrets } from '../../store/index.js';
import { type PhoneService, PROVISIONING_REALM } from '../phone-service.js';
import type { ProvisioningConfig } from './config.js';
import { HttpAuth } from './digest.js';
import { FIRMWARE_RAW_KEYS, fill, type SipServer, templateBody, templateValues } from './render.js';
import { PROVISIONING_FILES, type ProvisioningFile } from './templates.js';

/** One request to the endpoint. */
export interface ProvisioningRequest {
  method: string;
  /** The file name (last path segment, decoded). */
  file: string;
  /** The request target as sent (what Digest signs). */
  uri: string;
  authorization?: string;
  userAgent?: string;
  address: string;
  /** Over TLS. */
  secure: boolean;
  /** The provisioning base URL as this phone reaches it (for firmware URLs in its files). */
  baseUrl?: string;
}

/** The answer. */
export interface ProvisioningResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** What the handler needs. */
export interface ProvisioningHandlerOptions {
  phones: PhoneService;
  config: ProvisioningConfig;
  /** The registrar host phones of a PBX are given when `sipServer.host` is not configured. */
  sipHost: (pbx: string) => string;
  now?: () => number;
  /** Firmware template values of a phone (`firmwareUrl`, `firmwareVersion`, the per-brand blocks), if any. */
  firmware?: (phone: Phone, r: ProvisioningRequest) => Promise<Record<string, string> | undefined>;
}

type Phone = PhoneRecord & PhoneSecrets;

/** Strips the IPv4-mapped prefix so `::ffff:10.0.0.5` matches `10.0.0.0/8`. */
function plainAddress(a: string): string {
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/** Builds an allow list from CIDRs or single addresses. */
export function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const family = isIP(addr ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!addr || isIP(addr) === 0) throw new Error(`provisioning.allow: not an address or CIDR: ${e}`);
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return list;
}

/** Serves provisioning files. */
export class ProvisioningHandler {
  readonly auth: HttpAuth;
  readonly #o: ProvisioningHandlerOptions;
  readonly #allow: BlockList;
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #now: () => number;

  constructor(o: ProvisioningHandlerOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.auth = new HttpAuth(PROVISIONING_REALM, 5 * 60_000, this.#now);
    this.#allow = allowList(o.config.allow);
  }

  #allowed(address: string): boolean {
    const a = plainAddress(address);
    const family = isIP(a) === 6 ? 'ipv6' : 'ipv4';
    return isIP(a) !== 0 && this.#allow.check(a, family);
  }

  #limited(address: string): boolean {
    const f = this.#failures.get(address);
    if (!f) return false;
    if (this.#now() - f.since > this.#o.config.failures.windowSeconds * 1000) {
      this.#failures.delete(address);
      return false;
    }
    return f.count >= this.#o.config.failures.max;
  }

  #fail(address: string): void {
    const now = this.#now();
    const f = this.#failures.get(address);
    if (!f || now - f.since > this.#o.config.failures.windowSeconds * 1000) {
      // Bounded: a flood of addresses cannot grow the map without limit.
      if (this.#failures.size > 10_000) this.#failures.clear();
      this.#failures.set(address, { count: 1, since: now });
    } else f.count++;
  }

  async #log(
    r: ProvisioningRequest,
    phone: Phone | undefined,
    outcome: string,
    status: number,
  ): Promise<void> {
    await this.#o.phones.fetches.add({
      at: new Date(this.#now()).toISOString(),
      phoneId: phone?.id ?? null,
      extension: phone?.extension ?? null,
      address: plainAddress(r.address),
      userAgent: r.userAgent?.slice(0, 200) ?? null,
      file: r.file.slice(0, 200),
      outcome,
      status,
    });
  }

  async #answer(
    r: ProvisioningRequest,
    phone: Phone | undefined,
    outcome: string,
    status: number,
    failure: boolean,
    headers: Record<string, string | string[]> = {},
  ): Promise<ProvisioningResponse> {
    if (failure) this.#fail(r.address);
    await this.#log(r, phone, outcome, status);
    const words: Record<number, string> = {
      401: 'authentication required',
      403: 'not your file',
      404: 'no such file',
      429: 'too many failed requests',
    };
    return {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
      body: `${words[status] ?? 'refused'}\n`,
    };
  }

  /**
   * Who is asking: the phone of the credentials (Digest, or Basic where allowed), or — MAC-in-path from an allowed
   * address — the phone of `mac`; otherwise the answer to send (429, 401 challenge, 404).
   */
  async identify(
    r: ProvisioningRequest,
    mac: string | undefined,
  ): Promise<{ phone: Phone; response?: undefined } | { phone?: undefined; response: ProvisioningResponse }> {
    if (this.#limited(r.address))
      return {
        response: await this.#answer(r, undefined, 'rate-limited', 429, false, {
          'retry-after': String(this.#o.config.failures.windowSeconds),
        }),
      };
    const basicAllowed = r.secure || this.#o.config.basicWithoutTls;
    let phone: Phone | undefined;
    if (r.authorization) {
      const check = await this.auth.check(r.authorization, r.method, r.uri, basicAllowed, async (u) => {
        const p = await this.#o.phones.phones.byProvisioningUser(u);
        return p?.provisioningHa1 ?? undefined;
      });
      if (!check.ok)
        return {
          response: await this.#answer(
            r,
            undefined,
            check.stale ? 'stale-nonce' : 'unauthorized',
            401,
            !check.stale,
            { 'www-authenticate': this.auth.challenges(basicAllowed, check.stale ?? false) },
          ),
        };
      phone = await this.#o.phones.phones.byProvisioningUser(check.username);
    } else if (this.#o.config.macInPath && this.#allowed(r.address)) {
      phone = mac ? await this.#o.phones.phones.byMac(mac) : undefined;
      if (!phone) return { response: await this.#answer(r, undefined, 'not-found', 404, true) };
    } else {
      // The first request of a Digest phone comes without credentials: a challenge, not a failure.
      return {
        response: await this.#answer(r, undefined, 'challenged', 401, false, {
          'www-authenticate': this.auth.challenges(basicAllowed),
        }),
      };
    }
    if (!phone) return { response: await this.#answer(r, undefined, 'unauthorized', 401, true) };
    return { phone };
  }

  /** Answers a refusal for a known phone (logged, counted as a failure). */
  refuse(r: ProvisioningRequest, phone: Phone, status: 403 | 404): Promise<ProvisioningResponse> {
    return this.#answer(r, phone, status === 403 ? 'forbidden' : 'not-found', status, true);
  }

  /** Logs a served request. */
  served(r: ProvisioningRequest, phone: Phone): Promise<void> {
    return this.#log(r, phone, 'served', 200);
  }

  /** Handles one request. */
  async handle(r: ProvisioningRequest): Promise<ProvisioningResponse> {
    const candidates = PROVISIONING_FILES.map((f) => ({ f, mac: f.match(r.file) })).filter(
      (c): c is { f: ProvisioningFile; mac: string } => c.mac !== undefined,
    );
    const who = await this.identify(r, candidates.find((c) => c.mac !== '')?.mac);
    if (who.response) return who.response;
    const phone = who.phone;
    if (candidates.length === 0) return this.#answer(r, phone, 'not-found', 404, true);
    const file = candidates.find((c) => c.f.brand === phone.brand && (c.mac === '' || c.mac === phone.mac));
    if (!file) {
      const another = candidates.some((c) => c.mac !== '' && c.mac !== phone.mac);
      return this.#answer(r, phone, another ? 'forbidden' : 'not-found', another ? 403 : 404, true);
    }
    if (!phone.mac || !phone.sealedSecret) return this.#answer(r, phone, 'not-found', 404, true);
    const spec = await this.#o.phones.forProvisioning(phone);
    const c = this.#o.config;
    const sip: SipServer = {
      host: c.sipServer.host ?? this.#o.sipHost(phone.pbx),
      port: c.sipServer.port,
      transport: c.sipServer.transport,
    };
    const values = {
      ...templateValues({
        phone: { ...spec, mac: phone.mac, model: phone.model },
        sip,
        timezone: c.timezone,
        now: new Date(this.#now()),
      }),
      ...((await this.#o.firmware?.(phone, r)) ?? {}),
    };
    const body = fill(
      await templateBody(file.f.template, c.templatesDir),
      values,
      file.f.template.escape,
      FIRMWARE_RAW_KEYS,
    );
    await this.#log(r, phone, 'served', 200);
    return {
      status: 200,
      headers: { 'content-type': file.f.template.contentType, 'cache-control': 'no-store' },
      body,
    };
  }
}
