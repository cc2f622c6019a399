/** The gateway's config section (defaults, the README example), its permission rules, and bad users refused. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { AmiMessage, AmiParser } from '../../src/ami/index.js';
import {
  AmiGateway,
  compileRights,
  type FeedsError,
  GATEWAY_DEFAULTS,
  gatewaySchema,
  mayRead,
  mayWrite,
  parseMask,
  withActionId,
} from '../../src/feeds/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('gateway config', () => {
  it('is off by default on 127.0.0.1:5039', () => {
    assert.deepEqual(gatewaySchema.parse({}), GATEWAY_DEFAULTS);
    assert.equal(GATEWAY_DEFAULTS.enabled, false);
    assert.throws(() => gatewaySchema.parse({ nope: 1 }));
  });

  it('accepts the README example', () => {
    const section = readme.slice(readme.indexOf('### AMI gateway'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(block);
    const g = gatewaySchema.parse((parse(block) as { gateway: unknown }).gateway);
    assert.equal(g.enabled, true);
    assert.deepEqual(
      g.users.map((u) => u.name),
      ['crm-vasiliy', 'panel'],
    );
  });

  it('refuses a user with a bad filter or an unknown PBX before listening', async () => {
    const upstreams = new Map();
    await assert.rejects(
      AmiGateway.start({ upstreams, users: [{ name: 'a', secret: 's', read: [], write: [] }], port: 0 }),
      (e: FeedsError) => e.code === 'GATEWAY_BAD_CONFIG',
    );
    const up = Object.assign(new EventEmitter(), { state: 'idle', ami: undefined, info: () => ({}) });
    await assert.rejects(
      AmiGateway.start({
        upstreams: new Map([['pbx1', up]]),
        users: [
          { name: 'ok', secret: 's', read: [], write: [], filter: { regex: 'Hangup' } },
          { name: 'bad', secret: 's', read: [], write: [], filter: { regex: '(' } },
        ],
        port: 0,
      }),
      (e: FeedsError) =>
        e.code === 'GATEWAY_BAD_CONFIG' && e.field === 'filter.regex' && /bad/.test(e.message),
    );
    assert.equal(up.listenerCount('event'), 0);
  });
});

describe('gateway permissions', () => {
  const action = (h: Record<string, string>) => AmiMessage.from(h);
  it('needs every write class of the action, like Asterisk', () => {
    const r = compileRights({ name: 'x', secret: 's', read: [], write: ['call'] });
    assert.equal(mayWrite(r, 'Redirect', action({ Action: 'Redirect' })), true);
    assert.equal(mayWrite(r, 'Hangup', action({ Action: 'Hangup' })), false); // system,call
    assert.equal(mayWrite(r, 'Ping', action({ Action: 'Ping' })), true);
    assert.equal(mayWrite(r, 'SomethingNew', action({ Action: 'SomethingNew' })), false);
    const all = compileRights({ name: 'x', secret: 's', read: [], write: ['all'] });
    assert.equal(mayWrite(all, 'Hangup', action({ Action: 'Hangup' })), true);
    assert.equal(
      mayWrite(all, 'Command', action({ Action: 'Command', Command: 'core show channels' })),
      false,
    );
  });

  it('matches Command prefixes on whole words', () => {
    const r = compileRights({
      name: 'x',
      secret: 's',
      read: [],
      write: ['command'],
      commands: ['core show'],
    });
    const ok = (c: string) => mayWrite(r, 'Command', action({ Action: 'Command', Command: c }));
    assert.equal(ok('core show channels'), true);
    assert.equal(ok('  CORE   show version'), true);
    assert.equal(ok('core show'), true);
    assert.equal(ok('core showx'), false);
    assert.equal(ok('core stop now'), false);
    assert.equal(ok(''), false);
  });

  it('delivers an event only when read and mask hold every Privilege class', () => {
    const ev = action({ Event: 'Hangup', Privilege: 'call,all' });
    const read = compileRights({ name: 'x', secret: 's', read: ['call'], write: [] }).read;
    assert.equal(mayRead(ev, read, parseMask('on')), true);
    assert.equal(mayRead(ev, read, parseMask('system')), false);
    assert.equal(mayRead(ev, read, parseMask('off')), false);
    assert.equal(mayRead(action({ Event: 'X', Privilege: 'system,call,all' }), read, parseMask('on')), false);
  });
});

describe('gateway replies', () => {
  const parseAll = (bytes: Buffer | string) => {
    const out: AmiMessage[] = [];
    new AmiParser({ onMessage: (m) => out.push(m) }).push(Buffer.from(bytes));
    return out;
  };
  it('rewrites the ActionID of a pre-14 Response: Follows Command body, keeping the body bytes', () => {
    const raw = readFileSync(new URL('../fixtures/asterisk-11/ami/command-output.raw', import.meta.url));
    const follows = parseAll(raw).filter((m) => m.response === 'Follows');
    assert.ok(follows.length > 0);
    for (const m of follows) {
      const [back] = parseAll(withActionId(m, 'mine-1'));
      assert.equal(back!.actionId, 'mine-1');
      assert.deepEqual(back!.output, m.output);
      const [none] = parseAll(withActionId(m, undefined));
      assert.equal(none!.actionId, undefined);
      assert.deepEqual(none!.output, m.output);
    }
  });
  it('rewrites or drops the ActionID of headers-only packets, repeated headers kept in order', () => {
    const m = AmiMessage.from([
      ['Response', 'Success'],
      ['ActionID', 'up.7'],
      ['Output', 'a'],
      ['Output', 'b'],
    ]);
    assert.equal(
      withActionId(m, 'c-1'),
      'Response: Success\r\nActionID: c-1\r\nOutput: a\r\nOutput: b\r\n\r\n',
    );
    assert.equal(withActionId(m, undefined), 'Response: Success\r\nOutput: a\r\nOutput: b\r\n\r\n');
  });
});
