/**
 * The gateway in front of the simulated PBX (Asterisk-shaped Originate, OriginateResponse, call events and event
 * lists): replies and OriginateResponse reach only the client that asked, with its ActionID; events reach everyone
 * allowed to read them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AmiGateway, GatewayRoom } from '../../src/feeds/index.js';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { RawAmi } from './gateway-kit.js';

describe('AMI gateway on the simulated PBX', () => {
  let sim: SimulatedPbx;
  let h: Harness;
  let gw: AmiGateway;
  const open: RawAmi[] = [];
  const client = async (user: string, secret: string) => {
    const c = await RawAmi.connect(gw.port);
    open.push(c);
    assert.equal((await c.login(user, secret)).get('Message'), 'Authentication accepted');
    return c;
  };

  before(async () => {
    sim = await SimulatedPbx.start({ seed: 3, traffic: false });
    h = await startHarness({
      pbx: [sim as unknown as FakeAmiServer],
      config: {
        gateway: {
          enabled: true,
          port: 0,
          users: [
            { name: 'dialer', secret: 'dialer-secret', read: ['call'], write: ['originate'] },
            { name: 'panel', secret: 'panel-secret', read: ['call'], write: ['system', 'reporting'] },
          ],
        },
      },
    });
    gw = (h.server.context.rooms.get('gateway') as GatewayRoom).gateway!;
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    for (const c of open) c.close();
    await h.close();
    await sim.close();
  });

  it('routes the OriginateResponse to the dialer only; the call events go to both; lists come back whole', async () => {
    const dialer = await client('dialer', 'dialer-secret');
    const panel = await client('panel', 'panel-secret');
    assert.equal(dialer.banner, panel.banner);
    dialer.send([
      ['Action', 'Originate'],
      ['ActionID', 'dial-1'],
      ['Channel', 'Local/300@sb-test'],
      ['Application', 'Wait'],
      ['Data', '4'],
      ['CallerID', '"SB Harness" <5550100>'],
      ['Async', 'true'],
    ]);
    const queued = await dialer.response('dial-1');
    assert.equal(queued.get('Response'), 'Success');
    await waitUntil(() => dialer.events('OriginateResponse').length === 1, 'OriginateResponse');
    const or = dialer.events('OriginateResponse')[0]!;
    assert.equal(or.actionId, 'dial-1');
    assert.equal(or.get('Response'), 'Success');
    await waitUntil(() => panel.events('Newchannel').length > 0, 'panel sees the call');
    panel.send([
      ['Action', 'CoreShowChannels'],
      ['ActionID', 'list-1'],
    ]);
    await waitUntil(() => panel.byId('list-1').some((m) => m.event === 'CoreShowChannelsComplete'), 'list');
    const list = panel.byId('list-1');
    assert.equal(list[0]!.get('EventList'), 'start');
    assert.ok(list.some((m) => m.event === 'CoreShowChannel'));
    assert.equal(list.at(-1)!.event, 'CoreShowChannelsComplete');
    assert.equal(dialer.byId('list-1').length, 0);
    // The panel never sees the dialer's OriginateResponse, and the dialer may not list channels.
    assert.equal(panel.events('OriginateResponse').length, 0);
    dialer.send([
      ['Action', 'CoreShowChannels'],
      ['ActionID', 'list-2'],
    ]);
    assert.equal((await dialer.response('list-2')).get('Message'), 'Permission denied');
  });
});
