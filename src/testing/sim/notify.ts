/**
 * `PJSIPNotify` (res_pjsip_notify.c `manager_notify`) and `ModuleLoad` (manager.c `manager_moduleload`) on the
 * simulated PBX. res_pjsip_notify declines to load without `pjsip_notify.conf`, as on a real Asterisk: `PJSIPNotify`
 * is then an unknown action and `ListCommands` omits it, until the file exists and `ModuleLoad` (`LoadType: load`,
 * `Module: res_pjsip_notify.so`) loads the module. With it, a NOTIFY to an endpoint answers `NOTIFY sent` and goes to
 * every registered contact — Asterisk reports nothing of what the phone answers; the simulator calls `onNotify`
 * instead, so a test can play the phone (e.g. fetch its provisioning file).
 */
import { error, header, reply, type SimModule } from './action-table.js';
import { reloadModule } from './actions-config.js';
import type { SimCore } from './core.js';

/** One NOTIFY sent to a phone's contact. */
export interface SimNotify {
  /** The endpoint (phone) it went to. */
  endpoint: string;
  /** The contact URI. */
  contact: string;
  /** The phone's User-Agent at registration, if known. */
  userAgent?: string;
  /** The NOTIFY's headers (`Event`, `Content-Length`…), from `Variable`s or the `pjsip_notify.conf` option. */
  headers: Array<[string, string]>;
}

/** What the simulator does with a NOTIFY (a test plays the phone). */
export type SimNotifyHook = (notify: SimNotify) => void;

const NOTIFY_MODULE = 'res_pjsip_notify.so';
/** Modules the simulator always has loaded (for `ModuleCheck`). */
const ALWAYS_LOADED = [
  'res_pjsip.so',
  'chan_pjsip.so',
  'res_pjsip_config_wizard.so',
  'res_pjsip_outbound_registration.so',
  'pbx_config.so',
  'app_queue.so',
  'app_confbridge.so',
  'res_agi.so',
];
const loadedBy = new WeakMap<SimCore, boolean>();

function isLoaded(core: SimCore): boolean {
  return loadedBy.get(core) ?? false;
}

/** The headers of a `pjsip_notify.conf` section, or undefined when there is no such section. */
function optionHeaders(core: SimCore, option: string): Array<[string, string]> | undefined {
  const cat = core.config.get('pjsip_notify.conf')?.find((c) => c.name === option);
  return cat?.lines.map((l): [string, string] => [l.key, l.value]);
}

/** `Variable: Name=value` headers (repeated, or comma-separated as the manager splits them). */
function variableHeaders(values: readonly string[]): Array<[string, string]> {
  return values
    .flatMap((v) => v.split(','))
    .map((v): [string, string] => {
      const eq = v.indexOf('=');
      return eq < 0 ? [v.trim(), ''] : [v.slice(0, eq).trim(), v.slice(eq + 1)];
    });
}

/** `PJSIPNotify`, present only while res_pjsip_notify is loaded. */
export function notifyModule(onNotify?: SimNotifyHook): SimModule {
  return {
    name: 'res_pjsip_notify',
    install: (core) => {
      const ok = core.config.has('pjsip_notify.conf');
      loadedBy.set(core, ok);
      if (!ok) {
        core.log.error(undefined, 'res_pjsip_notify.c', "Unable to load config file 'pjsip_notify.conf'");
        core.log.warning(undefined, 'loader.c', `Module '${NOTIFY_MODULE}' could not be loaded.`);
      }
    },
    loaded: isLoaded,
    actions: {
      PJSIPNotify: (core, a) => {
        const endpoint = header(a, 'Endpoint');
        const uri = header(a, 'URI');
        const channel = header(a, 'Channel');
        const targets = [endpoint, uri, channel].filter((x) => x !== undefined).length;
        if (targets > 1)
          return error(
            a,
            "PJSIPNotify action can not handle a request specifying more than one of 'Endpoint', 'Channel', or 'URI'",
          );
        if (targets === 0)
          return error(a, 'PJSIPNotify requires either an endpoint name, a SIP URI, or a channel.');
        const option = header(a, 'Option');
        const vars = a.getAll('Variable').filter((v) => v !== '');
        if (option && vars.length > 0)
          return error(
            a,
            "PJSIPNotify action can not handle a request specifying both 'Option' and 'Variable'.",
          );
        if (!option && vars.length === 0)
          return error(a, 'PJSIPNotify requires either an Option or Variable(s).');
        let headers: Array<[string, string]>;
        if (option) {
          const h = optionHeaders(core, option);
          // res_pjsip_notify ends this message with a newline; the simulator leaves it out of the header.
          if (!h) return error(a, `Unable to find notify type '${option}'`);
          headers = h;
        } else headers = variableHeaders(vars);
        if (endpoint !== undefined) {
          const ep = core.state.endpoints.get(endpoint);
          if (!ep) return error(a, `Unable to retrieve endpoint ${endpoint}`);
          if (ep.contact && onNotify) {
            const n: SimNotify = { endpoint, contact: ep.contact.uri, headers };
            if (ep.contact.userAgent) n.userAgent = ep.contact.userAgent;
            core.clock.after(0, () => onNotify(n));
          }
        } else if (channel !== undefined && !core.state.channel(channel))
          return error(a, `Unable to find channel ${channel}`);
        return reply(a, [['Message', 'NOTIFY sent']]);
      },
    },
  };
}

/** manager.c's `ModuleLoad` (a module of its own: it exists whether res_pjsip_notify loaded or not). */
export const moduleLoadModule: SimModule = {
  name: 'manager',
  actions: {
    // manager.c manager_modulecheck: `Module not loaded`, or Success with the empty `Version:` kept since git.
    ModuleCheck: (core, a) => {
      const mod = header(a, 'Module') ?? '';
      const name = mod.endsWith('.so') ? mod : `${mod}.so`;
      const loaded = name === NOTIFY_MODULE ? isLoaded(core) : ALWAYS_LOADED.includes(name);
      if (!loaded) return error(a, 'Module not loaded');
      return reply(a, [['Version', '']]);
    },
    ModuleLoad: (core, a) => {
      const type = header(a, 'LoadType')?.toLowerCase();
      const mod = header(a, 'Module');
      if (!type) return error(a, 'Incomplete ModuleLoad action.');
      if (type === 'load' || type === 'unload') {
        if (!mod) return error(a, 'Need module name');
        const name = mod.endsWith('.so') ? mod : `${mod}.so`;
        if (name !== NOTIFY_MODULE)
          // Only res_pjsip_notify can come and go here; every other module is loaded and stays.
          return error(a, type === 'load' ? 'Could not load module.' : 'Could not unload module.');
        if (type === 'unload') {
          if (!isLoaded(core)) return error(a, 'Could not unload module.');
          loadedBy.set(core, false);
          return reply(a, [['Message', 'Module unloaded.']]);
        }
        if (isLoaded(core) || !core.config.has('pjsip_notify.conf')) {
          if (!isLoaded(core))
            core.log.error(undefined, 'res_pjsip_notify.c', "Unable to load config file 'pjsip_notify.conf'");
          return error(a, 'Could not load module.');
        }
        loadedBy.set(core, true);
        core.log.verbose(undefined, 'loader.c', `Loaded ${NOTIFY_MODULE} => (CLI/AMI/PJSIP NOTIFY Support)`);
        return reply(a, [['Message', 'Module loaded.']]);
      }
      if (type === 'reload') {
        if (mod && (mod === NOTIFY_MODULE || mod === 'res_pjsip_notify')) {
          if (!isLoaded(core)) return error(a, 'Module is not yet loaded');
          return reply(a, [['Message', 'Module reloaded.']]);
        }
        if (mod && !reloadModule(core, mod)) return error(a, 'No such module.');
        return reply(a, [['Message', 'Module reloaded.']]);
      }
      return error(a, 'Incomplete ModuleLoad action.');
    },
  },
};
