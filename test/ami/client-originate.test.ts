import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AmiClient, AmiError } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

describe('AmiClient.originate', () => {
  let srv: FakeAmiServer;
  let c: AmiClient;
  before(async () => {
    srv = await FakeAmiServer.start();
    srv.handle('Originate', (m, session) => {
      const id = m.get('ActionID')!;
      const channel = m.get('Channel') ?? '';
      if (channel === 'bad') return { Response: 'Error', Message: 'Originate failed' };
      if (channel === 'never') return { Message: 'Originate successfully queued' };
      setTimeout(() => {
        // Asterisk broadcasts OriginateResponse to every session: first another session's, then ours.
        srv.emit({
          Event: 'OriginateResponse',
          Privilege: 'call,all',
          ActionID: 'someone-else',
          Response: 'Failure',
          Channel: channel,
        });
        session.emit({
          Event: 'OriginateResponse',
          Privilege: 'call,all',
          ActionID: id,
          Response: channel.includes('999') ? 'Failure' : 'Success',
          Channel: channel,
          Reason: channel.includes('999') ? '0' : '4',
          Uniqueid: '1795340953.1',
        });
      }, 5);
      return { Message: 'Originate successfully queued' };
    });
    c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
    await c.connect();
  });
  after(async () => {
    await c.close();
    await srv.close();
  });

  test('sends Async: true and resolves with the OriginateResponse carrying its own ActionID', async () => {
    const events: string[] = [];
    c.on('event', (m) => {
      if (m.event === 'OriginateResponse') events.push(m.actionId ?? '');
    });
    const next = srv.nextAction('Originate');
    const [a, b] = await Promise.all([
      c.originate({ Channel: 'Local/300@sb-test', Application: 'Wait', Data: '1', async: 'false' }),
      c.originate({ Channel: 'Local/999@no-such-context', Application: 'Wait' }),
    ]);
    const { action } = await next;
    assert.deepEqual(action.getAll('Async'), ['true']);
    assert.equal(a.response, 'Success');
    assert.equal(a.get('Channel'), 'Local/300@sb-test');
    assert.equal(a.kind, 'event');
    assert.equal(b.response, 'Failure');
    assert.equal(b.get('Reason'), '0');
    assert.ok(events.includes('someone-else'), 'foreign OriginateResponse is delivered as a plain event');
  });

  test('an Originate refused by Asterisk rejects AMI_ACTION_FAILED', async () => {
    await assert.rejects(c.originate({ Channel: 'bad' }), (e: unknown) => {
      assert.ok(e instanceof AmiError);
      assert.equal(e.code, 'AMI_ACTION_FAILED');
      assert.match(e.message, /Originate failed/);
      return true;
    });
  });

  test('no OriginateResponse: its own timeout; abort also settles', async () => {
    await assert.rejects(c.originate({ Channel: 'never' }, { timeout: 30 }), { code: 'AMI_TIMEOUT' });
    const ac = new AbortController();
    const p = c.originate({ Channel: 'never' }, { signal: ac.signal, timeout: 10_000 });
    await srv.nextAction('Originate');
    setTimeout(() => ac.abort(), 10);
    await assert.rejects(p, { code: 'AMI_ABORTED' });
  });
});
