/**
 * The SSRF guard: only http/https, and no loopback, private, link-local, ULA, "this network", multicast or
 * reserved addresses unless allowed. Checked when a target is saved and again at connect time through the HTTP
 * agent's `lookup` (the address actually dialled), so a name that resolves differently later (DNS rebinding)
 * is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { FeedsError } from '../errors.js';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** True when an IP address is one the guard refuses (IPv4-mapped IPv6 is judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const v = isIP(address);
  if (v === 4) return blocked.check(address, 'ipv4');
  if (v === 6) return blocked.check(address, 'ipv6');
  return true;
}

/** Parses and checks a target URL's form (scheme, no credentials); throws `WEBHOOK_BAD_URL`. */
export function parseTargetUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FeedsError('WEBHOOK_BAD_URL', 'not a URL', 'url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FeedsError('WEBHOOK_BAD_URL', 'only http and https URLs', 'url');
  }
  if (u.username || u.password) {
    throw new FeedsError('WEBHOOK_BAD_URL', 'credentials in the URL are refused; use headers', 'url');
  }
  return u;
}

function hostOf(u: URL): string {
  return u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
}

/** Save-time check: the form, then every address the host resolves to now; throws `WEBHOOK_PRIVATE_TARGET`. */
export async function checkTargetUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  const u = parseTargetUrl(raw);
  if (allowPrivate) return u;
  const host = hostOf(u);
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (err, list) =>
          err
            ? reject(new FeedsError('WEBHOOK_BAD_URL', `cannot resolve ${host}`, 'url'))
            : resolve(list.map((a) => a.address)),
        ),
      );
  if (addresses.some(isPrivateAddress)) {
    throw new FeedsError(
      'WEBHOOK_PRIVATE_TARGET',
      `${host} is a loopback/private address; allow with webhooks.allowPrivateTargets`,
      'url',
    );
  }
  return u;
}

/** Error code a refused connection carries. */
export const PRIVATE_TARGET_REFUSED = 'EWEBHOOKPRIVATE';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http(s).request that refuses private addresses (connect-time check). */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true } as { all: true }, (err, list) => {
    if (err) return callback(err, []);
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const e = new Error(
        `refused: ${hostname} resolves to ${bad.address} (private)`,
      ) as NodeJS.ErrnoException;
      e.code = PRIVATE_TARGET_REFUSED;
      return callback(e, []);
    }
    if (options.all) return callback(null, list);
    const first = list[0]!;
    callback(null, first.address, first.family);
  });
}
