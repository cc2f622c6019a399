/**
 * Call-control actions of the simulated PBX: Originate (Context/Exten/Priority or Application/Data, sync or
 * `Async: true` with `OriginateResponse`), Hangup (name or `/regex/`), Redirect (with ExtraChannel),
 * BlindTransfer, PlayDTMF and AGI (AsyncAGI commands).
 */
import type { AmiMessage } from '../../ami/index.js';
import { error, header, type ListItem, list, reply, type SimModule } from './action-table.js';
import { queueAgiCommand } from './asyncagi.js';
import { destroyBridge, leaveBridge } from './bridges.js';
import { destroyChannel, requestHangup, softHangup } from './channels.js';
import type { SimCore } from './core.js';
import { dial } from './dial.js';
import { currentPlan, dialplanApps, findExten, runDialplan, splitTop } from './dialplan.js';
import { sendDtmf } from './dtmf.js';
import { bridgePairs, channelPairs, event, type Pairs } from './headers.js';
import type { SimChannel } from './state.js';

/** Parses `"Name" <num>`, `Name <num>` or `num`. */
export function parseCallerId(text: string | undefined): { num: string; name: string } {
  if (!text) return { num: '', name: '' };
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: (m[1] ?? m[2] ?? '').trim(), num: (m[3] ?? '').trim() };
  return { num: text.trim(), name: '' };
}

/** Moves a channel to a dialplan location: a dialplan-running channel jumps, a dialled one starts running. */
export function sendTo(
  core: SimCore,
  ch: SimChannel,
  context: string,
  exten: string,
  priority: number,
): void {
  const target = { context, exten, priority };
  if (ch.bridge) leaveBridge(core, ch);
  if (ch.role === 'caller') {
    ch.redirect = target;
    ch.kick?.abort();
    return;
  }
  ch.role = 'caller';
  ch.context = context;
  ch.exten = exten;
  ch.priority = priority;
  ch.cdr.dst = exten;
  ch.cdr.dcontext = context;
  core.spawn(runDialplan(core, ch));
}

function originateFailure(
  core: SimCore,
  a: AmiMessage,
  channel: string,
  cid: { num: string; name: string },
  reason: number,
): void {
  core.emit(originateResponse(a, 'Failure', channel, '<unknown>', cid, reason));
}

function originateResponse(
  a: AmiMessage,
  result: string,
  channel: string,
  uniqueid: string,
  cid: { num: string; name: string },
  reason: number,
): Pairs {
  const app = header(a, 'Application');
  const target: Pairs = app
    ? [
        ['Application', app],
        ['Data', a.get('Data') ?? ''],
      ]
    : [
        ['Context', a.get('Context') ?? ''],
        ['Exten', a.get('Exten') ?? ''],
      ];
  return [
    ['Event', 'OriginateResponse'],
    ['Privilege', 'call,all'],
    ...(a.get('ActionID') ? ([['ActionID', a.get('ActionID') ?? '']] as Pairs) : []),
    ['Response', result],
    ['Channel', channel],
    ...target,
    ['Reason', String(reason)],
    ['Uniqueid', uniqueid],
    ['CallerIDNum', cid.num || '<unknown>'],
    ['CallerIDName', cid.name || '<unknown>'],
  ];
}

const REASON: Readonly<Record<string, number>> = {
  BUSY: 5,
  NOANSWER: 3,
  CONGESTION: 8,
  CHANUNAVAIL: 0,
  CANCEL: 0,
};

async function originate(core: SimCore, a: AmiMessage): Promise<string> {
  const channel = header(a, 'Channel');
  if (!channel) return error(a, 'Channel not specified');
  const app = header(a, 'Application');
  const context = a.get('Context') ?? 'default';
  const exten = a.get('Exten') ?? 's';
  const priority = Number(a.get('Priority') ?? 1) || 1;
  if (!app && !header(a, 'Exten')) return error(a, 'Exten not specified');
  const async = /^(true|yes|1)$/i.test(a.get('Async') ?? '');
  const cid = parseCallerId(a.get('CallerID'));
  const timeout = Math.max(1, Math.round((Number(a.get('Timeout')) || 30000) / 1000));
  const known =
    /^(PJSIP|Local)\//.test(channel) &&
    (app ? true : findExten(currentPlan(core), context, exten) !== undefined);
  const variables = a.getAll('Variable');
  const run = async (): Promise<{ ok: boolean; ch?: SimChannel; reason: number }> => {
    if (!known) return { ok: false, reason: 0 };
    const linkedid = core.state.uniqueid();
    const vars = variables
      .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] as const)
      .filter(([k]) => k !== '');
    const res = await dial(core, undefined, channel, linkedid, {
      timeout,
      data: '',
      bridge: false,
      cid,
      vars,
    });
    if (res.status !== 'ANSWER' || !res.answered) return { ok: false, reason: REASON[res.status] ?? 0 };
    return { ok: true, ch: res.answered, reason: 4 };
  };
  const start = (ch: SimChannel) => {
    ch.role = 'caller';
    if (app) {
      core.spawn(
        (async () => {
          const fn = dialplanApps.get(app.toLowerCase());
          ch.app = app;
          ch.appData = a.get('Data') ?? '';
          ch.cdr.lastApp = app;
          ch.cdr.lastData = ch.appData;
          if (fn) await fn(core, ch, splitTop(ch.appData), ch.appData);
          if (core.state.channels.has(ch.name)) {
            if (!ch.gone.aborted) softHangup(core, ch, 16);
            destroyChannel(core, ch, ch.hangupCause ?? 16);
          }
        })(),
      );
    } else {
      ch.context = context;
      ch.exten = exten;
      ch.priority = priority;
      ch.cdr.dst = exten;
      ch.cdr.dcontext = context;
      core.spawn(runDialplan(core, ch));
    }
  };
  if (async || (known && channel.startsWith('Local/'))) {
    // Async: the response first, the call after it. A sync Originate of a Local channel answers as soon as the
    // `;2` half answers, before the call's first event reaches AMI (as recorded); other sync ones wait below.
    core.clock.after(0, () =>
      core.spawn(
        (async () => {
          const r = await run();
          if (r.ok && r.ch) {
            if (async) core.emit(originateResponse(a, 'Success', r.ch.name, r.ch.uniqueid, cid, 4));
            start(r.ch);
          } else if (async) originateFailure(core, a, channel, cid, r.reason);
        })(),
      ),
    );
    return reply(a, [['Message', 'Originate successfully queued']]);
  }
  const r = await run();
  if (!r.ok || !r.ch) return error(a, 'Originate failed');
  const ch = r.ch;
  core.clock.after(0, () => start(ch));
  return reply(a, [['Message', 'Originate successfully queued']]);
}

function matching(core: SimCore, spec: string): SimChannel[] {
  if (spec.length > 2 && spec.startsWith('/') && spec.endsWith('/')) {
    let re: RegExp;
    try {
      re = new RegExp(spec.slice(1, -1));
    } catch {
      return [];
    }
    return [...core.state.channels.values()].filter((c) => re.test(c.name));
  }
  const ch = core.state.channel(spec);
  return ch ? [ch] : [];
}

/** The call-control actions. */
export const callsModule: SimModule = {
  name: 'calls',
  actions: {
    Originate: (core, a) => originate(core, a),
    Hangup: (core, a) => {
      const spec = header(a, 'Channel');
      if (!spec) return error(a, 'No channel specified');
      const cause = Number(a.get('Cause')) || 16;
      const chans = matching(core, spec);
      const isRegex = spec.startsWith('/') && spec.endsWith('/') && spec.length > 2;
      core.clock.after(0, () => {
        for (const c of chans) requestHangup(core, c, cause);
      });
      if (isRegex) {
        const items: ListItem[] = chans.map((c) => ({
          idLast: true,
          pairs: [
            ['Event', 'ChannelHungup'],
            ['Channel', c.name],
          ] as Pairs,
        }));
        return list(a, 'Channels hung up will follow', items, 'ChannelsHungupListComplete');
      }
      if (chans.length === 0) return error(a, 'No such channel');
      return reply(a, [['Message', 'Channel Hungup']]);
    },
    Redirect: (core, a) => {
      const name = header(a, 'Channel');
      if (!name) return error(a, 'Channel not specified');
      const exten = header(a, 'Exten');
      if (!exten) return error(a, 'Extension not specified');
      const ch = core.state.channel(name);
      if (!ch) return error(a, `Channel does not exist: ${name}`);
      const extraName = header(a, 'ExtraChannel');
      const extra = extraName ? core.state.channel(extraName) : undefined;
      if (extraName && !extra) return error(a, `ExtraChannel does not exist: ${extraName}`);
      const ctx = a.get('Context') || ch.context;
      const prio = Number(a.get('Priority')) || 1;
      sendTo(core, ch, ctx, exten, prio);
      if (extra)
        sendTo(
          core,
          extra,
          a.get('ExtraContext') || ctx,
          a.get('ExtraExten') || exten,
          Number(a.get('ExtraPriority')) || prio,
        );
      return reply(a, [['Message', extra ? 'Dual Redirect successful' : 'Redirect successful']]);
    },
    BlindTransfer: (core, a) => {
      const name = header(a, 'Channel');
      if (!name) return error(a, 'No channel specified');
      const exten = header(a, 'Exten');
      const ch = core.state.channel(name);
      if (!ch) return error(a, 'Channel specified does not exist');
      if (!exten) return error(a, 'No extension specified');
      const b = ch.bridge ? core.state.bridges.get(ch.bridge) : undefined;
      const other = b?.channels.map((n) => core.state.channel(n)).find((c) => c && c !== ch);
      if (!b || !other) return error(a, 'Transfer failed');
      const ctx = a.get('Context') || ch.context;
      core.clock.after(0, () => {
        core.emit(
          event(
            'BlindTransfer',
            'call,all',
            [['Result', 'Success']],
            channelPairs(ch, 'Transferer'),
            channelPairs(other, 'Transferee'),
            bridgePairs(b),
            [
              ['IsExternal', 'Yes'],
              ['Context', ctx],
              ['Extension', exten],
            ],
          ),
        );
        leaveBridge(core, other);
        leaveBridge(core, ch);
        destroyBridge(core, b);
        requestHangup(core, ch, 16);
        if (ch.role === 'dialled') destroyChannel(core, ch, 16);
        sendTo(core, other, ctx, exten, 1);
      });
      return reply(a, [['Message', 'Transfer succeeded']]);
    },
    PlayDTMF: (core, a) => {
      const name = header(a, 'Channel');
      const digit = header(a, 'Digit');
      if (!name) return error(a, 'Channel not specified');
      if (!digit) return error(a, 'No digit specified');
      const ch = core.state.channel(name);
      if (!ch) return error(a, `Channel '${name}' not found`);
      core.spawn(sendDtmf(core, ch, digit.slice(0, 1), 'Sent'));
      return reply(a, [['Message', 'DTMF successfully queued']]);
    },
    AGI: (core, a) => {
      const name = header(a, 'Channel');
      const command = header(a, 'Command');
      if (!name) return error(a, 'Channel not specified');
      if (!command) return error(a, 'Command not specified');
      const ch = core.state.channel(name);
      if (!ch) return error(a, `Channel ${name} does not exist.`);
      if (!queueAgiCommand(ch, command, header(a, 'CommandID')))
        return error(a, `Channel ${name} is not in Async AGI.`);
      return reply(a, [['Message', 'Added AGI command to queue']]);
    },
  },
};
