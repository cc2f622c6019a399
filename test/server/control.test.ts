/**
 * Call control over HTTP against the simulated PBX (real AMI over 127.0.0.1): hang up, redirect, transfer, queue
 * pause and membership, agents limited to their own extensions, 503 while the PBX is down and recovery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimulatedPbx } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type ApiClient, type Harness, startHarness } from './harness.js';

describe('call control on the simulated PBX', () => {
  let sim: SimulatedPbx;
  let h: Harness;
  let op: ApiClient;
  let reina: ApiClient;
  let viewer: ApiClient;
  const calls = async () =>
    (await op.call('GET', '/api/v1/calls')).body as {
      id: string;
      legs: { name: string }[];
      channels: string[];
    }[];

  before(async () => {
    sim = await SimulatedPbx.start({ seed: 7, traffic: false, phone: { ringMs: 50 } });
    h = await startHarness({ pbx: [sim as unknown as import('../../src/testing/index.js').FakeAmiServer] });
    await h.user('op', 'operator');
    await h.user('sup', 'supervisor');
    await h.user('reina', 'agent', { extensions: ['reina'] });
    await h.user('vic', 'viewer');
    op = await h.login('op');
    reina = await h.login('reina');
    viewer = await h.login('vic');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await h.close();
    await sim.close();
  });

  it('hangs up a call: every leg gets a Hangup and the call leaves the live list', async () => {
    const placed = sim.placeCall({ from: 'alonso', to: '188', talkMs: 60_000 });
    const id = `pbx1/${placed.linkedid}`;
    await waitUntil(
      () => h.server.context.pbx.monitor.snapshot()[0]!.calls.some((c) => c.id === id && c.answeredAt),
      'the call to be answered',
    );
    const viewerTry = await viewer.call('DELETE', `/api/v1/calls/${encodeURIComponent(id)}`);
    assert.equal(viewerTry.status, 403);
    const agentTry = await reina.call('DELETE', `/api/v1/calls/${encodeURIComponent(id)}`);
    assert.equal(agentTry.status, 403, 'not her extension');
    const r = await op.call('DELETE', `/api/v1/calls/${encodeURIComponent(id)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.confirmed, true);
    assert.ok(r.body.hungUp.length >= 2);
    assert.ok(!(await calls()).some((c) => c.id === id));
    const gone = await op.call('DELETE', `/api/v1/calls/${encodeURIComponent(id)}`);
    assert.equal(gone.status, 404);
  });

  it('an agent may hang up her own call; channels can be hung up one by one', async () => {
    const placed = sim.placeCall({ from: 'reina', to: '188', talkMs: 60_000 });
    const chId = `pbx1/${placed.uniqueid}`;
    await waitUntil(
      () => h.server.context.pbx.monitor.snapshot()[0]!.channels.some((c) => c.id === chId),
      'the channel',
    );
    const r = await reina.call('DELETE', `/api/v1/channels/${encodeURIComponent(chId)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.confirmed, true);
  });

  it('redirects and transfers with the exact AMI actions; CR/LF is refused before anything is sent', async () => {
    const placed = sim.placeCall({ from: 'alonso', to: '188', talkMs: 60_000 });
    const chId = encodeURIComponent(`pbx1/${placed.uniqueid}`);
    await waitUntil(
      () =>
        h.server.context.pbx.monitor
          .snapshot()[0]!
          .channels.some((c) => c.uniqueid === placed.uniqueid && c.state === 6),
      'the call up',
    );
    const actions: { name: string; headers: Record<string, string> }[] = [];
    const onAction = (m: {
      get(h: string): string | undefined;
      headers: ReadonlyArray<readonly [string, string]>;
    }) => actions.push({ name: m.get('Action') ?? '', headers: Object.fromEntries(m.headers) });
    sim.on('action', onAction);
    const before = actions.length;
    const bad = await op.call('POST', `/api/v1/channels/${chId}/redirect`, {
      exten: '200\r\nAction: Originate',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'body.exten');
    assert.equal(actions.length, before, 'nothing reached Asterisk');
    const agentRedirect = await reina.call('POST', `/api/v1/channels/${chId}/redirect`, { exten: '201' });
    assert.equal(agentRedirect.status, 403);
    // A blind transfer of the caller's leg to 200 (alonso's office): BlindTransfer with the channel's context.
    const t = await op.call('POST', `/api/v1/channels/${chId}/transfer`, { to: '200' });
    assert.ok([200, 502].includes(t.status), t.text);
    const bt = actions.find((a) => a.name === 'BlindTransfer');
    assert.ok(bt, 'BlindTransfer sent');
    assert.equal(bt.headers.Exten, '200');
    assert.equal(bt.headers.Context, 'oficina2');
    assert.match(bt.headers.Channel ?? '', /^PJSIP\/alonso-/);
    // A redirect to the office's 188 (manuel) by an operator: the exact Redirect.
    const second = sim.placeCall({ from: 'reina', to: '188', talkMs: 60_000 });
    const secondId = encodeURIComponent(`pbx1/${second.uniqueid}`);
    await waitUntil(
      () =>
        h.server.context.pbx.monitor
          .snapshot()[0]!
          .channels.some((c) => c.uniqueid === second.uniqueid && c.state === 6),
      'the second call up',
    );
    const r = await op.call('POST', `/api/v1/channels/${secondId}/redirect`, {
      exten: '666',
      context: 'oficina1',
    });
    assert.equal(r.status, 200, r.text);
    const rd = actions.find((a) => a.name === 'Redirect');
    assert.deepEqual(
      [rd?.headers.Context, rd?.headers.Exten, rd?.headers.Priority],
      ['oficina1', '666', '1'],
    );
    assert.match(rd?.headers.Channel ?? '', /^PJSIP\/reina-/);
    sim.off('action', onAction);
    sim.hangup(second.linkedid);
    sim.hangup(placed.linkedid);
  });

  it('pauses and unpauses a queue member with a reason; agents only themselves', async () => {
    const queues = (await op.call('GET', '/api/v1/queues')).body as {
      name: string;
      members: { interface: string; paused: boolean; pausedReason?: string }[];
    }[];
    const q = queues.find((x) => x.members.length > 0)!;
    assert.ok(q, 'a queue with members');
    const member = q.members[0]!.interface;
    const path = `/api/v1/queues/${encodeURIComponent(q.name)}/members/${encodeURIComponent(member)}/pause`;
    const viewerTry = await viewer.call('POST', path, { paused: true });
    assert.equal(viewerTry.status, 403);
    const r = await op.call('POST', path, { paused: true, reason: 'lunch' });
    // Operators are not supervisors: they may not pause others.
    assert.equal(r.status, 403);
    const sup = await h.login('sup');
    const ok = await sup.call('POST', path, { paused: true, reason: 'lunch' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.paused, true);
    const back = await sup.call('POST', path, { paused: false });
    assert.equal(back.status, 200);
    assert.equal(back.body.paused, false);
  });

  it('answers 503 while the PBX is down and recovers when it is back', async () => {
    const link = h.server.context.pbx.links.get('pbx1')!;
    for (const s of sim.sessions) s.drop?.();
    await waitUntil(() => link.state !== 'ready', 'the link to drop', 5000).catch(() => {});
    if (link.state !== 'ready') {
      const r = await op.call('POST', '/api/v1/calls', { from: 'manuel', to: '200' });
      assert.equal(r.status, 503);
      assert.equal(r.body.error.code, 'PBX_NOT_CONNECTED');
    }
    await waitUntil(() => link.state === 'ready', 'the link to come back', 10_000);
    const health = await h.anonymous().call('GET', '/api/v1/health');
    assert.equal(health.body.pbx[0].connected, true);
  });
});
