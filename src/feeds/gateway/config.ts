/** The `gateway:` config section: where the AMI gateway listens and who may log in to it. */
import { z } from 'zod';

/** A name list such as `["call", "system"]` (AMI class names, lower-cased when compiled). */
const classList = z.array(z.string().regex(/^[A-Za-z_]{1,32}$/)).default([]);

/** A feed filter, as in `POST /api/v1/feeds` (checked again by `compileFeedFilter` when the gateway starts). */
export const gatewayFilterSchema = z
  .object({
    events: z.array(z.string()).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    regex: z.string().optional(),
    mine: z.boolean().optional(),
  })
  .strict();

/** One gateway login. */
export const gatewayUserSchema = z
  .object({
    /** The `Username` of the AMI Login. */
    name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/),
    /** The secret (plain `Secret:` or the MD5 challenge). Never logged, never listed. */
    secret: z.string().min(1).max(256),
    /** Event classes the client may receive (`call`, `system`, … or `all`). */
    read: classList,
    /** Action classes the client may use (`call`, `originate`, `command`, … or `all`). */
    write: classList,
    /** When given: only these actions (case-insensitive), on top of the write classes. */
    actions: z.array(z.string().regex(/^[A-Za-z0-9_]{1,64}$/)).optional(),
    /** CLI command prefixes `Command` may run (`core show`); without it `Command` is refused. */
    commands: z.array(z.string().min(1).max(200)).optional(),
    /** Event filter (same spec as a feed's). */
    filter: gatewayFilterSchema.optional(),
    /** The client's extensions, for `filter.mine`. */
    extensions: z.array(z.string().regex(/^[A-Za-z0-9_*#+-]{1,32}$/)).optional(),
    /** The PBX the client talks to (default: the only/first one). */
    pbx: z.string().min(1).optional(),
  })
  .strict();

/** `gateway:` — the AMI gateway. */
export const gatewaySchema = z
  .object({
    enabled: z.boolean().default(false),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(5039),
    /** Serve AMI over TLS with this PEM certificate and key (file paths, relative to the config file). */
    tls: z
      .object({ cert: z.string().min(1), key: z.string().min(1) })
      .strict()
      .optional(),
    users: z.array(gatewayUserSchema).default([]),
    /** Bytes queued for one client (written but not taken by its socket) before it is disconnected. */
    maxQueue: z
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024),
    /** Key (16+ characters) sealing the secrets of API-managed users at rest (AES-256-GCM); without it `plain:`. */
    secretKey: z.string().min(16).optional(),
    /** Delay before answering a failed login (Asterisk sleeps 1 s), in ms. */
    loginFailDelay: z.number().int().min(0).max(10_000).default(1000),
  })
  .strict();

/** A validated gateway user. */
export type GatewayUserConfig = z.output<typeof gatewayUserSchema>;
/** The validated `gateway:` section. */
export type GatewayConfig = z.output<typeof gatewaySchema>;

/** Defaults of `gateway:` (off). */
export const GATEWAY_DEFAULTS: GatewayConfig = {
  enabled: false,
  host: '127.0.0.1',
  port: 5039,
  users: [],
  maxQueue: 4 * 1024 * 1024,
  loginFailDelay: 1000,
};
