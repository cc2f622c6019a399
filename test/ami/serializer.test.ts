import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AmiInvalidHeaderError,
  AmiMessage,
  AmiParser,
  serializeAction,
  serializePacket,
} from '../../src/ami/index.js';

describe('serializeAction', () => {
  test('writes Action first, then params in order; arrays repeat, undefined is skipped', () => {
    const wire = serializeAction('Originate', {
      ActionID: 'x-1',
      Channel: 'Local/300@sb-test',
      Timeout: 30000,
      Async: true,
      Account: undefined,
      Variable: ['A=1', 'B=2'],
    });
    assert.equal(
      wire,
      'Action: Originate\r\nActionID: x-1\r\nChannel: Local/300@sb-test\r\nTimeout: 30000\r\nAsync: true\r\n' +
        'Variable: A=1\r\nVariable: B=2\r\n\r\n',
    );
    const got: AmiMessage[] = [];
    new AmiParser({ onMessage: (m) => got.push(m), banner: false }).push(Buffer.from(wire));
    assert.deepEqual(got[0]?.getAll('variable'), ['A=1', 'B=2']);
  });

  test('refuses CR or LF in values, names and the action, before producing anything; never echoes the value', () => {
    const cases: Array<() => string> = [
      () => serializeAction('Login', { Username: 'u', Secret: 's3cr3t\r\nAction: Originate' }),
      () => serializeAction('Ping', { 'X\r\nAction': 'y' }),
      () => serializeAction('Ping\r\nAction: Originate'),
      () => serializeAction('Setvar', { Variable: ['ok', 'bad\nline'] }),
      () => serializeAction('Ping', { 'Bad: name': 'v' }),
      () => serializeAction('Ping', { '': 'v' }),
      () => serializePacket([['Event', 'x\ny']]),
    ];
    for (const f of cases) {
      assert.throws(f, (e: unknown) => {
        assert.ok(e instanceof AmiInvalidHeaderError);
        assert.equal(e.code, 'AMI_INVALID_HEADER');
        assert.ok(!e.message.includes('s3cr3t'));
        return true;
      });
    }
  });
});

describe('AmiMessage', () => {
  test('from() builds a message with repeated headers and toJSON groups them', () => {
    const m = AmiMessage.from({ Event: 'Status', Variable: ['A=1', 'B=2'], ActionID: 'z' });
    assert.equal(m.kind, 'event');
    assert.equal(m.actionId, 'z');
    assert.deepEqual(m.toJSON(), { Event: 'Status', Variable: ['A=1', 'B=2'], ActionID: 'z' });
    assert.equal(m.text(), 'Event: Status\r\nVariable: A=1\r\nVariable: B=2\r\nActionID: z\r\n');
    const r = AmiMessage.from([
      ['Response', 'Success'],
      ['Ping', 'Pong'],
    ]);
    assert.equal(r.kind, 'response');
    assert.equal(r.output, undefined);
    assert.equal(AmiMessage.from([['Foo', 'bar']]).kind, 'other');
  });
});
