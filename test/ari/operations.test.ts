/**
 * Every typed REST operation sends the method, path, query and body that Asterisk's ARI expects
 * (the list of §6.2 of the protocol notes), checked against a catch-all route of the fake server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { AriClient, encodeQuery } from '../../src/ari/index.js';
import { type FakeAriRequest, FakeAriServer } from '../../src/testing/index.js';

type Call = (ari: AriClient) => Promise<unknown>;
type Expect = [string, string, Record<string, string>?, unknown?];

const V = { A: '1' };
const CASES: Array<[string, Call, Expect]> = [
  // asterisk
  [
    'getInfo',
    (a) => a.asterisk.getInfo({ only: ['build', 'status'] }),
    ['GET', '/asterisk/info', { only: 'build,status' }],
  ],
  ['ping', (a) => a.asterisk.ping(), ['GET', '/asterisk/ping']],
  ['listModules', (a) => a.asterisk.listModules(), ['GET', '/asterisk/modules']],
  [
    'getModule',
    (a) => a.asterisk.getModule({ moduleName: 'res_ari.so' }),
    ['GET', '/asterisk/modules/res_ari.so'],
  ],
  ['loadModule', (a) => a.asterisk.loadModule({ moduleName: 'm' }), ['POST', '/asterisk/modules/m']],
  ['unloadModule', (a) => a.asterisk.unloadModule({ moduleName: 'm' }), ['DELETE', '/asterisk/modules/m']],
  ['reloadModule', (a) => a.asterisk.reloadModule({ moduleName: 'm' }), ['PUT', '/asterisk/modules/m']],
  ['listLogChannels', (a) => a.asterisk.listLogChannels(), ['GET', '/asterisk/logging']],
  [
    'addLog',
    (a) => a.asterisk.addLog({ logChannelName: 'sb', configuration: 'notice,warning' }),
    ['POST', '/asterisk/logging/sb', { configuration: 'notice,warning' }],
  ],
  ['deleteLog', (a) => a.asterisk.deleteLog({ logChannelName: 'sb' }), ['DELETE', '/asterisk/logging/sb']],
  [
    'rotateLog',
    (a) => a.asterisk.rotateLog({ logChannelName: 'sb' }),
    ['PUT', '/asterisk/logging/sb/rotate'],
  ],
  [
    'getGlobalVar',
    (a) => a.asterisk.getGlobalVar({ variable: 'G' }),
    ['GET', '/asterisk/variable', { variable: 'G' }],
  ],
  [
    'setGlobalVar',
    (a) => a.asterisk.setGlobalVar({ variable: 'G', value: 'v' }),
    ['POST', '/asterisk/variable', { variable: 'G', value: 'v' }],
  ],
  [
    'getObject',
    (a) => a.asterisk.getObject({ configClass: 'res_pjsip', objectType: 'endpoint', id: 'alice' }),
    ['GET', '/asterisk/config/dynamic/res_pjsip/endpoint/alice'],
  ],
  [
    'updateObject',
    (a) =>
      a.asterisk.updateObject({
        configClass: 'res_pjsip',
        objectType: 'endpoint',
        id: 'alice',
        fields: [{ attribute: 'allow', value: 'ulaw' }],
      }),
    [
      'PUT',
      '/asterisk/config/dynamic/res_pjsip/endpoint/alice',
      {},
      { fields: [{ attribute: 'allow', value: 'ulaw' }] },
    ],
  ],
  [
    'deleteObject',
    (a) => a.asterisk.deleteObject({ configClass: 'c', objectType: 't', id: 'i' }),
    ['DELETE', '/asterisk/config/dynamic/c/t/i'],
  ],
  // applications
  ['applications.list', (a) => a.applications.list(), ['GET', '/applications']],
  ['applications.get', (a) => a.applications.get({ applicationName: 'ivr' }), ['GET', '/applications/ivr']],
  [
    'subscribe',
    (a) =>
      a.applications.subscribe({
        applicationName: 'ivr',
        eventSource: ['channel:1', 'endpoint:PJSIP/alice'],
      }),
    ['POST', '/applications/ivr/subscription', { eventSource: 'channel:1,endpoint:PJSIP/alice' }],
  ],
  [
    'unsubscribe',
    (a) => a.applications.unsubscribe({ applicationName: 'ivr', eventSource: 'bridge:b' }),
    ['DELETE', '/applications/ivr/subscription', { eventSource: 'bridge:b' }],
  ],
  [
    'filter',
    (a) => a.applications.filter({ applicationName: 'ivr', filter: { allowed: [{ type: 'StasisStart' }] } }),
    ['PUT', '/applications/ivr/eventFilter', {}, { allowed: [{ type: 'StasisStart' }] }],
  ],
  // channels
  ['channels.list', (a) => a.channels.list(), ['GET', '/channels']],
  [
    'originate',
    (a) =>
      a.channels.originate({
        endpoint: 'PJSIP/a',
        extension: '100',
        context: 'c',
        priority: 1,
        variables: V,
      }),
    [
      'POST',
      '/channels',
      { endpoint: 'PJSIP/a', extension: '100', context: 'c', priority: '1' },
      { variables: V },
    ],
  ],
  [
    'originateWithId',
    (a) => a.channels.originateWithId({ channelId: 'id1', endpoint: 'PJSIP/a', app: 'x' }),
    ['POST', '/channels/id1', { endpoint: 'PJSIP/a', app: 'x' }],
  ],
  [
    'create',
    (a) => a.channels.create({ endpoint: 'PJSIP/a', app: 'x', formats: ['ulaw', 'alaw'] }),
    ['POST', '/channels/create', { endpoint: 'PJSIP/a', app: 'x', formats: 'ulaw,alaw' }],
  ],
  ['channels.get', (a) => a.channels.get({ channelId: 'c' }), ['GET', '/channels/c']],
  [
    'hangup',
    (a) => a.channels.hangup({ channelId: 'c', reason: 'busy' }),
    ['DELETE', '/channels/c', { reason: 'busy' }],
  ],
  [
    'continueInDialplan',
    (a) => a.channels.continueInDialplan({ channelId: 'c', context: 'x', extension: 's', priority: 2 }),
    ['POST', '/channels/c/continue', { context: 'x', extension: 's', priority: '2' }],
  ],
  [
    'move',
    (a) => a.channels.move({ channelId: 'c', app: 'other', appArgs: ['1'] }),
    ['POST', '/channels/c/move', { app: 'other', appArgs: '1' }],
  ],
  [
    'redirect',
    (a) => a.channels.redirect({ channelId: 'c', endpoint: 'PJSIP/b' }),
    ['POST', '/channels/c/redirect', { endpoint: 'PJSIP/b' }],
  ],
  ['answer', (a) => a.channels.answer({ channelId: 'c' }), ['POST', '/channels/c/answer']],
  ['ring', (a) => a.channels.ring({ channelId: 'c' }), ['POST', '/channels/c/ring']],
  ['ringStop', (a) => a.channels.ringStop({ channelId: 'c' }), ['DELETE', '/channels/c/ring']],
  ['progress', (a) => a.channels.progress({ channelId: 'c' }), ['POST', '/channels/c/progress']],
  [
    'sendDTMF',
    (a) => a.channels.sendDTMF({ channelId: 'c', dtmf: '12#', between: 200 }),
    ['POST', '/channels/c/dtmf', { dtmf: '12#', between: '200' }],
  ],
  [
    'mute',
    (a) => a.channels.mute({ channelId: 'c', direction: 'in' }),
    ['POST', '/channels/c/mute', { direction: 'in' }],
  ],
  ['unmute', (a) => a.channels.unmute({ channelId: 'c' }), ['DELETE', '/channels/c/mute']],
  ['hold', (a) => a.channels.hold({ channelId: 'c' }), ['POST', '/channels/c/hold']],
  ['unhold', (a) => a.channels.unhold({ channelId: 'c' }), ['DELETE', '/channels/c/hold']],
  [
    'startMoh',
    (a) => a.channels.startMoh({ channelId: 'c', mohClass: 'default' }),
    ['POST', '/channels/c/moh', { mohClass: 'default' }],
  ],
  ['stopMoh', (a) => a.channels.stopMoh({ channelId: 'c' }), ['DELETE', '/channels/c/moh']],
  ['startSilence', (a) => a.channels.startSilence({ channelId: 'c' }), ['POST', '/channels/c/silence']],
  ['stopSilence', (a) => a.channels.stopSilence({ channelId: 'c' }), ['DELETE', '/channels/c/silence']],
  [
    'play',
    (a) => a.channels.play({ channelId: 'c', media: ['sound:a', 'digits:12'], lang: 'es' }),
    ['POST', '/channels/c/play', { media: 'sound:a,digits:12', lang: 'es' }],
  ],
  [
    'playWithId',
    (a) => a.channels.playWithId({ channelId: 'c', playbackId: 'p', media: 'tone:ring' }),
    ['POST', '/channels/c/play/p', { media: 'tone:ring' }],
  ],
  [
    'record',
    (a) => a.channels.record({ channelId: 'c', name: 'r', format: 'wav', beep: true, terminateOn: '#' }),
    ['POST', '/channels/c/record', { name: 'r', format: 'wav', beep: 'true', terminateOn: '#' }],
  ],
  [
    'getChannelVar',
    (a) => a.channels.getChannelVar({ channelId: 'c', variable: 'V' }),
    ['GET', '/channels/c/variable', { variable: 'V' }],
  ],
  [
    'setChannelVar',
    (a) => a.channels.setChannelVar({ channelId: 'c', variable: 'V', value: '' }),
    ['POST', '/channels/c/variable', { variable: 'V', value: '' }],
  ],
  [
    'getChannelVars',
    (a) => a.channels.getChannelVars({ channelId: 'c', variables: ['A', 'B'] }),
    ['GET', '/channels/c/variables', { variables: 'A,B' }],
  ],
  [
    'setChannelVars',
    (a) => a.channels.setChannelVars({ channelId: 'c', variables: V }),
    ['POST', '/channels/c/variables', {}, { variables: V }],
  ],
  [
    'snoopChannel',
    (a) => a.channels.snoopChannel({ channelId: 'c', app: 'spy', spy: 'both' }),
    ['POST', '/channels/c/snoop', { app: 'spy', spy: 'both' }],
  ],
  [
    'snoopChannelWithId',
    (a) => a.channels.snoopChannel({ channelId: 'c', app: 'spy', snoopId: 's1' }),
    ['POST', '/channels/c/snoop/s1', { app: 'spy' }],
  ],
  [
    'dial',
    (a) => a.channels.dial({ channelId: 'c', timeout: 20 }),
    ['POST', '/channels/c/dial', { timeout: '20' }],
  ],
  [
    'rtpstatistics',
    (a) => a.channels.rtpstatistics({ channelId: 'c' }),
    ['GET', '/channels/c/rtp_statistics'],
  ],
  [
    'externalMedia',
    (a) => a.channels.externalMedia({ app: 'x', format: 'ulaw', external_host: '127.0.0.1:4000' }),
    ['POST', '/channels/externalMedia', { app: 'x', format: 'ulaw', external_host: '127.0.0.1:4000' }],
  ],
  [
    'transferProgress',
    (a) => a.channels.transferProgress({ channelId: 'c', states: 'channel_answered' }),
    ['POST', '/channels/c/transfer_progress', { states: 'channel_answered' }],
  ],
  // bridges
  ['bridges.list', (a) => a.bridges.list(), ['GET', '/bridges']],
  [
    'bridges.create',
    (a) => a.bridges.create({ type: ['mixing', 'dtmf_events'] }),
    ['POST', '/bridges', { type: 'mixing,dtmf_events' }],
  ],
  [
    'createWithId',
    (a) => a.bridges.createWithId({ bridgeId: 'b', name: 'n' }),
    ['POST', '/bridges/b', { name: 'n' }],
  ],
  ['bridges.get', (a) => a.bridges.get({ bridgeId: 'b' }), ['GET', '/bridges/b']],
  ['destroy', (a) => a.bridges.destroy({ bridgeId: 'b' }), ['DELETE', '/bridges/b']],
  [
    'addChannel',
    (a) =>
      a.bridges.addChannel({ bridgeId: 'b', channel: ['c1', 'c2'], role: 'participant', absorbDTMF: false }),
    ['POST', '/bridges/b/addChannel', { channel: 'c1,c2', role: 'participant', absorbDTMF: 'false' }],
  ],
  [
    'removeChannel',
    (a) => a.bridges.removeChannel({ bridgeId: 'b', channel: 'c1' }),
    ['POST', '/bridges/b/removeChannel', { channel: 'c1' }],
  ],
  [
    'setVideoSource',
    (a) => a.bridges.setVideoSource({ bridgeId: 'b', channelId: 'c' }),
    ['POST', '/bridges/b/videoSource/c'],
  ],
  [
    'clearVideoSource',
    (a) => a.bridges.clearVideoSource({ bridgeId: 'b' }),
    ['DELETE', '/bridges/b/videoSource'],
  ],
  ['bridges.startMoh', (a) => a.bridges.startMoh({ bridgeId: 'b' }), ['POST', '/bridges/b/moh']],
  ['bridges.stopMoh', (a) => a.bridges.stopMoh({ bridgeId: 'b' }), ['DELETE', '/bridges/b/moh']],
  [
    'bridges.play',
    (a) => a.bridges.play({ bridgeId: 'b', media: 'sound:x' }),
    ['POST', '/bridges/b/play', { media: 'sound:x' }],
  ],
  [
    'bridges.playWithId',
    (a) => a.bridges.playWithId({ bridgeId: 'b', playbackId: 'p', media: 'sound:x' }),
    ['POST', '/bridges/b/play/p', { media: 'sound:x' }],
  ],
  [
    'bridges.record',
    (a) => a.bridges.record({ bridgeId: 'b', name: 'r', format: 'wav' }),
    ['POST', '/bridges/b/record', { name: 'r', format: 'wav' }],
  ],
  [
    'getBridgeVar',
    (a) => a.bridges.getBridgeVar({ bridgeId: 'b', variable: 'V' }),
    ['GET', '/bridges/b/variable', { variable: 'V' }],
  ],
  [
    'setBridgeVar',
    (a) => a.bridges.setBridgeVar({ bridgeId: 'b', variable: 'V', value: 'x' }),
    ['POST', '/bridges/b/variable', { variable: 'V', value: 'x' }],
  ],
  // deviceStates
  ['deviceStates.list', (a) => a.deviceStates.list(), ['GET', '/deviceStates']],
  [
    'deviceStates.get',
    (a) => a.deviceStates.get({ deviceName: 'Stasis:lamp' }),
    ['GET', '/deviceStates/Stasis%3Alamp'],
  ],
  [
    'deviceStates.update',
    (a) => a.deviceStates.update({ deviceName: 'Stasis:lamp', deviceState: 'INUSE' }),
    ['PUT', '/deviceStates/Stasis%3Alamp', { deviceState: 'INUSE' }],
  ],
  [
    'deviceStates.delete',
    (a) => a.deviceStates.delete({ deviceName: 'Stasis:lamp' }),
    ['DELETE', '/deviceStates/Stasis%3Alamp'],
  ],
  // endpoints
  ['endpoints.list', (a) => a.endpoints.list(), ['GET', '/endpoints']],
  ['listByTech', (a) => a.endpoints.listByTech({ tech: 'PJSIP' }), ['GET', '/endpoints/PJSIP']],
  [
    'endpoints.get',
    (a) => a.endpoints.get({ tech: 'PJSIP', resource: 'alice' }),
    ['GET', '/endpoints/PJSIP/alice'],
  ],
  [
    'sendMessage',
    (a) => a.endpoints.sendMessage({ to: 'pjsip:alice', from: 'sb', body: 'hi', variables: V }),
    ['PUT', '/endpoints/sendMessage', { to: 'pjsip:alice', from: 'sb', body: 'hi' }, { variables: V }],
  ],
  [
    'sendMessageToEndpoint',
    (a) => a.endpoints.sendMessageToEndpoint({ tech: 'PJSIP', resource: 'alice', from: 'sb' }),
    ['PUT', '/endpoints/PJSIP/alice/sendMessage', { from: 'sb' }],
  ],
  [
    'refer',
    (a) => a.endpoints.refer({ to: 'pjsip:a', from: 'sb', refer_to: 'sip:b@x' }),
    ['POST', '/endpoints/refer', { to: 'pjsip:a', from: 'sb', refer_to: 'sip:b@x' }],
  ],
  [
    'referToEndpoint',
    (a) => a.endpoints.referToEndpoint({ tech: 'PJSIP', resource: 'a', from: 'sb', refer_to: 'sip:b@x' }),
    ['POST', '/endpoints/PJSIP/a/refer', { from: 'sb', refer_to: 'sip:b@x' }],
  ],
  // events
  [
    'userEvent',
    (a) => a.events.userEvent({ eventName: 'Ping', application: 'ivr', source: ['channel:c'], variables: V }),
    ['POST', '/events/user/Ping', { application: 'ivr', source: 'channel:c' }, { variables: V }],
  ],
  [
    'claim',
    (a) => a.events.claim({ channelId: 'c', application: 'ivr' }),
    ['POST', '/events/claim', { channelId: 'c', application: 'ivr' }],
  ],
  // mailboxes
  ['mailboxes.list', (a) => a.mailboxes.list(), ['GET', '/mailboxes']],
  [
    'mailboxes.get',
    (a) => a.mailboxes.get({ mailboxName: '100@default' }),
    ['GET', '/mailboxes/100%40default'],
  ],
  [
    'mailboxes.update',
    (a) => a.mailboxes.update({ mailboxName: 'm', oldMessages: 1, newMessages: 2 }),
    ['PUT', '/mailboxes/m', { oldMessages: '1', newMessages: '2' }],
  ],
  ['mailboxes.delete', (a) => a.mailboxes.delete({ mailboxName: 'm' }), ['DELETE', '/mailboxes/m']],
  // playbacks
  ['playbacks.get', (a) => a.playbacks.get({ playbackId: 'p' }), ['GET', '/playbacks/p']],
  ['playbacks.stop', (a) => a.playbacks.stop({ playbackId: 'p' }), ['DELETE', '/playbacks/p']],
  [
    'playbacks.control',
    (a) => a.playbacks.control({ playbackId: 'p', operation: 'pause' }),
    ['POST', '/playbacks/p/control', { operation: 'pause' }],
  ],
  // recordings
  ['listStored', (a) => a.recordings.listStored(), ['GET', '/recordings/stored']],
  ['getStored', (a) => a.recordings.getStored({ recordingName: 'r' }), ['GET', '/recordings/stored/r']],
  [
    'deleteStored',
    (a) => a.recordings.deleteStored({ recordingName: 'r' }),
    ['DELETE', '/recordings/stored/r'],
  ],
  [
    'getStoredFile',
    (a) => a.recordings.getStoredFile({ recordingName: 'r' }).then((f) => f.stream.resume()),
    ['GET', '/recordings/stored/r/file'],
  ],
  [
    'copyStored',
    (a) => a.recordings.copyStored({ recordingName: 'r', destinationRecordingName: 'r2' }),
    ['POST', '/recordings/stored/r/copy', { destinationRecordingName: 'r2' }],
  ],
  ['getLive', (a) => a.recordings.getLive({ recordingName: 'r' }), ['GET', '/recordings/live/r']],
  ['cancel', (a) => a.recordings.cancel({ recordingName: 'r' }), ['DELETE', '/recordings/live/r']],
  ['stop', (a) => a.recordings.stop({ recordingName: 'r' }), ['POST', '/recordings/live/r/stop']],
  ['pause', (a) => a.recordings.pause({ recordingName: 'r' }), ['POST', '/recordings/live/r/pause']],
  ['unpause', (a) => a.recordings.unpause({ recordingName: 'r' }), ['DELETE', '/recordings/live/r/pause']],
  ['recordings.mute', (a) => a.recordings.mute({ recordingName: 'r' }), ['POST', '/recordings/live/r/mute']],
  [
    'recordings.unmute',
    (a) => a.recordings.unmute({ recordingName: 'r' }),
    ['DELETE', '/recordings/live/r/mute'],
  ],
  // sounds
  [
    'sounds.list',
    (a) => a.sounds.list({ lang: 'en', format: 'gsm' }),
    ['GET', '/sounds', { lang: 'en', format: 'gsm' }],
  ],
  ['sounds.get', (a) => a.sounds.get({ soundId: 'beep' }), ['GET', '/sounds/beep']],
];

describe('every ARI operation', () => {
  let server: FakeAriServer;
  let ari: AriClient;
  let seen: FakeAriRequest | undefined;
  before(async () => {
    server = await new FakeAriServer().listen();
    // Catch-all: record what arrived and answer 200 with an empty object.
    const record = (req: FakeAriRequest) => {
      seen = req;
      return { status: 200, body: {} };
    };
    for (const m of ['GET', 'POST', 'PUT', 'DELETE']) {
      for (const pattern of [
        '/:a',
        '/:a/:b',
        '/:a/:b/:c',
        '/:a/:b/:c/:d',
        '/:a/:b/:c/:d/:e',
        '/:a/:b/:c/:d/:e/:f',
      ]) {
        server.route(m, pattern, record);
      }
    }
    ari = new AriClient({ url: server.url });
  });
  after(async () => {
    await ari.close();
    await server.close();
  });

  test(`${CASES.length} operations map to Asterisk's method, path, query and body`, async () => {
    const names = new Set<string>();
    for (const [name, call, [method, path, query = {}, body]] of CASES) {
      assert.ok(!names.has(name), `duplicate case ${name}`);
      names.add(name);
      seen = undefined;
      await call(ari);
      const got = seen as FakeAriRequest | undefined;
      assert.ok(got, name);
      assert.equal(got.method, method, name);
      assert.equal(got.path, path, name);
      assert.deepEqual(got.query, query, name);
      assert.deepEqual(got.body, body, name);
    }
  });

  test('query encoding survives any value (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        (q) => {
          const text = encodeQuery(q);
          assert.ok(!/[\r\n ]/.test(text));
          const back = Object.fromEntries(new URLSearchParams(text.slice(1)));
          assert.deepEqual(back, Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])));
        },
      ),
    );
  });
});
