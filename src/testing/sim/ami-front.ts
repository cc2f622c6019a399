/**
 * The AMI front of the simulated PBX: the action table built from the modules (each handler wrapped so a
 * failure answers `Response: Error` and is reported), `ListCommands`, and what a login does (`SuccessfulAuth`,
 * the manager.c log lines).
 */
import type { AmiMessage } from '../../ami/index.js';
import type { FakeAmiSession } from '../ami-fake-session.js';
import type { FakeAmiHandler } from '../ami-server.js';
import { error, type SimModule } from './action-table.js';
import type { SimCore } from './core.js';
import { eventTv } from './headers.js';

/** FakeAmiServer handlers for every action of the modules, plus `ListCommands`. */
export function amiHandlers(
  core: SimCore,
  modules: readonly SimModule[],
  onError: (e: Error) => void,
): Record<string, FakeAmiHandler> {
  const table = new Map<string, { h: SimModule['actions'][string]; m: SimModule }>();
  for (const m of modules)
    for (const [k, h] of Object.entries(m.actions)) table.set(k.toLowerCase(), { h, m });
  const isLoaded = (m: SimModule) => m.loaded?.(core) ?? true;
  const names = () =>
    [
      ...new Set([
        ...modules.filter(isLoaded).flatMap((m) => Object.keys(m.actions)),
        'Login',
        'Logoff',
        'Challenge',
        'Ping',
        'Events',
        'Filter',
        'ListCommands',
      ]),
    ].sort();
  const handlers: Record<string, FakeAmiHandler> = {};
  for (const [name, { h, m }] of table) {
    handlers[name] = async (a: AmiMessage, s: FakeAmiSession) => {
      if (!isLoaded(m)) return { raw: error(a, unknownCommand(a.get('Action') ?? name)) };
      try {
        return { raw: await h(core, a, s) };
      } catch (e) {
        onError(e as Error);
        return { raw: error(a, 'Internal error') };
      }
    };
  }
  handlers.listcommands = async (a) => ({
    raw: `Response: Success\r\n${a.get('ActionID') ? `ActionID: ${a.get('ActionID')}\r\n` : ''}${names()
      .map((n) => `${n}: ${n}\r\n`)
      .join('')}\r\n`,
  });
  return handlers;
}

/** manager.c's answer to an action no loaded module registered. */
function unknownCommand(action: string): string {
  return `Invalid/unknown command: ${action}. Use Action: ListCommands to show available commands.`;
}

/** What a manager login does on a real Asterisk besides answering: the security event and the log lines. */
export function onManagerLogin(core: SimCore, host: string, port: () => number, sessions: () => number) {
  return (session: FakeAmiSession, ok: boolean, user: string): void => {
    const log = core.log;
    const remote = `${session.socket.remoteAddress ?? '127.0.0.1'}`.replace(/^::ffff:/, '');
    if (!ok) {
      log.notice(undefined, 'manager.c', `${remote} failed to authenticate as '${user}'`);
      return;
    }
    log.verbose(undefined, 'manager.c', `Manager '${user}' logged on from ${remote}`);
    const tv = eventTv(core.clock.now());
    core.emit([
      ['Event', 'SuccessfulAuth'],
      ['Privilege', 'security,all'],
      ['EventTV', tv],
      ['Severity', 'Informational'],
      ['Service', 'AMI'],
      ['EventVersion', '1'],
      ['AccountID', user],
      ['SessionID', `0x${(0x7fb1c0000000 + sessions() * 0x1000).toString(16)}`],
      ['LocalAddress', `IPV4/TCP/${host}/${port()}`],
      ['RemoteAddress', `IPV4/TCP/${remote}/${session.socket.remotePort ?? 0}`],
      ['UsingPassword', '0'],
      ['SessionTV', tv],
    ]);
    void session.closed.then(() =>
      log.verbose(undefined, 'manager.c', `Manager '${user}' logged off from ${remote}`),
    );
  };
}
