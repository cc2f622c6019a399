/**
 * `Command` for the CLI commands tools usually send (`core show channels|version|uptime`, `pjsip show
 * endpoints|contacts`, `sip show peers`, `dialplan reload`, `module reload`), in the CLI's output format; any
 * other command gets Asterisk's `No such command` error.
 */
import type { AmiMessage } from '../../ami/index.js';
import { error, header, reply, type SimModule } from './action-table.js';
import { reloadModule } from './actions-config.js';
import { endpointDeviceState } from './channels.js';
import type { SimCore } from './core.js';

function out(a: AmiMessage, lines: string[], response = 'Success'): string {
  return reply(
    a,
    [['Message', 'Command output follows'], ...lines.map((l): [string, string] => ['Output', l])],
    response,
  );
}

const pad = (s: string, n: number) => s.slice(0, n).padEnd(n, ' ');

function uptime(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [n, w] of units) {
    const v = Math.floor(s / n);
    s -= v * n;
    if (v > 0 || (n === 1 && parts.length === 0)) parts.push(`${v} ${w}${v === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

function coreShowChannels(core: SimCore): string[] {
  const lines = [
    `${pad('Channel', 64)} ${pad('Location', 32)} ${pad('State', 7)} ${pad('Application(Data)', 30)}`,
  ];
  const chans = [...core.state.channels.values()];
  for (const c of chans) {
    const state =
      ['Down', 'Rsrvd', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up', 'Busy'][c.state] ?? 'Unknown';
    lines.push(
      `${pad(c.name, 64)} ${pad(`${c.exten}@${c.context}:${c.priority}`, 32)} ${pad(state, 7)} ${pad(`${c.app}(${c.appData})`, 30)}`,
    );
  }
  const calls = new Set(chans.map((c) => c.linkedid)).size;
  lines.push(`${chans.length} active channel${chans.length === 1 ? '' : 's'}`);
  lines.push(`${calls} active call${calls === 1 ? '' : 's'}`);
  lines.push(`${core.state.processedCalls} call${core.state.processedCalls === 1 ? '' : 's'} processed`);
  return lines;
}

function pjsipEndpoints(core: SimCore): string[] {
  const lines = [
    '',
    ' Endpoint:  <Endpoint/CID.....................................>  <State.....>  <Channels.>',
    '    I/OAuth:  <AuthId/UserName...........................................................>',
    '        Aor:  <Aor............................................>  <MaxContact>',
    '      Contact:  <Aor/ContactUri..........................> <Hash....> <Status> <RTT(ms)..>',
    '  Transport:  <TransportId........>  <Type>  <cos>  <tos>  <BindAddress..................>',
    '   Identify:  <Identify/Endpoint.........................................................>',
    '        Match:  <criteria.........................>',
    '    Channel:  <ChannelId......................................>  <State.....>  <Time.....>',
    '        Exten: <DialedExten...........>  CLCID: <ConnectedLineCID.......>',
    '==========================================================================================',
    '',
  ];
  const eps = [...core.state.endpoints.values()].sort((x, y) => x.name.localeCompare(y.name));
  const words: Record<string, string> = {
    NOT_INUSE: 'Not in use',
    INUSE: 'In use',
    RINGING: 'Ringing',
    UNAVAILABLE: 'Unavailable',
    ONHOLD: 'On Hold',
  };
  for (const ep of eps) {
    const n = core.state.channelsOf(ep.name).length;
    const cid = ep.callerId ? `${ep.name}/${ep.callerId}` : ep.name;
    lines.push(
      ` Endpoint:  ${pad(cid, 53)}  ${pad(words[endpointDeviceState(core, ep.name)] ?? 'Unknown', 12)}  ${n} of inf`,
    );
    if (ep.auth) lines.push(`     InAuth:  ${ep.auth}/${ep.username}`);
    lines.push(`        Aor:  ${pad(ep.aor, 49)}  1`);
    if (ep.contact)
      lines.push(
        `      Contact:  ${pad(`${ep.aor}/${ep.contact.uri}`, 40)} ${ep.contact.callId.slice(0, 10)} NonQual         nan`,
      );
    if (ep.transport) lines.push(`  Transport:  ${pad(ep.transport, 21)}  udp      0      0  127.0.0.1:5060`);
    lines.push('');
  }
  lines.push(`Objects found: ${eps.length}`);
  lines.push('');
  return lines;
}

/** The Command action. */
export const commandModule: SimModule = {
  name: 'command',
  actions: {
    Command: (core, a) => {
      const cmd = (header(a, 'Command') ?? '').trim().replace(/\s+/g, ' ');
      if (!cmd) return error(a, 'No command provided');
      const lc = cmd.toLowerCase();
      if (lc === 'core show channels') return out(a, coreShowChannels(core));
      if (lc === 'core show version')
        return out(a, [
          `Asterisk ${core.options.version} built by root @ vm on a x86_64 running Linux on 2026-11-22 09:26:13 UTC`,
        ]);
      if (lc === 'core show uptime')
        return out(a, [
          `System uptime: ${uptime(core.clock.now() - core.startedAt)}`,
          `Last reload: ${uptime(core.clock.now() - core.lastReloadAt)}`,
        ]);
      if (lc === 'pjsip show endpoints') return out(a, pjsipEndpoints(core));
      if (lc === 'sip show peers')
        return out(
          a,
          ["No such command 'sip show peers' (type 'core show help sip show' for other possible commands)"],
          'Error',
        );
      if (lc === 'dialplan reload') {
        reloadModule(core, 'pbx_config.so');
        return out(a, ['Dialplan reloaded.']);
      }
      const mr = /^module reload (\S+)$/.exec(lc);
      if (mr) {
        const ok = reloadModule(core, mr[1] ?? '');
        return out(a, [
          ok ? `Module '${mr[1]}' reloaded successfully.` : `The module '${mr[1]}' does not exist.`,
        ]);
      }
      const words = cmd.split(' ');
      return out(
        a,
        [
          `No such command '${cmd}' (type 'core show help ${words.slice(0, 2).join(' ')}' for other possible commands)`,
        ],
        'Error',
      );
    },
  },
};
