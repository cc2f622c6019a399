/** The feeds API over a real server: CRUD with ownership, 401/403/404/422, test over recent events, live WebSocket with resume. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';

interface Msg {
  type: string;
  seq: number;
  event?: Record<string, string>;
}

describe('feeds API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.user('vasiliy', 'agent', { extensions: ['902'] });
    await h.user('olga', 'agent', { extensions: ['903'] });
    await h.user('root', 'admin');
    await h.server.context.pbx.monitor.ready();
  });
  after(() => h.close());

  test('401 without credentials; 422 naming a bad or unsafe regex', async () => {
    assert.equal((await h.anonymous().call('GET', '/api/v1/feeds')).status, 401);
    assert.equal((await h.anonymous().call('POST', '/api/v1/feeds', { name: 'x' })).status, 401);
    const v = await h.token('vasiliy');
    const bad = await v.call('POST', '/api/v1/feeds', { name: 'x', filter: { regex: '(a+)+$' } });
    assert.equal(bad.status, 422);
    assert.equal((bad.body as { error: { field: string } }).error.field, 'filter.regex');
    const bad2 = await v.call('POST', '/api/v1/feeds', { name: 'x', filter: { headers: { Channel: '[' } } });
    assert.equal(bad2.status, 422);
    assert.equal((bad2.body as { error: { field: string } }).error.field, 'filter.headers.Channel');
  });

  test('owners manage their own feeds, others get 404, admins see all; live events in order with resume', async () => {
    const v = await h.token('vasiliy');
    const o = await h.token('olga');
    const root = await h.token('root');
    const created = await v.call('POST', '/api/v1/feeds', {
      name: 'screen-pop',
      filter: { regex: 'Dial.{1,}?Begin.{1,}?902|Bridge.{1,}?902|Hangup.{1,}?902' },
    });
    assert.equal(created.status, 201);
    const id = (created.body as { id: number }).id;
    assert.equal((await o.call('GET', `/api/v1/feeds/${id}`)).status, 404);
    assert.equal((await o.call('DELETE', `/api/v1/feeds/${id}`)).status, 404);
    assert.equal(((await o.call('GET', '/api/v1/feeds')).body as unknown[]).length, 0);
    assert.equal(((await root.call('GET', '/api/v1/feeds')).body as unknown[]).length, 1);
    const patched = await v.call('PATCH', `/api/v1/feeds/${id}`, { name: 'pop' });
    assert.equal((patched.body as { name: string }).name, 'pop');

    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/feeds/${id}/live`, {
      headers: v.headers,
    });
    const msgs: Msg[] = [];
    ws.on('message', (d) => msgs.push(JSON.parse(String(d)) as Msg));
    await new Promise((r) => ws.on('open', r));
    await waitUntil(() => msgs.length === 1, 'hello');
    const ami = h.ami[0]!;
    const send = (pairs: Record<string, string>) => ami.emit(pairs);
    send({
      Event: 'Dial',
      Privilege: 'call,all',
      SubEvent: 'Begin',
      Channel: 'SIP/trunk-1',
      Destination: 'SIP/902-2',
    });
    send({
      Event: 'Dial',
      Privilege: 'call,all',
      SubEvent: 'Begin',
      Channel: 'SIP/trunk-1',
      Destination: 'SIP/903-3',
    });
    send({ Event: 'Hangup', Privilege: 'call,all', Channel: 'SIP/902-2', Cause: '16' });
    await waitUntil(() => msgs.length === 3, 'two events');
    assert.deepEqual(
      msgs.slice(1).map((m) => [m.seq, m.event?.Event]),
      [
        [1, 'Dial'],
        [2, 'Hangup'],
      ],
    );
    ws.close();
    const again = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/feeds/${id}/live?since=1`, {
      headers: v.headers,
    });
    const more: Msg[] = [];
    again.on('message', (d) => more.push(JSON.parse(String(d)) as Msg));
    await waitUntil(() => more.length === 2, 'resume');
    assert.equal(more[0]!.type, 'resume');
    assert.equal(more[1]!.seq, 2);
    again.close();

    const tested = await v.call('POST', `/api/v1/feeds/${id}/test`, { limit: 50 });
    assert.equal(tested.status, 200);
    const t = tested.body as { scanned: number; matched: Array<{ Event: string }> };
    assert.ok(t.scanned >= 3);
    assert.deepEqual(
      t.matched.map((m) => m.Event),
      ['Dial', 'Hangup'],
    );
    assert.equal((await v.call('DELETE', `/api/v1/feeds/${id}`)).status, 204);
    assert.equal((await v.call('GET', `/api/v1/feeds/${id}`)).status, 404);
  });
});
