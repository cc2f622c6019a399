/**
 * The AMI gateway over real sockets: a server (`startHarness`) with a fake Asterisk upstream, AMI clients (raw
 * sockets, this project's AmiClient, the npm peer asterisk-manager) logging in to the gateway.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { AmiClient } from '../../src/ami/index.js';
import type { AmiGateway, GatewayRoom } from '../../src/feeds/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { RawAmi, upstreamHandlers } from './gateway-kit.js';

const USERS = [
  { name: 'full', secret: 'full-secret', read: ['all'], write: ['all'], commands: ['core show'] },
  { name: 'calls', secret: 'calls-secret', read: ['call'], write: ['call', 'originate'] },
  { name: 'listed', secret: 'listed-secret', read: ['call'], write: ['all'], actions: ['Getvar'] },
  {
    name: 'vasiliy',
    secret: 'v-secret',
    read: ['call'],
    write: [],
    filter: { regex: 'Dial.{1,}?Begin.{1,}?902|Bridge.{1,}?902|Hangup.{1,}?902' },
  },
  { name: 'sys', secret: 'sys-secret', read: ['system'], write: [] },
];

describe('AMI gateway', () => {
  let h: Harness;
  let fake: FakeAmiServer;
  let gw: AmiGateway;
  const open: Array<{ close(): unknown }> = [];

  const raw = async (user?: string, secret?: string, events?: string) => {
    const c = await RawAmi.connect(gw.port);
    open.push(c);
    if (user !== undefined) {
      const r = await c.login(user, secret ?? '', events);
      assert.equal(r.get('Message'), 'Authentication accepted');
    }
    return c;
  };
  /** Emits a last event everybody reading `call` accepts, and waits until each client got it. */
  const settle = async (clients: RawAmi[], tag: string) => {
    fake.emit({ Event: 'Hangup', Privilege: 'call,all', Channel: 'PJSIP/902-0000000f', Uniqueid: tag });
    await waitUntil(
      () => clients.every((c) => c.events('Hangup').some((m) => m.get('Uniqueid') === tag)),
      `sentinel ${tag}`,
    );
  };

  before(async () => {
    fake = await FakeAmiServer.start({ handlers: upstreamHandlers(() => fake) });
    h = await startHarness({
      pbx: [fake],
      config: { gateway: { enabled: true, port: 0, loginFailDelay: 30, maxQueue: 64 * 1024, users: USERS } },
    });
    gw = (h.server.context.rooms.get('gateway') as GatewayRoom).gateway!;
    const link = h.server.context.pbx.links.get('pbx1')!;
    await waitUntil(() => link.state === 'ready', 'upstream ready');
  });
  after(async () => {
    for (const c of open) await c.close();
    await h.close();
    await fake.close();
  });

  it('greets with the upstream banner and logs in with a plain secret exactly as Asterisk answers', async () => {
    const c = await raw();
    assert.equal(c.banner, 'Asterisk Call Manager/13.0.0');
    c.send([
      ['Action', 'Login'],
      ['ActionID', 'login-1'],
      ['Username', 'full'],
      ['Secret', 'full-secret'],
    ]);
    const r = await c.response('login-1');
    assert.equal(r.text(), 'Response: Success\r\nActionID: login-1\r\nMessage: Authentication accepted\r\n');
    // Events default to on, so an Asterisk that is fully booted says so (mask and read include system).
    await waitUntil(() => c.events('FullyBooted').length === 1, 'FullyBooted');
  });

  it('answers a wrong secret with Authentication failed after the delay, then closes', async () => {
    const c = await raw();
    c.send([
      ['Action', 'Login'],
      ['ActionID', 'login-1'],
      ['Username', 'full'],
      ['Secret', 'wrong'],
    ]);
    // Input during the delay is ignored, as by Asterisk's sleeping session.
    c.send([
      ['Action', 'Ping'],
      ['ActionID', 'ping-1'],
    ]);
    await c.closed;
    assert.equal(c.messages.length, 1);
    assert.equal(
      c.messages[0]!.text(),
      'Response: Error\r\nActionID: login-1\r\nMessage: Authentication failed\r\n',
    );
    assert.equal(gw.stats.loginFailures >= 1, true);
  });

  it('refuses every action before login with Permission denied', async () => {
    const c = await raw();
    c.send([
      ['Action', 'CoreStatus'],
      ['ActionID', 'x'],
    ]);
    assert.equal((await c.response('x')).get('Message'), 'Permission denied');
  });

  it('logs in with the MD5 challenge (raw: key = md5(challenge + secret))', async () => {
    const c = await raw();
    c.send([
      ['Action', 'Challenge'],
      ['ActionID', 'ch-1'],
      ['AuthType', 'MD5'],
    ]);
    const ch = (await c.response('ch-1')).get('Challenge')!;
    assert.match(ch, /^\d{9}$/);
    const key = createHash('md5').update(`${ch}calls-secret`).digest('hex');
    c.send([
      ['Action', 'Login'],
      ['ActionID', 'l-2'],
      ['Username', 'calls'],
      ['AuthType', 'MD5'],
      ['Key', key],
    ]);
    assert.equal((await c.response('l-2')).get('Message'), 'Authentication accepted');
    const bad = await raw();
    bad.send([
      ['Action', 'Challenge'],
      ['ActionID', 'ch-1'],
      ['AuthType', 'MD5'],
    ]);
    await bad.response('ch-1');
    bad.send([
      ['Action', 'Login'],
      ['ActionID', 'l-2'],
      ['Username', 'calls'],
      ['AuthType', 'MD5'],
      ['Key', key],
    ]);
    assert.equal((await bad.response('l-2')).get('Message'), 'Authentication failed');
  });

  it('works unchanged for this project AmiClient (MD5 login, actions, lists)', async () => {
    const client = new AmiClient({
      url: `ami://full:full-secret@127.0.0.1:${gw.port}`,
      md5: true,
      keepalive: false,
      reconnect: false,
    });
    open.push(client);
    await client.connect();
    const v = await client.action('Getvar', { Variable: 'FOO' });
    assert.equal(v.message.get('Value'), 'v-FOO');
    const list = await client.action('Status', { Channel: 'PJSIP/abc' });
    assert.equal(list.items.length, 2);
    assert.equal(list.complete?.event, 'StatusComplete');
    await client.close();
  });

  it('refuses actions outside the write classes, the allow-list or the Command prefixes, never reaching Asterisk', async () => {
    const calls = await raw('calls', 'calls-secret');
    const listed = await raw('listed', 'listed-secret');
    const full = await raw('full', 'full-secret');
    const before = fake.actions.length;
    calls.send([
      ['Action', 'Command'],
      ['ActionID', 'c1'],
      ['Command', 'core show channels'],
    ]);
    calls.send([
      ['Action', 'GetConfig'],
      ['ActionID', 'c2'],
      ['Filename', 'sip.conf'],
    ]);
    calls.send([
      ['Action', 'Hangup'],
      ['ActionID', 'c3'],
      ['Channel', 'PJSIP/1-1'],
    ]); // needs system too
    calls.send([
      ['Action', 'NoSuchAction'],
      ['ActionID', 'c4'],
    ]);
    listed.send([
      ['Action', 'CoreStatus'],
      ['ActionID', 'l1'],
    ]); // classes held, not on the allow-list
    full.send([
      ['Action', 'Command'],
      ['ActionID', 'f1'],
      ['Command', 'core restart now'],
    ]);
    full.send([
      ['Action', 'Command'],
      ['ActionID', 'f2'],
      ['Command', 'core showx'],
    ]);
    full.send([
      ['Action', 'Filter'],
      ['ActionID', 'f3'],
      ['Operation', 'Add'],
      ['Filter', 'Event: Foo'],
    ]);
    for (const [c, id] of [
      [calls, 'c1'],
      [calls, 'c2'],
      [calls, 'c3'],
      [calls, 'c4'],
      [listed, 'l1'],
      [full, 'f1'],
      [full, 'f2'],
      [full, 'f3'],
    ] as const) {
      const r = await c.response(id);
      assert.equal(r.text(), `Response: Error\r\nActionID: ${id}\r\nMessage: Permission denied\r\n`, id);
    }
    // Allowed ones do reach it: a Command under an allowed prefix, an allow-listed action, a class-held action.
    full.send([
      ['Action', 'Command'],
      ['ActionID', 'f4'],
      ['Command', 'core  show channels'],
    ]);
    listed.send([
      ['Action', 'Getvar'],
      ['ActionID', 'l2'],
      ['Variable', 'X'],
    ]);
    calls.send([
      ['Action', 'Redirect'],
      ['ActionID', 'c5'],
      ['Channel', 'PJSIP/1-1'],
      ['Exten', '1'],
    ]);
    assert.deepEqual((await full.response('f4')).getAll('Output'), ['ran: core  show channels']);
    assert.equal((await listed.response('l2')).get('Value'), 'v-X');
    await calls.response('c5');
    const sent = new Set([
      'Command',
      'GetConfig',
      'Hangup',
      'NoSuchAction',
      'CoreStatus',
      'Filter',
      'Getvar',
      'Redirect',
    ]);
    // (the server's own monitor may talk to the fake meanwhile: only the actions sent here are compared)
    const reached = fake.actions
      .slice(before)
      .map((a) => a.get('Action') ?? '')
      .filter((a) => sent.has(a));
    assert.deepEqual(reached.sort(), ['Command', 'Getvar', 'Redirect']);
  });

  it('gives each of 3 clients exactly its own replies under 100 concurrent actions (same ActionIDs, list items included)', async () => {
    const clients = [
      await raw('full', 'full-secret', 'off'),
      await raw('full', 'full-secret', 'off'),
      await raw('full', 'full-secret', 'off'),
    ];
    const per = [34, 33, 33];
    clients.forEach((c, i) => {
      for (let n = 0; n < per[i]!; n++) {
        const id = `a-${n}`; // the same ActionIDs on every client: the gateway must keep them apart
        if (n % 2 === 0)
          c.send([
            ['Action', 'Getvar'],
            ['ActionID', id],
            ['Variable', `c${i}-${n}`],
          ]);
        else
          c.send([
            ['Action', 'Status'],
            ['ActionID', id],
            ['Channel', `PJSIP/c${i}-${n}`],
          ]);
      }
    });
    await Promise.all(
      clients.map((c, i) =>
        waitUntil(
          () =>
            c.messages.filter((m) => m.kind === 'response' || m.event === 'StatusComplete').length >=
            per[i]! + Math.floor(per[i]! / 2),
          `client ${i} replies`,
        ),
      ),
    );
    clients.forEach((c, i) => {
      const mine = c.messages.filter((m) => m.actionId?.startsWith('a-'));
      for (let n = 0; n < per[i]!; n++) {
        const got = c.byId(`a-${n}`);
        if (n % 2 === 0) {
          assert.equal(got.length, 1, `client ${i} a-${n}`);
          assert.equal(got[0]!.get('Value'), `v-c${i}-${n}`);
        } else {
          assert.deepEqual(
            got.map((m) => m.response ?? m.event),
            ['Success', 'Status', 'Status', 'StatusComplete'],
            `client ${i} a-${n}`,
          );
          for (const m of got.slice(1, 3)) assert.equal(m.get('Channel'), `PJSIP/c${i}-${n}`);
        }
      }
      assert.equal(mine.length, Math.ceil(per[i]! / 2) + Math.floor(per[i]! / 2) * 4);
      // No upstream ActionID ever leaks.
      assert.equal(
        c.messages.some(
          (m) => m.actionId !== undefined && !m.actionId.startsWith('a-') && !m.actionId.startsWith('login-'),
        ),
        false,
      );
    });
  });

  it('delivers events by read class, event mask and the feed filter (the seed 902 expression)', async () => {
    const full = await raw('full', 'full-secret');
    const calls = await raw('calls', 'calls-secret');
    const vasiliy = await raw('vasiliy', 'v-secret');
    const sys = await raw('sys', 'sys-secret');
    const muted = await raw('full', 'full-secret', 'system');
    // Asterisk 11 shapes, which the seed's expression was written for (`Dial` + `SubEvent: Begin`).
    fake.emit([
      ['Event', 'Dial'],
      ['Privilege', 'call,all'],
      ['SubEvent', 'Begin'],
      ['Channel', 'SIP/901-00000001'],
      ['Destination', 'SIP/902-00000002'],
    ]);
    fake.emit([
      ['Event', 'Dial'],
      ['Privilege', 'call,all'],
      ['SubEvent', 'Begin'],
      ['Channel', 'SIP/901-00000003'],
      ['Destination', 'SIP/903-00000004'],
    ]);
    fake.emit({ Event: 'Reload', Privilege: 'system,all', Module: 'manager' });
    fake.emit({ Event: 'AgentCalled', Privilege: 'agent,all', Queue: 'q' });
    fake.emit({ Event: 'Cdr', Privilege: 'cdr,all', Source: '901' });
    await settle([full, calls, vasiliy], 't1');
    fake.emit({ Event: 'Reload', Privilege: 'system,all', Module: 'last' });
    await waitUntil(
      () => sys.events('Reload').length === 2 && muted.events('Reload').length === 2,
      'system events',
    );
    const names = (c: RawAmi) =>
      c.messages.filter((m) => m.kind === 'event' && m.event !== 'FullyBooted').map((m) => m.event);
    assert.deepEqual(names(full), ['Dial', 'Dial', 'Reload', 'AgentCalled', 'Cdr', 'Hangup', 'Reload']);
    assert.deepEqual(names(calls), ['Dial', 'Dial', 'Hangup']);
    assert.deepEqual(names(vasiliy), ['Dial', 'Hangup']);
    assert.equal(vasiliy.events('Dial')[0]!.get('Destination'), 'SIP/902-00000002');
    assert.deepEqual(names(sys), ['Reload', 'Reload']);
    assert.deepEqual(names(muted), ['Reload', 'Reload']);
    // The Events action changes the mask like Asterisk's, with its answer.
    muted.send([
      ['Action', 'Events'],
      ['ActionID', 'e1'],
      ['EventMask', 'off'],
    ]);
    assert.equal((await muted.response('e1')).text(), 'Response: Success\r\nActionID: e1\r\nEvents: Off\r\n');
    fake.emit({ Event: 'Reload', Privilege: 'system,all', Module: 'after-off' });
    await waitUntil(() => sys.events('Reload').length === 3, 'third reload');
    assert.equal(muted.events('Reload').length, 2);
  });

  it('routes an async OriginateResponse to the client that asked only, with its ActionID', async () => {
    const asker = await raw('calls', 'calls-secret');
    const other = await raw('calls', 'calls-secret');
    asker.send([
      ['Action', 'Originate'],
      ['ActionID', 'o-1'],
      ['Channel', 'PJSIP/902'],
      ['Context', 'oficina2'],
      ['Exten', '903'],
      ['Priority', '1'],
      ['Async', 'true'],
    ]);
    assert.equal((await asker.response('o-1')).get('Message'), 'Originate successfully queued');
    await waitUntil(() => asker.events('OriginateResponse').length === 1, 'OriginateResponse');
    const ev = asker.events('OriginateResponse')[0]!;
    assert.equal(ev.actionId, 'o-1');
    assert.equal(ev.get('Response'), 'Success');
    await settle([asker, other], 't-orig');
    assert.equal(other.events('OriginateResponse').length, 0);
    const upstream = fake.actions.filter((a) => a.get('Action') === 'Originate').at(-1)!;
    assert.notEqual(upstream.actionId, 'o-1');
  });

  it('refuses a header with a bare CR: nothing reaches Asterisk', async () => {
    const c = await raw('full', 'full-secret');
    const n = fake.actions.length;
    c.socket.write('Action: Getvar\r\nActionID: cr-1\r\nVariable: A\rB\r\n\r\n');
    const r = await c.response('cr-1');
    assert.equal(r.get('Response'), 'Error');
    assert.equal(fake.actions.length, n);
  });

  it('disconnects a client that does not read, while the others get every event', async () => {
    const slow = await raw('full', 'full-secret');
    const fast = await raw('calls', 'calls-secret');
    slow.socket.pause();
    // Kernel buffers absorb a few MB before the gateway's own queue grows: emit in batches until it gives up on the
    // slow client (bounded), checking after each batch that the reading client got everything.
    const pad = 'x'.repeat(2000);
    let sent = 0;
    while (gw.stats.slowDisconnects === 0 && sent < 20_000) {
      for (let i = 0; i < 500; i++, sent++) {
        fake.emit({ Event: 'Newstate', Privilege: 'call,all', Channel: `PJSIP/1-${sent}`, Pad: pad });
      }
      await waitUntil(
        () => fast.events('Newstate').length === sent,
        `fast client got ${sent} events`,
        20_000,
      );
    }
    assert.equal(gw.stats.slowDisconnects, 1);
    slow.socket.resume();
    await slow.closed;
    await settle([fast], 't-slow');
  });

  it('answers Upstream PBX not connected while the upstream is down, then sends the gap notice', async () => {
    const c = await raw('full', 'full-secret');
    const link = h.server.context.pbx.links.get('pbx1')!;
    fake.refuse(true);
    fake.dropAll();
    await waitUntil(() => link.state !== 'ready', 'upstream down');
    c.send([
      ['Action', 'CoreStatus'],
      ['ActionID', 'down-1'],
    ]);
    assert.equal(
      (await c.response('down-1')).text(),
      'Response: Error\r\nActionID: down-1\r\nMessage: Upstream PBX not connected\r\n',
    );
    fake.refuse(false);
    await waitUntil(() => c.messages.some((m) => m.get('UserEvent') === 'SwitchboardGap'), 'gap notice');
    const gap = c.messages.find((m) => m.get('UserEvent') === 'SwitchboardGap')!;
    assert.equal(gap.event, 'UserEvent');
    assert.ok(Date.parse(gap.get('From')!) <= Date.parse(gap.get('To')!));
    c.send([
      ['Action', 'Getvar'],
      ['ActionID', 'up-1'],
      ['Variable', 'B'],
    ]);
    assert.equal((await c.response('up-1')).get('Value'), 'v-B');
  });

  it('works unchanged for the npm peer asterisk-manager (login, actions, events)', async () => {
    const require = createRequire(import.meta.url);
    type Manager = {
      on(e: string, cb: (m: Record<string, string>) => void): void;
      action(o: object, cb: (err: unknown, res: Record<string, string>) => void): string;
      disconnect(): void;
    };
    const make = require('asterisk-manager') as (
      port: number,
      host: string,
      u: string,
      p: string,
      events: boolean,
    ) => Manager;
    const m = make(gw.port, '127.0.0.1', 'full', 'full-secret', true);
    open.push({ close: () => m.disconnect() });
    const events: Array<Record<string, string>> = [];
    m.on('managerevent', (e) => events.push(e));
    const act = (o: object) =>
      new Promise<Record<string, string>>((resolve, reject) =>
        m.action(o, (err, res) =>
          err ? reject(Object.assign(new Error('action failed'), { res: err })) : resolve(res),
        ),
      );
    const pong = await act({ action: 'ping' });
    assert.equal(pong.ping, 'Pong');
    const v = await act({ action: 'getvar', variable: 'PEER' });
    assert.equal(v.value, 'v-PEER');
    fake.emit({ Event: 'Newchannel', Privilege: 'call,all', Channel: 'PJSIP/peer-1' });
    await waitUntil(
      () => events.some((e) => e.event === 'Newchannel' && e.channel === 'PJSIP/peer-1'),
      'peer event',
    );
    m.disconnect();
  });
});
