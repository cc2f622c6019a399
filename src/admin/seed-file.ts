/**
 * The phones file of `switchboard phones import <file.yaml>`: a list of phones, each with an optional given
 * secret (existing users such as seed 000's manuel/contrasenia keep theirs; phones without one get a random one).
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { AdminError } from './errors.js';
import type { PhoneInput } from './phone.js';

const phone = z
  .object({
    extension: z.union([z.string(), z.number()]).transform(String),
    name: z.string(),
    brand: z.string().default('generic'),
    model: z.union([z.string(), z.number()]).transform(String).optional(),
    mac: z.string().optional(),
    context: z.string().optional(),
    language: z.string().optional(),
    codecs: z.array(z.string()).optional(),
    voicemail: z.boolean().optional(),
    pbx: z.string().optional(),
    secret: z.union([z.string(), z.number()]).transform(String).optional(),
  })
  .strict();

const file = z.object({ pbx: z.string().optional(), phones: z.array(phone).min(1) }).strict();

/** Parses a phones file; `ADMIN_INVALID` names the entry and key at fault. */
export function parsePhonesFile(text: string): PhoneInput[] {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new AdminError('ADMIN_INVALID', `not YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = file.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const where = i.path.map(String).join('.') || '(top level)';
    throw new AdminError('ADMIN_INVALID', `${where}: ${i.message}`, where);
  }
  return r.data.phones.map((p) => {
    const out: PhoneInput = { extension: p.extension, name: p.name, brand: p.brand };
    if (p.model !== undefined) out.model = p.model;
    if (p.mac !== undefined) out.mac = p.mac;
    if (p.context !== undefined) out.context = p.context;
    if (p.language !== undefined) out.language = p.language;
    if (p.codecs !== undefined) out.codecs = p.codecs;
    if (p.voicemail !== undefined) out.voicemail = p.voicemail;
    const pbx = p.pbx ?? r.data.pbx;
    if (pbx !== undefined) out.pbx = pbx;
    if (p.secret !== undefined) out.secret = p.secret;
    return out;
  });
}
