/**
 * The action table of the simulated PBX: one small named handler per AMI action, grouped in modules
 * (`SimModule`). A module can also install state at start — this is the extension point for later emulations
 * (PJSIP outbound registrations, DAHDI spans with alarms): add a file exporting a `SimModule` and pass it in
 * `SimulatedPbxOptions.modules`.
 */
import { type AmiMessage, serializePacket } from '../../ami/index.js';
import type { FakeAmiSession } from '../ami-fake-session.js';
import { renderResponse } from '../ami-reply.js';
import type { SimCore } from './core.js';
import type { Pairs } from './headers.js';

/** What a handler answers: the exact bytes to write (response, or a whole event list). */
export type SimReply = string;

/** One AMI action handler. */
export type SimActionHandler = (
  core: SimCore,
  action: AmiMessage,
  session: FakeAmiSession,
) => SimReply | Promise<SimReply>;

/** A group of actions (and optional set-up) plugged into the simulator. */
export interface SimModule {
  /** Module name (for `ListCommands` and errors). */
  name: string;
  /** Handlers by action name (case-insensitive). */
  actions: Readonly<Record<string, SimActionHandler>>;
  /** Called once when the PBX starts. */
  install?: (core: SimCore) => void;
  /**
   * Whether the module's actions exist now (default always): a module that declined to load (res_pjsip_notify
   * without its file) registers no actions, so they answer `Invalid/unknown command` and `ListCommands` omits them.
   */
  loaded?: (core: SimCore) => boolean;
}

/** A response (`Response: Success` by default), ActionID second. */
export function reply(action: AmiMessage, pairs: Pairs = [], response = 'Success'): SimReply {
  return renderResponse([['Response', response], ...pairs], action.get('ActionID') || undefined);
}

/** `Response: Error` with Asterisk's message. */
export function error(action: AmiMessage, message: string): SimReply {
  return reply(action, [['Message', message]], 'Error');
}

/** One item of a list: its headers, and where Asterisk puts the ActionID (second, or last like `Status`). */
export interface ListItem {
  pairs: Pairs;
  idLast?: boolean;
}

/** An event list: `EventList: start` response, items carrying the ActionID, then `<X>Complete`. */
export function list(
  action: AmiMessage,
  message: string,
  items: readonly ListItem[],
  complete: string,
  extra: Pairs = [],
): SimReply {
  const id = action.get('ActionID') || undefined;
  const idp: Pairs = id ? [['ActionID', id]] : [];
  let out = renderResponse(
    [
      ['Response', 'Success'],
      ['EventList', 'start'],
      ['Message', message],
    ],
    id,
  );
  for (const it of items) {
    const [first, ...rest] = it.pairs;
    const body: Pairs = it.idLast ? [...it.pairs, ...idp] : [...(first ? [first] : []), ...idp, ...rest];
    out += serializePacket(body);
  }
  out += serializePacket([
    ['Event', complete],
    ...idp,
    ['EventList', 'Complete'],
    ['ListItems', String(items.length)],
    ...extra,
  ]);
  return out;
}

/** A required header, or undefined. */
export function header(action: AmiMessage, name: string): string | undefined {
  const v = action.get(name);
  return v === undefined || v === '' ? undefined : v;
}
