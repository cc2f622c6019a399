/** The `provisioning:` config section: where phones fetch their files and how they prove who they are. */
import { z } from 'zod';

const seconds = z.number().int().positive();

/** `provisioning:` — the provisioning HTTP endpoint. */
export const provisioningSchema = z
  .object({
    /** Serve `/provisioning/…` (on the API's listener unless `port` is set). */
    enabled: z.boolean().default(true),
    /** A listener of its own (plain HTTP; phones on the LAN often cannot do TLS). */
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().default('0.0.0.0'),
    /** The URL phones are given (DHCP option 66), e.g. `http://192.168.1.10:8081/provisioning`. */
    baseUrl: z.string().url().optional(),
    /** Also serve files by MAC in the path without credentials, to addresses in `allow` only. */
    macInPath: z.boolean().default(false),
    /** CIDRs (or single addresses) that may fetch by MAC without credentials. */
    allow: z.array(z.string()).default([]),
    /** Accept Basic credentials over plain HTTP (they travel readable: only on a trusted LAN). */
    basicWithoutTls: z.boolean().default(false),
    /** A folder whose `<brand>.<ext>` files replace the built-in templates (read on every fetch). */
    templatesDir: z.string().optional(),
    /** Time zone written into the files (IANA name). */
    timezone: z
      .string()
      .regex(/^[A-Za-z_+\-/0-9]{1,40}$/)
      .default('UTC'),
    /** The SIP registrar phones are pointed at (default: the PBX's AMI host, 5060/udp). */
    sipServer: z
      .object({
        host: z
          .string()
          .regex(/^[A-Za-z0-9.:-]{1,253}$/)
          .optional(),
        port: z.number().int().min(1).max(65535).default(5060),
        transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
      })
      .strict()
      .default({ port: 5060, transport: 'udp' }),
    /** Phone firmware: where uploads are kept (relative to the config file's folder) and the largest accepted. */
    firmware: z
      .object({
        dir: z.string().default('./.switchboard/firmware'),
        maxBytes: z
          .number()
          .int()
          .min(1)
          .default(256 * 1024 * 1024),
      })
      .strict()
      .default({ dir: './.switchboard/firmware', maxBytes: 256 * 1024 * 1024 }),
    /** Failed fetches allowed per address and window before 429. */
    failures: z
      .object({ max: z.number().int().min(1).default(10), windowSeconds: seconds.default(300) })
      .strict()
      .default({ max: 10, windowSeconds: 300 }),
  })
  .strict();

/** The validated section. */
export type ProvisioningConfig = z.output<typeof provisioningSchema>;

/** Defaults (a missing section). */
export const PROVISIONING_DEFAULTS: ProvisioningConfig = {
  enabled: true,
  host: '0.0.0.0',
  macInPath: false,
  allow: [],
  basicWithoutTls: false,
  timezone: 'UTC',
  sipServer: { port: 5060, transport: 'udp' },
  failures: { max: 10, windowSeconds: 300 },
  firmware: { dir: './.switchboard/firmware', maxBytes: 256 * 1024 * 1024 },
};
