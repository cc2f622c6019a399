/**
 * Router configuration as data: a YAML file validated with zod (errors name the bad key), environment variables
 * override it, defaults fill the rest. Secrets (database and AMI URLs) are never printed whole.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { RouterError } from './errors.js';

const sound = z.string().regex(/^[\w/.-]+$/, 'must be a sound name (letters, digits, _ - . /)');
const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a channel variable name');

/** zod schema of the router configuration. */
export const routerConfigSchema = z.strictObject({
  db: z.string().min(1).default('./.switchboard/router.sqlite'),
  listen: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(4573),
      path: z
        .string()
        .regex(/^\/[\w/.-]*$/, 'must start with / (e.g. /router)')
        .default('/router'),
      allow: z.array(z.string().min(1)).optional(),
    })
    .prefault({}),
  asyncAgi: z.strictObject({ url: z.string().min(1) }).optional(),
  prompts: z
    .strictObject({
      invalid: sound.default('ss-noservice'),
      pin: sound.default('agent-pass'),
      wrongPin: sound.default('auth-incorrect'),
      goodbye: sound.default('vm-goodbye'),
      failure: sound.default('an-error-has-occured'),
      locked: sound.default('vm-goodbye'),
    })
    .prefault({}),
  pin: z
    .strictObject({
      maxDigits: z.number().int().min(4).max(12).default(8),
      timeoutMs: z.number().int().min(500).max(60_000).default(5000),
      attempts: z.number().int().min(1).max(10).default(3),
    })
    .prefault({}),
  lockout: z
    .strictObject({
      maxFailures: z.number().int().min(1).default(5),
      windowSeconds: z.number().int().min(1).default(900),
      lockSeconds: z.number().int().min(1).default(900),
    })
    .prefault({}),
  entryExtensions: z.array(z.string().min(1)).default(['s']),
  dialedVariable: varName.optional(),
  variablePrefix: varName.default('ROUTER_'),
});

/** The validated router configuration. */
export type RouterConfig = z.infer<typeof routerConfigSchema>;
/** The configuration as written (every key optional). */
export type RouterConfigInput = z.input<typeof routerConfigSchema>;

/** Environment variables that override the file (name → config key). */
export const ROUTER_ENV = {
  SWITCHBOARD_ROUTER_DB: 'db',
  SWITCHBOARD_ROUTER_HOST: 'listen.host',
  SWITCHBOARD_ROUTER_PORT: 'listen.port',
  SWITCHBOARD_ROUTER_PATH: 'listen.path',
  SWITCHBOARD_ROUTER_ALLOW: 'listen.allow',
  SWITCHBOARD_ROUTER_AMI_URL: 'asyncAgi.url',
} as const;

/** Validates a configuration object; throws `ROUTER_BAD_CONFIG` naming every bad key. */
export function parseRouterConfig(input: unknown, origin = 'configuration'): RouterConfig {
  const r = routerConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
  throw new RouterError('ROUTER_BAD_CONFIG', `invalid ${origin}:\n${lines.join('\n')}`);
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1] as string] = value;
}

/** Loads the YAML file (if any), applies env overrides and explicit overrides, and validates the result. */
export function loadRouterConfig(
  options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {},
): RouterConfig {
  let raw: Record<string, unknown> = {};
  if (options.file) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (err) {
      throw new RouterError('ROUTER_BAD_CONFIG', `cannot read ${options.file}: ${(err as Error).message}`);
    }
    try {
      raw = (parseYaml(text) as Record<string, unknown>) ?? {};
    } catch (err) {
      throw new RouterError(
        'ROUTER_BAD_CONFIG',
        `${options.file} is not valid YAML: ${(err as Error).message}`,
      );
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new RouterError('ROUTER_BAD_CONFIG', `${options.file} must hold a mapping`);
    }
  }
  const env = options.env ?? process.env;
  for (const [name, path] of Object.entries(ROUTER_ENV)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    setPath(
      raw,
      path,
      path === 'listen.port' ? Number(v) : path === 'listen.allow' ? v.split(',').map((s) => s.trim()) : v,
    );
  }
  for (const [path, v] of Object.entries(options.overrides ?? {})) if (v !== undefined) setPath(raw, path, v);
  return parseRouterConfig(raw, options.file ?? 'configuration');
}
