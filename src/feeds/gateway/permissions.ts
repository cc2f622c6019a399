/**
 * What a gateway client may do: the write classes each action needs (Asterisk's own registrations), the read
 * classes an event needs (its `Privilege`), the optional action allow-list and the `Command` prefixes.
 */
import type { AmiMessage } from '../../ami/index.js';
import type { GatewayUserConfig } from './config.js';

/**
 * Write classes Asterisk requires per action, from the `ast_manager_register*` calls of `main/manager.c` and the
 * modules (app_queue, res_agi, res_pjsip, chan_sip, res_monitor, app_mixmonitor…). Every listed class is needed
 * (Asterisk checks `(writeperm & authority) == authority`). An action not listed here is allowed only when the
 * user's `actions` list names it (we do not know what Asterisk would require, so we refuse by default).
 */
export const ACTION_CLASSES: Readonly<Record<string, readonly string[]>> = {
  // manager.c
  ping: [],
  events: [],
  logoff: [],
  login: [],
  challenge: [],
  listcommands: [],
  waitevent: [],
  hangup: ['system', 'call'],
  status: ['system', 'call', 'reporting'],
  setvar: ['call'],
  getvar: ['call', 'reporting'],
  getconfig: ['system', 'config'],
  getconfigjson: ['system', 'config'],
  updateconfig: ['config'],
  createconfig: ['config'],
  listcategories: ['config'],
  redirect: ['call'],
  atxfer: ['call'],
  blindtransfer: ['call'],
  originate: ['originate'],
  command: ['command'],
  extensionstate: ['call', 'reporting'],
  absolutetimeout: ['system', 'call'],
  mailboxstatus: ['call', 'reporting'],
  mailboxcount: ['call', 'reporting'],
  sendtext: ['call'],
  userevent: ['user'],
  coresettings: ['system', 'reporting'],
  corestatus: ['system', 'reporting'],
  reload: ['config', 'system'],
  coreshowchannels: ['system', 'reporting'],
  loggerrotate: ['system'],
  moduleload: ['system'],
  modulecheck: ['system'],
  filter: ['system'],
  playdtmf: ['call'],
  // app_queue.c
  queues: [],
  queuestatus: [],
  queuesummary: [],
  queueadd: ['agent'],
  queueremove: ['agent'],
  queuepause: ['agent'],
  queuepenalty: ['agent'],
  queuelog: ['agent'],
  // res_agi.c
  agi: ['agi'],
  // res_pjsip*, chan_sip.c
  pjsipshowendpoints: ['system'],
  pjsipshowendpoint: ['system'],
  pjsipshowcontacts: ['system'],
  pjsipshowregistrationsoutbound: ['system'],
  pjsipqualify: ['system', 'reporting'],
  sippeers: ['system', 'reporting'],
  sipshowpeer: ['system', 'reporting'],
  sipshowregistry: ['system', 'reporting'],
  // res_monitor.c, app_mixmonitor.c, main/bridge.c, res_parking
  monitor: ['call'],
  stopmonitor: ['call'],
  mixmonitor: ['system', 'call'],
  stopmixmonitor: ['system', 'call'],
  bridge: ['call'],
  park: ['call'],
  // main/db.c
  dbget: ['system', 'reporting'],
  dbput: ['system'],
  dbdel: ['system'],
  // main/manager_channels.c, devicestate, presencestate
  extensionstatelist: ['call', 'reporting'],
  devicestatelist: ['call', 'reporting'],
};

/** Classes that every name in `all` stands for (Asterisk's `perms[]`). */
const ALL = [
  'system',
  'call',
  'log',
  'verbose',
  'command',
  'agent',
  'user',
  'config',
  'dtmf',
  'reporting',
  'cdr',
  'dialplan',
  'originate',
  'agi',
  'cc',
  'aoc',
  'test',
  'security',
  'message',
];

/** A set of class names, `all` expanded. */
export function classSet(names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    const l = n.trim().toLowerCase();
    if (l === '') continue;
    if (l === 'all') for (const c of ALL) out.add(c);
    else out.add(l);
  }
  return out;
}

const TRUE = new Set(['on', 'yes', 'true', 'y', 't', '1']);
const FALSE = new Set(['off', 'no', 'false', 'n', 'f', '0']);

/** An `Events`/Login `Events` mask (`on`, `off`, `call,system`) as a class set; `on` (and absent) = every class. */
export function parseMask(mask: string | undefined): Set<string> {
  if (mask === undefined) return classSet(['all']);
  const m = mask.trim().toLowerCase();
  if (TRUE.has(m)) return classSet(['all']);
  if (FALSE.has(m) || m === '') return new Set();
  return classSet(m.split(','));
}

/** Whether an event may go to a client with these read classes and this mask (every class must be held). */
export function mayRead(m: AmiMessage, read: ReadonlySet<string>, mask: ReadonlySet<string>): boolean {
  if (mask.size === 0) return false;
  const priv = m.get('Privilege');
  if (priv === undefined) return true;
  for (const raw of priv.split(',')) {
    const c = raw.trim().toLowerCase();
    if (c === '' || c === 'all') continue;
    if (!read.has(c) || !mask.has(c)) return false;
  }
  return true;
}

/** A user's rights, compiled once. */
export interface GatewayRights {
  readonly read: ReadonlySet<string>;
  readonly write: ReadonlySet<string>;
  readonly actions: ReadonlySet<string> | undefined;
  readonly commands: readonly string[];
}

/** Compiles a user's read/write classes, allow-list and command prefixes. */
export function compileRights(u: GatewayUserConfig): GatewayRights {
  return {
    read: classSet(u.read),
    write: classSet(u.write),
    actions: u.actions === undefined ? undefined : new Set(u.actions.map((a) => a.toLowerCase())),
    commands: (u.commands ?? []).map((c) => c.trim().replace(/\s+/g, ' ').toLowerCase()),
  };
}

/**
 * Whether the client may send this action. Ping/Events/Logoff/Challenge/Login are always allowed (Asterisk
 * requires no class for them); every other action needs its classes, must be on the allow-list when there is
 * one, and `Command` needs a matching prefix (whole words: `core show` allows `core show channels`, not
 * `core shownothing`).
 */
export function mayWrite(rights: GatewayRights, action: string, m: AmiMessage): boolean {
  const name = action.toLowerCase();
  if (name === 'ping' || name === 'events' || name === 'logoff' || name === 'challenge' || name === 'login')
    return true;
  if (rights.actions !== undefined && !rights.actions.has(name)) return false;
  const need = ACTION_CLASSES[name];
  if (need === undefined) {
    if (rights.actions === undefined) return false;
  } else {
    for (const c of need) if (!rights.write.has(c)) return false;
  }
  if (name === 'command') {
    const cmd = (m.get('Command') ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
    if (cmd === '') return false;
    return rights.commands.some((p) => cmd === p || cmd.startsWith(`${p} `));
  }
  return true;
}
