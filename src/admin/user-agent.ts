/**
 * Which phone and firmware a provisioning fetch came from, read from its User-Agent. The shapes are the ones each
 * vendor's phones send when fetching configuration (one example each, in the tests); anything else is undefined.
 */

/** A phone's brand, model and firmware version, as its User-Agent tells them. */
export interface PhoneAgent {
  brand: string;
  model: string;
  version: string;
}

const RULES: ReadonlyArray<{ brand: string; re: RegExp }> = [
  // Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:cc
  { brand: 'yealink', re: /^Yealink\s+(?:SIP[-_])?([A-Za-z0-9_+-]+)\s+(\d[\d.]*)/i },
  // FileTransport PolycomVVX-VVX_450-UA/6.3.1.8427
  { brand: 'polycom', re: /Polycom[A-Za-z]*-([A-Za-z0-9_]+)-UA\/(\d[\d.]*)/i },
  // Grandstream Model HW GXP2170 SW 1.0.11.23 DevId 000b82aabbcc
  { brand: 'grandstream', re: /Grandstream\s+Model\s+HW\s+(\S+)\s+SW\s+(\d[\d.]*)/i },
  // Mozilla/4.0 (compatible; snom320-SIP 8.7.3.25 1.1.3-s)
  { brand: 'snom', re: /\bsnom([A-Za-z0-9]+)-SIP\s+(\d[\d.]*)/i },
  // Cisco-SPA504G/7.6.2
  { brand: 'cisco', re: /^Cisco[-/](\w+)\/(\d[\w.()-]*)/i },
  // Fanvil X4 2.4.0.1234 0c383e000000 (shape as Fanvil documents its SIP User-Agent; not seen on a phone here)
  { brand: 'fanvil', re: /^Fanvil\s+(\S+)\s+(\d[\d.]*)/i },
];

/** Parses a User-Agent; undefined when it is not one of the known phone shapes. */
export function parsePhoneAgent(userAgent: string | null | undefined): PhoneAgent | undefined {
  if (!userAgent) return undefined;
  for (const { brand, re } of RULES) {
    const m = re.exec(userAgent);
    if (m?.[1] && m[2]) return { brand, model: m[1], version: m[2] };
  }
  return undefined;
}

/** Per brand and model, how many phones run which version (each phone counted once, by its newest fetch). */
export function versionCounts(
  fetches: ReadonlyArray<{ phoneId: number | null; userAgent: string | null }>,
): Array<{ brand: string; model: string; versions: Record<string, number> }> {
  const seen = new Set<number>();
  const by = new Map<string, { brand: string; model: string; versions: Record<string, number> }>();
  for (const f of fetches) {
    if (f.phoneId === null || seen.has(f.phoneId)) continue;
    const a = parsePhoneAgent(f.userAgent);
    if (!a) continue;
    seen.add(f.phoneId);
    const key = `${a.brand}/${a.model}`;
    const row = by.get(key) ?? { brand: a.brand, model: a.model, versions: {} };
    row.versions[a.version] = (row.versions[a.version] ?? 0) + 1;
    by.set(key, row);
  }
  return [...by.values()].sort((x, y) => x.brand.localeCompare(y.brand) || x.model.localeCompare(y.model));
}
