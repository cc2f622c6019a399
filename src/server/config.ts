/**
 * The server's configuration: one YAML file validated with zod at start (errors name the key and the file line),
 * overridden by `SWITCHBOARD_*` environment variables, overridden by command-line flags.
 */
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { pbxLogsSchema } from '../admin/logs/config.js';
import { parseAmiUrl } from '../ami/index.js';
import { configSections } from './config-sections.js';

/** A duration: seconds as a number, or text such as `90s`, `15m`, `8h`, `30d`. */
export const duration = z
  .union([z.number().int().positive(), z.string().regex(/^\d+\s*(ms|s|m|h|d)$/)])
  .transform((v) => (typeof v === 'number' ? v * 1000 : toMs(v)));

function toMs(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d)$/.exec(text)!;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return n * unit;
}

const amiUrl = z.string().superRefine((url, ctx) => {
  try {
    parseAmiUrl(url);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const noControl = /^[^\x00-\x1f\x7f]*$/;
/** The default click-to-dial channel: `${from}` is replaced by the caller's extension (not a JS template). */
const DEFAULT_CHANNEL = 'PJSIP/$' + '{from}';

/** One PBX the server connects to. */
const pbxSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ only (at most 32)')
      .optional(),
    name: z.string().regex(noControl).optional(),
    ami: amiUrl,
    /** Log in with the MD5 challenge. */
    md5: z.boolean().default(false),
    ari: z.string().url().optional(),
    /** Set by `npm start` for the simulated PBX: shown as such in the API and UI. */
    simulated: z.boolean().default(false),
    clickToDial: z
      .object({
        channel: z.string().regex(noControl).default(DEFAULT_CHANNEL),
        context: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+$/)
          .default('default'),
        timeout: z.number().int().min(5).max(600).default(30),
      })
      .strict()
      .default({ channel: DEFAULT_CHANNEL, context: 'default', timeout: 30 }),
    /** Asterisk log sources of this PBX (a file to follow, a syslog receiver). */
    logs: pbxLogsSchema.optional(),
  })
  .strict();

const baseSchema = z
  .object({
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        trustProxy: z.union([z.boolean(), z.string()]).default(false),
        tls: z.object({ cert: z.string(), key: z.string() }).strict().optional(),
        /** Allowed browser origins for WebSocket upgrades besides the server's own (e.g. a reverse proxy's). */
        origins: z.array(z.string().url()).default([]),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, trustProxy: false, origins: [] }),
    db: z.string().default('./.switchboard/switchboard.sqlite'),
    pbx: z.array(pbxSchema).default([]),
    auth: z
      .object({
        sessionTtl: duration.default(8 * 3_600_000),
        loginRateLimit: z
          .object({
            max: z.number().int().min(1).default(5),
            window: duration.default(15 * 60_000),
          })
          .strict()
          .default({ max: 5, window: 15 * 60_000 }),
      })
      .strict()
      .default({ sessionTtl: 8 * 3_600_000, loginRateLimit: { max: 5, window: 15 * 60_000 } }),
    history: z
      .object({
        retentionDays: z.number().int().min(0).default(365),
      })
      .strict()
      .default({ retentionDays: 365 }),
    metrics: z
      .object({
        /** Bearer token that may read `/metrics`. */
        token: z.string().min(16).optional(),
        /** Addresses (CIDR or single) that may read `/metrics` without a token. */
        allow: z.array(z.string()).default(['127.0.0.1/32', '::1/128']),
      })
      .strict()
      .default({ allow: ['127.0.0.1/32', '::1/128'] }),
    live: z
      .object({
        /** Changes kept for `?since=` resumes. */
        resumeWindow: z.number().int().min(100).default(10_000),
        /** Bytes queued for one WebSocket client before it is dropped as too slow. */
        maxBufferedBytes: z
          .number()
          .int()
          .min(16_384)
          .default(8 * 1024 * 1024),
        pingInterval: duration.default(30_000),
      })
      .strict()
      .default({ resumeWindow: 10_000, maxBufferedBytes: 8 * 1024 * 1024, pingInterval: 30_000 }),
  })
  .strict();

/** The full schema: the base keys plus each room's own section (`config-sections.ts`). */
export const configSchema = baseSchema.extend(configSections);

/** The validated configuration (every default filled in). */
export type ServerConfig = z.output<typeof configSchema>;

/** A configuration problem: which key, where in the file, what is wrong (never the value: it may be a secret). */
export class ConfigError extends Error {
  /** Stable code. */
  readonly code = 'CONFIG_INVALID';
  constructor(
    message: string,
    /** Each problem, one line each. */
    readonly problems: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Inputs of {@link loadConfig}, lowest precedence first. */
export interface ConfigSources {
  /** Path of the YAML file (optional). */
  file?: string;
  /** Its text, when already read (tests). */
  text?: string;
  /** Environment (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Command-line overrides, already shaped like the config (`{http: {port: 9000}}`). */
  flags?: Record<string, unknown>;
}

const camel = (s: string) => s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `SWITCHBOARD_*` variables as a partial config: short aliases plus `SWITCHBOARD_<SECTION>__<KEY>` paths. */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (path: string[], value: unknown) => {
    let o = out;
    for (const k of path.slice(0, -1)) {
      o[k] ??= {};
      o = o[k] as Record<string, unknown>;
    }
    o[path.at(-1)!] = value;
  };
  const scalar = (v: string): unknown => {
    if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    if (/^-?\d+$/.test(v)) return Number(v);
    return v;
  };
  if (env.SWITCHBOARD_HOST) set(['http', 'host'], env.SWITCHBOARD_HOST);
  if (env.SWITCHBOARD_PORT) set(['http', 'port'], scalar(env.SWITCHBOARD_PORT));
  if (env.SWITCHBOARD_DB) set(['db'], env.SWITCHBOARD_DB);
  if (env.SWITCHBOARD_AMI) {
    set(
      ['pbx'],
      env.SWITCHBOARD_AMI.split(/[\s,]+/)
        .filter(Boolean)
        .map((ami) => ({ ami })),
    );
  }
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('SWITCHBOARD_') || !k.includes('__') || v === undefined) continue;
    set(k.slice('SWITCHBOARD_'.length).split('__').map(camel), scalar(v));
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** Reads, merges and validates the configuration; throws {@link ConfigError} naming every bad key. */
export function loadConfig(sources: ConfigSources = {}): ServerConfig {
  let fromFile: Record<string, unknown> = {};
  let where: (path: PropertyKey[]) => string = () => '';
  const file = sources.file;
  if (file !== undefined || sources.text !== undefined) {
    let text = sources.text;
    if (text === undefined) {
      try {
        text = readFileSync(file!, 'utf8');
      } catch (err) {
        throw new ConfigError(
          `cannot read the config file ${file}: ${(err as NodeJS.ErrnoException).code}`,
          [],
        );
      }
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const label = file ?? 'config';
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((e) => {
        const pos = e.pos ? lines.linePos(e.pos[0]) : undefined;
        return `${label}${pos ? `:${pos.line}` : ''}: ${e.message.split('\n')[0]}`;
      });
      throw new ConfigError(`invalid YAML in ${label}\n${problems.join('\n')}`, problems);
    }
    const value: unknown = doc.toJS() ?? {};
    if (!isObject(value)) throw new ConfigError(`${label}: the config file must be a mapping of keys`, []);
    fromFile = value;
    where = (path) => {
      // The deepest node of the path that exists in the file (a missing key points at its parent).
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as
          | { range?: [number] }
          | undefined;
        const range = node && (isMap(node) || isSeq(node) || 'range' in node) ? node.range : undefined;
        if (range) return `${label}:${lines.linePos(range[0]).line}: `;
      }
      return `${label}: `;
    };
  }
  const merged = merge(merge(fromFile, envOverrides(sources.env ?? process.env)), sources.flags ?? {});
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.length ? i.path.map(String).join('.') : '(top level)';
      return `${where(i.path)}${key}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration\n${problems.join('\n')}`, problems);
  }
  const config = parsed.data;
  // PBX ids: as given, else pbx1, pbx2… by position; unique.
  const seen = new Set<string>();
  config.pbx.forEach((p, i) => {
    p.id ??= `pbx${i + 1}`;
    if (seen.has(p.id))
      throw new ConfigError(`pbx.${i}.id: duplicate PBX id ${p.id}`, [`pbx.${i}.id: duplicate`]);
    seen.add(p.id);
  });
  return config;
}

/** One PBX of a validated config (its id always set). */
export type PbxConfig = ServerConfig['pbx'][number] & { id: string };
