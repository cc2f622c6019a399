import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import { AmiTranscriptReplay, FakeAmiServer } from '../../src/testing/index.js';

/** A bare AMI socket: raw writes, parsed packets. */
async function raw(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  const packets: AmiMessage[] = [];
  let banner = '';
  const waiters: Array<() => void> = [];
  const parser = new AmiParser({
    onMessage: (m) => {
      packets.push(m);
      for (const w of waiters.splice(0)) w();
    },
    onBanner: (b) => {
      banner = b;
    },
  });
  socket.on('data', (c) => parser.push(c));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const next = async (n = 1): Promise<AmiMessage[]> => {
    while (packets.length < n) await new Promise<void>((r) => waiters.push(r));
    return packets.splice(0, n);
  };
  const ended = new Promise<void>((r) => socket.on('close', () => r()));
  return { socket, next, banner: () => banner, ended, send: (s: string) => socket.write(s) };
}

describe('FakeAmiServer', () => {
  let srv: FakeAmiServer;
  before(async () => {
    srv = await FakeAmiServer.start({ users: { admin: 'pw' } });
  });
  after(() => srv.close());

  test('banner, Permission denied before login, plain login, FullyBooted, Logoff closes', async () => {
    const c = await raw(srv.port);
    c.send('Action: Ping\r\nActionID: p0\r\n\r\n');
    const [denied] = await c.next();
    assert.equal(c.banner(), 'Asterisk Call Manager/13.0.0');
    assert.equal(denied?.get('Message'), 'Permission denied');
    assert.equal(denied?.actionId, 'p0');
    c.send('Action: Login\r\nUsername: admin\r\nSecret: pw\r\nActionID: l1\r\n\r\n');
    const [ok, booted] = await c.next(2);
    assert.equal(ok?.get('Message'), 'Authentication accepted');
    assert.equal(booted?.event, 'FullyBooted');
    c.send('action:ping\nactionid: p1\n\n');
    const [pong] = await c.next();
    assert.equal(pong?.get('Ping'), 'Pong');
    assert.equal(pong?.actionId, 'p1');
    c.send('Action: Logoff\r\n\r\n');
    const [bye] = await c.next();
    assert.equal(bye?.response, 'Goodbye');
    await c.ended;
  });

  test('MD5: Challenge then Key = md5(challenge + secret); a wrong key fails and closes', async () => {
    const c = await raw(srv.port);
    c.send('Action: Challenge\r\nAuthType: md5\r\n\r\n');
    const [ch] = await c.next();
    const challenge = ch?.get('Challenge') ?? '';
    assert.match(challenge, /^\d+$/);
    const key = createHash('md5').update(`${challenge}pw`).digest('hex');
    c.send(`Action: Login\r\nUsername: admin\r\nAuthType: MD5\r\nKey: ${key}\r\n\r\n`);
    assert.equal((await c.next(2))[0]?.get('Message'), 'Authentication accepted');
    c.socket.destroy();
    const d = await raw(srv.port);
    d.send('Action: Challenge\r\nAuthType: MD5\r\n\r\n');
    await d.next();
    d.send('Action: Login\r\nUsername: admin\r\nAuthType: MD5\r\nKey: 00\r\n\r\n');
    assert.equal((await d.next())[0]?.get('Message'), 'Authentication failed');
    await d.ended;
  });

  test('events honour the login mask (all classes required) and Filter regexes; Events action answers On/Off', async () => {
    const c = await raw(srv.port);
    c.send('Action: Login\r\nUsername: admin\r\nSecret: pw\r\nEvents: call\r\n\r\n');
    await c.next();
    assert.equal(srv.emit({ Event: 'UserEvent', Privilege: 'user,all' }), 0);
    assert.equal(srv.emit({ Event: 'Cdr', Privilege: 'call,cdr,all' }), 0);
    assert.equal(srv.emit({ Event: 'Hangup', Privilege: 'call,all', Exten: '901' }), 1);
    assert.equal((await c.next())[0]?.event, 'Hangup');
    c.send('Action: Filter\r\nOperation: Add\r\nFilter: Exten: 902\r\n\r\n');
    assert.equal((await c.next())[0]?.get('Message'), 'Filter Added Successfully');
    assert.equal(srv.emit({ Event: 'Hangup', Privilege: 'call,all', Exten: '901' }), 0);
    assert.equal(srv.emit({ Event: 'Hangup', Privilege: 'call,all', Exten: '902' }), 1);
    await c.next();
    c.send('Action: Events\r\nEventMask: off\r\n\r\n');
    assert.equal((await c.next())[0]?.get('Events'), 'Off');
    c.send('Action: Filter\r\nOperation: Add\r\nFilter: ([\r\n\r\n');
    assert.match((await c.next())[0]?.get('Message') ?? '', /did not compile/);
    c.socket.destroy();
  });

  test('faults: hold/release, slow, stall, garbage, drop', async () => {
    const accepted = srv.nextSession();
    const c = await raw(srv.port);
    const session = await accepted;
    c.send('Action: Login\r\nUsername: admin\r\nSecret: pw\r\nEvents: off\r\n\r\n');
    await c.next();
    session.hold();
    c.send('Action: Ping\r\nActionID: a\r\n\r\nAction: Ping\r\nActionID: b\r\n\r\n');
    await srv.nextAction('Ping');
    session.release();
    assert.deepEqual(
      (await c.next(2)).map((m) => m.actionId),
      ['a', 'b'],
    );
    session.slow(20);
    c.send('Action: Ping\r\nActionID: s\r\n\r\n');
    assert.equal((await c.next())[0]?.actionId, 's');
    session.slow(0);
    session.stall();
    c.send('Action: Ping\r\nActionID: lost\r\n\r\n');
    await srv.nextAction('Ping');
    session.resume();
    session.garbage();
    c.send('Action: Ping\r\nActionID: after\r\n\r\n');
    const [g, p] = await c.next(2);
    assert.equal(g?.kind, 'other');
    assert.equal(p?.actionId, 'after');
    assert.equal(
      session.actions.filter((a) => a.get('ActionID') === 'lost').length,
      1,
      'stalled actions are recorded',
    );
    session.drop();
    await c.ended;
  });

  test('transcript replay sends the recorded bytes keyed to the client actions, ActionIDs rewritten', async () => {
    const replay = new AmiTranscriptReplay([
      { dir: 'in', data: Buffer.from('Asterisk Call Manager/1.3\r\n') },
      { dir: 'out', data: Buffer.from('Action: Ping\r\nActionID: rec-1\r\n\r\n') },
      { dir: 'in', data: Buffer.from('Response: Success\r\nActionID: rec-1\r\n') },
      { dir: 'in', data: Buffer.from('Ping: Pong\r\n\r\nEvent: X\r\nActionID: other\r\n\r\n') },
      { dir: 'out', data: Buffer.from('Action: Logoff\r\n\r\n') },
      { dir: 'in', data: Buffer.from('Response: Goodbye\r\n\r\n'), eof: true },
    ]);
    assert.deepEqual(replay.expectedActions, ['ping', 'logoff']);
    const local = await FakeAmiServer.start({ replay });
    const c = await raw(local.port);
    c.send('Action: Ping\r\nActionID: live-9\r\n\r\n');
    const [pong, ev] = await c.next(2);
    assert.equal(c.banner(), 'Asterisk Call Manager/1.3');
    assert.equal(pong?.actionId, 'live-9');
    assert.equal(pong?.get('Ping'), 'Pong');
    assert.equal(ev?.actionId, 'other');
    c.send('Action: Nope\r\nActionID: n\r\n\r\n');
    assert.match((await c.next())[0]?.get('Message') ?? '', /unexpected action/);
    c.send('Action: Logoff\r\nActionID: bye\r\n\r\n');
    const [bye] = await c.next();
    assert.equal(bye?.actionId, 'bye', 'an ActionID is added when the recording had none');
    await c.ended;
    await local.close();
  });
});
