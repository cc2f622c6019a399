// biome-ignore-all lint/suspicious/noTemplateCurlyInString: default templates use the router's ${var} syntax
/**
 * Route applications: what a route runs once the caller may use it. Application data is validated with zod (a bad row
 * is a rule error naming the route) and run as AGI commands on the channel.
 */
import { z } from 'zod';
import { isHangupError, type RouterChannel } from './channel.js';
import { RuleError } from './errors.js';
import { compileTemplate, type Template, type TemplateValues } from './template.js';

/** Application names a route may use. */
export const APP_NAMES = [
  'dial',
  'voicemail',
  'conference',
  'playback',
  'busy',
  'congestion',
  'hangup',
  'gosub',
  'custom',
] as const;
/** One application name. */
export type AppName = (typeof APP_NAMES)[number];

const text = z.string().refine((s) => !/[\r\n]/.test(s), 'must not contain a line break');
const arg = text.refine((s) => !s.includes(','), "must not contain ','");
const seconds = z.number().int().positive().max(86400);

/** zod schema of each application's data. */
export const APP_DATA_SCHEMAS = {
  dial: z.strictObject({ options: arg.optional(), timeout: seconds.optional() }),
  voicemail: z.strictObject({
    mailbox: arg.optional(),
    options: arg.optional(),
    main: z.boolean().optional(),
  }),
  conference: z.strictObject({
    room: arg.optional(),
    bridgeProfile: arg.optional(),
    userProfile: arg.optional(),
  }),
  playback: z.strictObject({
    prompt: text.refine((s) => /^[\w/.&-]+$/.test(s), 'must be sound names joined by &'),
  }),
  busy: z.strictObject({ timeout: seconds.optional() }),
  congestion: z.strictObject({ timeout: seconds.optional() }),
  hangup: z.strictObject({ cause: z.number().int().min(0).max(127).optional() }),
  gosub: z.strictObject({
    context: arg.refine((s) => /^[\w-]+$/.test(s), 'must be a context name'),
    exten: arg.optional(),
    priority: z.union([z.number().int().positive(), arg]).optional(),
    args: z.array(arg).optional(),
  }),
  custom: z.strictObject({
    app: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an application name'),
    args: text.optional(),
  }),
} satisfies Record<AppName, z.ZodType>;

/** A dial target ready to render. */
export interface DialTarget {
  readonly template: Template;
  readonly options: string;
  readonly timeout: number | null;
}

/** An application compiled from a route row. */
export type CompiledApp =
  | {
      readonly kind: 'dial';
      readonly targets: readonly DialTarget[];
      readonly statuses: ReadonlySet<string>;
      readonly causes: ReadonlySet<string>;
    }
  | {
      readonly kind: 'voicemail';
      readonly mailbox: Template;
      readonly options: string;
      readonly main: boolean;
    }
  | { readonly kind: 'conference'; readonly room: Template; readonly profiles: string }
  | { readonly kind: 'playback'; readonly prompt: string }
  | { readonly kind: 'busy' | 'congestion'; readonly timeout: number | undefined }
  | { readonly kind: 'hangup'; readonly cause: number | undefined }
  | {
      readonly kind: 'gosub';
      readonly context: string;
      readonly exten: Template;
      readonly priority: string;
      readonly args: readonly Template[];
    }
  | { readonly kind: 'custom'; readonly app: string; readonly args: Template };

/** What compileApp needs from a route row. */
export interface AppSource {
  app: string;
  appData: string | Record<string, unknown>;
  targets: ReadonlyArray<{ template: string; options?: string | null; timeout?: number | null }>;
  failoverOn: readonly string[];
}

function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** Validates and compiles a route's application; throws `ROUTER_BAD_RULE` saying what is wrong. */
export function compileApp(src: AppSource): CompiledApp {
  if (!(APP_NAMES as readonly string[]).includes(src.app)) {
    throw new RuleError(`unknown application ${JSON.stringify(src.app)} (use ${APP_NAMES.join(', ')})`);
  }
  const app = src.app as AppName;
  let raw: unknown = src.appData;
  if (typeof raw === 'string') {
    try {
      raw = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw new RuleError('application data is not valid JSON');
    }
  }
  const parsed = APP_DATA_SCHEMAS[app].safeParse(raw);
  if (!parsed.success) throw new RuleError(`${app} data: ${zodMessage(parsed.error)}`);
  switch (app) {
    case 'dial': {
      const d = parsed.data as z.infer<(typeof APP_DATA_SCHEMAS)['dial']>;
      if (src.targets.length === 0) throw new RuleError('dial needs at least one target');
      const targets = src.targets.map((t, i) => {
        const options = t.options ?? d.options ?? '';
        if (/[\r\n,]/.test(options))
          throw new RuleError(`target ${i + 1}: Dial options must not contain ',' or a line break`);
        return { template: compileTemplate(t.template), options, timeout: t.timeout ?? d.timeout ?? null };
      });
      const statuses = new Set<string>();
      const causes = new Set<string>();
      for (const s of src.failoverOn) {
        const m = /^cause:(\d{1,3})$/i.exec(s);
        if (m) causes.add(String(Number(m[1])));
        else if (/^[A-Z]+$/.test(s)) statuses.add(s);
        else
          throw new RuleError(
            `failover condition ${JSON.stringify(s)} is neither a DIALSTATUS nor cause:<number>`,
          );
      }
      return { kind: 'dial', targets, statuses, causes };
    }
    case 'voicemail': {
      const d = parsed.data as z.infer<(typeof APP_DATA_SCHEMAS)['voicemail']>;
      return {
        kind: 'voicemail',
        mailbox: compileTemplate(d.mailbox ?? (d.main ? '${caller}@default' : '${number}@default')),
        options: d.options ?? '',
        main: d.main ?? false,
      };
    }
    case 'conference': {
      const d = parsed.data as z.infer<(typeof APP_DATA_SCHEMAS)['conference']>;
      const profiles = d.userProfile
        ? `,${d.bridgeProfile ?? ''},${d.userProfile}`
        : d.bridgeProfile
          ? `,${d.bridgeProfile}`
          : '';
      return { kind: 'conference', room: compileTemplate(d.room ?? '${number}'), profiles };
    }
    case 'playback':
      return { kind: 'playback', prompt: (parsed.data as { prompt: string }).prompt };
    case 'busy':
    case 'congestion':
      return { kind: app, timeout: (parsed.data as { timeout?: number }).timeout };
    case 'hangup':
      return { kind: 'hangup', cause: (parsed.data as { cause?: number }).cause };
    case 'gosub': {
      const d = parsed.data as z.infer<(typeof APP_DATA_SCHEMAS)['gosub']>;
      return {
        kind: 'gosub',
        context: d.context,
        exten: compileTemplate(d.exten ?? '${number}'),
        priority: String(d.priority ?? 1),
        args: (d.args ?? []).map(compileTemplate),
      };
    }
    case 'custom': {
      const d = parsed.data as z.infer<(typeof APP_DATA_SCHEMAS)['custom']>;
      return { kind: 'custom', app: d.app, args: compileTemplate(d.args ?? '') };
    }
  }
}

/** How an application ended. */
export interface AppOutcome {
  /** `ROUTER_STATUS`: the final DIALSTATUS for dial, `OK` for the others. */
  status: string;
  /** The dial string that was used last (dial only). */
  target?: string;
  /** 1-based index of that target in the failover list. */
  targetIndex?: number;
}

/** The Dial argument string for one target. */
export function dialArgs(target: DialTarget, values: TemplateValues): string {
  const dest = target.template.render(values);
  if (target.options) return `${dest},${target.timeout ?? ''},${target.options}`;
  return target.timeout !== null ? `${dest},${target.timeout}` : dest;
}

/** Runs an application on the channel (dial walks its targets in failover order). */
export async function runApp(
  channel: RouterChannel,
  app: CompiledApp,
  values: TemplateValues,
): Promise<AppOutcome> {
  switch (app.kind) {
    case 'dial': {
      // Render every target first: a bad value fails before anything is dialled.
      const args = app.targets.map((t) => dialArgs(t, values));
      let outcome: AppOutcome = { status: 'CHANUNAVAIL' };
      for (let i = 0; i < args.length; i++) {
        const dialArg = args[i] as string;
        const hangup = await execUntilHangup(channel, 'Dial', dialArg);
        // After a hangup during the Dial, DIALSTATUS (a dead-safe read) still tells how the Dial ended; where
        // the channel is gone altogether (AsyncAGI), the hangup itself is the outcome.
        const status = (await readAfter(channel, 'DIALSTATUS', hangup)) || 'UNKNOWN';
        outcome = { status, target: dialArg.split(',')[0] as string, targetIndex: i + 1 };
        if (channel.hungUp || i === args.length - 1) break;
        let next = app.statuses.has(status);
        if (!next && app.causes.size > 0)
          next = app.causes.has((await channel.getVariable('HANGUPCAUSE')) ?? '');
        if (!next) break;
      }
      return outcome;
    }
    case 'voicemail': {
      const box = app.mailbox.render(values);
      // Hanging up is how a caller ends a voicemail or a conference: the application did its job.
      await execUntilHangup(
        channel,
        app.main ? 'VoiceMailMain' : 'VoiceMail',
        app.options ? `${box},${app.options}` : box,
      );
      return { status: 'OK' };
    }
    case 'conference':
      await execUntilHangup(channel, 'ConfBridge', `${app.room.render(values)}${app.profiles}`);
      return { status: 'OK' };
    case 'playback':
      await channel.exec('Playback', app.prompt);
      return { status: 'OK' };
    case 'busy':
    case 'congestion':
      await channel.exec(
        app.kind === 'busy' ? 'Busy' : 'Congestion',
        app.timeout === undefined ? undefined : String(app.timeout),
      );
      return { status: 'OK' };
    case 'hangup':
      await channel.exec('Hangup', app.cause === undefined ? undefined : String(app.cause));
      return { status: 'OK' };
    case 'gosub':
      await channel.gosub(
        app.context,
        app.exten.render(values),
        app.priority,
        app.args.map((a) => a.render(values)).join(',') || undefined,
      );
      return { status: 'OK' };
    case 'custom':
      await channel.exec(app.app, app.args.render(values) || undefined);
      return { status: 'OK' };
  }
}

/** Runs an application; a hangup while it runs is returned (not thrown) for the caller to decide. */
async function execUntilHangup(
  channel: RouterChannel,
  app: string,
  options: string,
): Promise<Error | undefined> {
  try {
    await channel.exec(app, options);
    return undefined;
  } catch (err) {
    if (isHangupError(err)) return err as Error;
    throw err;
  }
}

/** Reads a variable after `hangup` (if any): when even that read fails, the hangup is what is thrown. */
async function readAfter(
  channel: RouterChannel,
  name: string,
  hangup: Error | undefined,
): Promise<string | undefined> {
  if (!hangup) return channel.getVariable(name);
  try {
    return await channel.getVariable(name);
  } catch {
    throw hangup;
  }
}
