/** Client address allow-list (addresses and CIDRs, IPv4 and IPv6) for the FastAGI server. */
import { BlockList, isIP } from 'node:net';

/** Checks remote addresses against a list like `['127.0.0.1', '10.0.0.0/8', '::1']`. */
export class AllowList {
  private readonly list = new BlockList();
  /** The entries as given. */
  readonly entries: readonly string[];

  constructor(entries: readonly string[]) {
    this.entries = entries;
    for (const raw of entries) {
      const entry = raw.trim();
      const slash = entry.indexOf('/');
      const addr = slash < 0 ? entry : entry.slice(0, slash);
      const family = isIP(addr);
      if (family === 0)
        throw new TypeError(`allow-list entry ${JSON.stringify(raw)} is not an IP address or CIDR`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (slash < 0) this.list.addAddress(addr, type);
      else {
        const prefix = Number(entry.slice(slash + 1));
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
          throw new TypeError(`allow-list entry ${JSON.stringify(raw)} has a bad prefix length`);
        }
        this.list.addSubnet(addr, prefix, type);
      }
    }
  }

  /** True when `address` (as reported by the socket, IPv4-mapped IPv6 included) is allowed. */
  allows(address: string | undefined): boolean {
    if (!address) return false;
    let a = address;
    if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
    const family = isIP(a);
    if (family === 0) return false;
    return this.list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  }
}
