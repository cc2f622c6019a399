/**
 * Configuration actions of the simulated PBX (GetConfig, GetConfigJSON, ListCategories, CreateConfig,
 * UpdateConfig) on the in-memory files, and `Reload`, which applies them the way each module does.
 */
import type { AmiMessage } from '../../ami/index.js';
import { error, header, reply, type SimModule } from './action-table.js';
import { type ConfUpdateStep, SimConfigError } from './config-store.js';
import type { SimCore } from './core.js';
import { reloadDialplan } from './dialplan.js';
import { event } from './headers.js';
import { loadQueues } from './queues.js';
import { applyPjsip, register } from './registrar.js';

/** Modules `Reload` knows, with the description Asterisk logs. */
export const RELOADABLE: Readonly<Record<string, string>> = {
  'res_pjsip.so': 'Basic SIP resource',
  'res_pjsip_config_wizard.so': 'PJSIP Config Wizard',
  'pbx_config.so': 'Text Extension Configuration',
  'app_queue.so': 'True Call Queueing',
  'chan_pjsip.so': 'PJSIP Channel Driver',
  'app_confbridge.so': 'Conference Bridge Application',
  'res_agi.so': 'Asterisk Gateway Interface (AGI)',
  'cdr_manager.so': 'Asterisk Manager Interface CDR Backend',
  manager: 'Asterisk Manager Interface',
};

const ALL = ['res_pjsip.so', 'res_pjsip_config_wizard.so', 'pbx_config.so', 'app_queue.so'];

/** Applies one module's configuration, sends `Event: Reload`; returns false for an unknown module. */
export function reloadModule(core: SimCore, module: string): boolean {
  const mod = module.endsWith('.so') || module === 'manager' ? module : `${module}.so`;
  const desc = RELOADABLE[mod];
  if (!desc) return false;
  core.log.verbose(undefined, 'loader.c', `Reloading module '${mod}' (${desc})`);
  if (mod === 'res_pjsip.so' || mod === 'res_pjsip_config_wizard.so') {
    core.log.notice(undefined, 'sorcery.c', "Type 'system' is not reloadable, maintaining previous values");
    if (mod === 'res_pjsip_config_wizard.so' && !core.config.has('pjsip_wizard.conf'))
      core.log.error(undefined, 'config_options.c', "Unable to load config file 'pjsip_wizard.conf'");
    const added = applyPjsip(core, mod);
    if (core.options.autoRegisterProvisioned && mod === 'res_pjsip_config_wizard.so')
      for (const name of added)
        core.clock.after(1000, () => {
          if (core.state.endpoints.has(name) && !core.state.endpoints.get(name)?.contact)
            register(core, name);
        });
  } else if (mod === 'pbx_config.so') reloadDialplan(core);
  else if (mod === 'app_queue.so') loadQueues(core);
  core.lastReloadAt = core.clock.now();
  // The work is done before the action's response; the event follows it, as on the wire.
  core.clock.after(0, () =>
    core.emit(
      event('Reload', 'system,all', [
        ['Module', mod],
        ['Status', '0'],
      ]),
    ),
  );
  return true;
}

function guard(a: AmiMessage, fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SimConfigError) return error(a, e.message);
    throw e;
  }
}

function steps(a: AmiMessage): ConfUpdateStep[] {
  const out: ConfUpdateStep[] = [];
  for (let i = 0; i < 100000; i++) {
    const n = String(i).padStart(6, '0');
    const action = a.get(`Action-${n}`);
    if (action === undefined) break;
    const s: ConfUpdateStep = { action, cat: a.get(`Cat-${n}`) ?? '' };
    const v = a.get(`Var-${n}`);
    const val = a.get(`Value-${n}`);
    const match = a.get(`Match-${n}`);
    const line = a.get(`Line-${n}`);
    if (v !== undefined) s.var = v;
    if (val !== undefined) s.value = val;
    if (match !== undefined) s.match = match;
    if (line !== undefined) s.line = line;
    out.push(s);
  }
  return out;
}

/** The configuration actions. */
export const configModule: SimModule = {
  name: 'config',
  actions: {
    GetConfig: (core, a) =>
      guard(a, () => {
        const file = header(a, 'Filename');
        if (!file) return error(a, 'Filename not specified');
        return reply(a, core.config.getConfig(file, header(a, 'Category'), header(a, 'Filter')));
      }),
    GetConfigJSON: (core, a) =>
      guard(a, () => {
        const file = header(a, 'Filename');
        if (!file) return error(a, 'Filename not specified');
        return reply(a, [['JSON', core.config.getConfigJson(file, header(a, 'Category'))]]);
      }),
    ListCategories: (core, a) =>
      guard(a, () => {
        const file = header(a, 'Filename');
        if (!file) return error(a, 'Filename not specified');
        const cats = core.config.listCategories(file);
        if (cats.length === 0) return reply(a, [['Error', 'no categories found']]);
        return reply(
          a,
          cats.map((c, i): [string, string] => [`Category-${String(i).padStart(6, '0')}`, c]),
        );
      }),
    CreateConfig: (core, a) =>
      guard(a, () => {
        const file = header(a, 'Filename');
        if (!file) return error(a, 'Filename not specified');
        core.config.create(file);
        return reply(a, [['Message', 'New configuration file created successfully']]);
      }),
    UpdateConfig: (core, a) =>
      guard(a, () => {
        const src = header(a, 'SrcFilename');
        const dst = header(a, 'DstFilename');
        if (!src || !dst) return error(a, 'Filename not specified');
        core.config.update(src, dst, steps(a));
        const rl = header(a, 'Reload');
        if (rl && !/^(no|false|0)$/i.test(rl)) {
          const mod = /^(yes|true|1)$/i.test(rl) ? undefined : rl;
          if (mod) reloadModule(core, mod);
          else for (const m of ALL) reloadModule(core, m);
        }
        return reply(a);
      }),
    Reload: (core, a) => {
      const mod = header(a, 'Module');
      if (mod && !RELOADABLE[mod.endsWith('.so') || mod === 'manager' ? mod : `${mod}.so`])
        return error(a, 'No such module');
      if (mod) reloadModule(core, mod);
      else for (const m of ALL) reloadModule(core, m);
      return reply(a, [['Message', 'Module Reloaded']]);
    },
  },
};
