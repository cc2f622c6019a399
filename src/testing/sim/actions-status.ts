/**
 * Read-only AMI actions answered from the simulator's state: CoreShowChannels, Status, BridgeList,
 * DeviceStateList, ExtensionStateList, CoreSettings, CoreStatus, Getvar/Setvar.
 */
import { error, header, type ListItem, list, reply, type SimModule } from './action-table.js';
import { setVar } from './channels.js';
import type { SimCore } from './core.js';
import { readVar } from './dialplan.js';
import { bridgePairs, channelPairs, hms, type Pairs } from './headers.js';
import type { SimChannel } from './state.js';

function secondsUp(core: SimCore, ch: SimChannel): number {
  return Math.floor((core.clock.now() - ch.createdAt) / 1000);
}

/** A `CoreShowChannel` item. */
export function coreShowChannel(core: SimCore, ch: SimChannel): ListItem {
  return {
    pairs: [
      ['Event', 'CoreShowChannel'],
      ...channelPairs(ch),
      ['Application', ch.app],
      ['ApplicationData', ch.appData],
      ['Duration', hms(secondsUp(core, ch))],
      ['BridgeId', ch.bridge ?? ''],
    ],
  };
}

function statusItem(core: SimCore, ch: SimChannel, vars: Pairs): ListItem {
  return {
    idLast: true,
    pairs: [
      ['Event', 'Status'],
      ['Privilege', 'Call'],
      ...channelPairs(ch),
      ['Type', ch.tech],
      ['DNID', ch.dnid],
      ['EffectiveConnectedLineNum', ch.connNum || '<unknown>'],
      ['EffectiveConnectedLineName', ch.connName || '<unknown>'],
      ['TimeToHangup', '0'],
      ['BridgeID', ch.bridge ?? ''],
      ['Application', ch.app],
      ['Data', ch.appData],
      ['Nativeformats', '(ulaw)'],
      ['Readformat', 'ulaw'],
      ['Readtrans', ''],
      ['Writeformat', 'ulaw'],
      ['Writetrans', ''],
      ['Callgroup', '0'],
      ['Pickupgroup', '0'],
      ['Seconds', String(secondsUp(core, ch))],
      ...vars,
    ],
  };
}

function formatDate(ms: number): [string, string] {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return [
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`,
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`,
  ];
}

/** The status actions. */
export const statusModule: SimModule = {
  name: 'status',
  actions: {
    CoreShowChannels: (core, a) =>
      list(
        a,
        'Channels will follow',
        [...core.state.channels.values()].map((c) => coreShowChannel(core, c)),
        'CoreShowChannelsComplete',
      ),
    Status: (core, a) => {
      const name = header(a, 'Channel');
      const wanted = (header(a, 'Variables') ?? '').split(',').filter(Boolean);
      const chans = name
        ? [core.state.channel(name)].filter((c): c is SimChannel => c !== undefined)
        : [...core.state.channels.values()];
      if (name && chans.length === 0) return error(a, 'No such channel');
      const items = chans.map((c) =>
        statusItem(
          core,
          c,
          wanted.map((v): [string, string] => ['Variable', `${v}=${readVar(core, c, v)}`]),
        ),
      );
      return list(a, 'Channel status will follow', items, 'StatusComplete', [
        ['Items', String(items.length)],
      ]);
    },
    BridgeList: (core, a) => {
      const type = header(a, 'BridgeType');
      const items = [...core.state.bridges.values()]
        .filter((b) => !type || b.type === type)
        .map((b) => ({ pairs: [['Event', 'BridgeListItem'], ...bridgePairs(b)] as Pairs }));
      return list(a, 'Bridge listing will follow', items, 'BridgeListComplete');
    },
    DeviceStateList: (core, a) => {
      const items = [...core.state.deviceStates].map(([d, s]) => ({
        pairs: [
          ['Event', 'DeviceStateChange'],
          ['Device', d],
          ['State', s],
        ] as Pairs,
      }));
      return list(a, 'Device State Changes will follow', items, 'DeviceStateListComplete');
    },
    ExtensionStateList: (_core, a) =>
      list(a, 'Extension Statuses will follow', [], 'ExtensionStateListComplete'),
    CoreSettings: (core, a) =>
      reply(a, [
        ['AMIversion', core.options.amiVersion],
        ['AsteriskVersion', core.options.version],
        ['SystemName', core.options.systemName],
        ['CoreMaxCalls', '0'],
        ['CoreMaxLoadAvg', '0.000000'],
        ['CoreRunUser', 'asterisk'],
        ['CoreRunGroup', 'asterisk'],
        ['CoreMaxFilehandles', '0'],
        ['CoreRealTimeEnabled', 'No'],
        ['CoreCDRenabled', 'Yes'],
        ['CoreHTTPenabled', 'Yes'],
        ['SoundsSearchCustomDir', 'No'],
      ]),
    CoreStatus: (core, a) => {
      const [sd, st] = formatDate(core.startedAt);
      const [rd, rt] = formatDate(core.lastReloadAt);
      const calls = new Set([...core.state.channels.values()].map((c) => c.linkedid)).size;
      return reply(a, [
        ['CoreStartupDate', sd],
        ['CoreStartupTime', st],
        ['CoreReloadDate', rd],
        ['CoreReloadTime', rt],
        ['CoreCurrentCalls', String(calls)],
        ['CoreProcessedCalls', String(core.state.processedCalls)],
      ]);
    },
    Getvar: (core, a) => {
      const v = header(a, 'Variable');
      if (!v) return error(a, 'No variable specified');
      const chName = header(a, 'Channel');
      const ch = chName ? core.state.channel(chName) : undefined;
      if (chName && !ch) return error(a, 'No such channel');
      return reply(a, [
        ['Variable', v],
        ['Value', readVar(core, ch, v)],
      ]);
    },
    Setvar: (core, a) => {
      const v = header(a, 'Variable');
      if (!v) return error(a, 'No variable specified');
      const chName = header(a, 'Channel');
      const value = a.get('Value') ?? '';
      if (chName) {
        const ch = core.state.channel(chName);
        if (!ch) return error(a, 'No such channel');
        setVar(core, ch, v, value);
      } else {
        core.state.globals.set(v, value);
        core.emit([
          ['Event', 'VarSet'],
          ['Privilege', 'dialplan,all'],
          ['Channel', 'none'],
          ['Uniqueid', 'none'],
          ['Variable', v],
          ['Value', value],
        ]);
      }
      return reply(a, [['Message', 'Variable Set']]);
    },
  },
};
