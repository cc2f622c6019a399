/**
 * Replays the recorded ARI REST exchanges (current Asterisk and 13) through the typed client against the fake
 * server. The fake answers a request only if method, path, query and JSON body equal the recorded ones, so each
 * test proves both what the client sends and how it reads Asterisk's real replies.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { AriClient, AriHttpError, type AriMethod, type OriginateParams } from '../../src/ari/index.js';
import { type AriRestRecord, FakeAriServer, loadAriRestFixture } from '../../src/testing/index.js';

const ROOTS = ['test/fixtures/asterisk/ari', 'test/fixtures/asterisk-13/ari'];
const SCENARIOS = ['rest-rest-basics', 'rest-stasis-call', 'rest-ws-reconnect'];

/** Calls the typed method that corresponds to a recorded request (the untyped core for deliberate bad routes). */
function invoke(ari: AriClient, r: AriRestRecord): Promise<unknown> {
  const q = r.query;
  const p = r.path.replace(/^\/ari/, '');
  const seg = p.split('/').slice(1).map(decodeURIComponent);
  const key = `${r.method} /${seg.map((s, i) => (i === 0 ? s : s === 'variable' || s === 'answer' || s === 'play' || s === 'addChannel' ? s : ':')).join('/')}`;
  const vars = (r.body as { variables?: Record<string, string> } | null)?.variables;
  switch (key) {
    case 'GET /asterisk/:':
      return seg[1] === 'info' ? ari.asterisk.getInfo() : ari.asterisk.ping();
    case 'GET /applications':
      return ari.applications.list();
    case 'GET /applications/:':
      return ari.applications.get({ applicationName: seg[1]! });
    case 'GET /channels':
      return ari.channels.list();
    case 'GET /channels/:':
      return ari.channels.get({ channelId: seg[1]! });
    case 'GET /bridges':
      return ari.bridges.list();
    case 'GET /bridges/:':
      return ari.bridges.get({ bridgeId: seg[1]! });
    case 'GET /endpoints':
      return ari.endpoints.list();
    case 'GET /sounds':
      return ari.sounds.list(q.lang ? { lang: q.lang } : {});
    case 'GET /sounds/:':
      return ari.sounds.get({ soundId: seg[1]! });
    case 'POST /channels': {
      if (!q.endpoint || !q.app) return ari.request('POST', '/channels', { query: q });
      const params: OriginateParams = {
        endpoint: q.endpoint,
        app: q.app,
        appArgs: q.appArgs?.split(','),
        callerId: q.callerId,
        channelId: q.channelId,
        timeout: q.timeout === undefined ? undefined : Number(q.timeout),
        variables: vars,
      };
      return ari.channels.originate(params);
    }
    case 'POST /channels/:/answer':
      return ari.channels.answer({ channelId: seg[1]! });
    case 'POST /channels/:/play':
      return ari.channels.play({ channelId: seg[1]!, media: q.media!, playbackId: q.playbackId });
    case 'GET /channels/:/variable':
      return ari.channels.getChannelVar({ channelId: seg[1]!, variable: q.variable! });
    case 'POST /channels/:/variable':
      return ari.channels.setChannelVar({ channelId: seg[1]!, variable: q.variable!, value: q.value });
    case 'DELETE /channels/:':
      return ari.channels.hangup({ channelId: seg[1]! });
    case 'POST /bridges':
      return ari.bridges.create({ type: q.type, name: q.name, bridgeId: q.bridgeId });
    case 'POST /bridges/:/addChannel':
      return ari.bridges.addChannel({ bridgeId: seg[1]!, channel: q.channel!.split(',') });
    case 'DELETE /bridges/:':
      return ari.bridges.destroy({ bridgeId: seg[1]! });
    default:
      // Deliberately wrong routes/methods in the fixtures go through the untyped core.
      return ari.request(r.method as AriMethod, p, { query: q });
  }
}

for (const root of ROOTS) {
  describe(`ARI REST replay (${root})`, () => {
    let server: FakeAriServer;
    before(async () => {
      server = await new FakeAriServer({ username: 'harness', password: 'harness-secret' }).listen();
    });
    after(() => server.close());

    for (const scenario of SCENARIOS) {
      const file = `${root}/${scenario}.jsonl`;
      let records: AriRestRecord[];
      try {
        records = loadAriRestFixture(file);
      } catch {
        continue; // Asterisk 13 has no ws-reconnect scenario.
      }
      test(`${scenario}: every recorded request is sent identically and its reply read as typed`, async () => {
        server.replayRest(records);
        const ari = new AriClient({ url: server.url });
        try {
          for (const r of records.filter((x) => x.auth === 'basic harness')) {
            const before = server.requests.length;
            if (r.status >= 200 && r.status < 300) {
              const result = await invoke(ari, r);
              const expected = r.responseBody === '' ? undefined : JSON.parse(r.responseBody);
              assert.deepEqual(result, expected, `${r.method} ${r.path}`);
            } else {
              const err = await invoke(ari, r).then(
                () => assert.fail(`${r.method} ${r.path} should fail with ${r.status}`),
                (e: unknown) => e,
              );
              assert.ok(err instanceof AriHttpError, `${r.method} ${r.path}: ${String(err)}`);
              assert.equal(err.status, r.status);
              assert.equal(err.asteriskMessage, JSON.parse(r.responseBody).message);
              assert.equal(err.statusText, r.statusMessage);
            }
            assert.equal(server.requests.length, before + 1);
          }
          assert.equal(
            server.unusedReplays,
            0,
            'every recorded exchange was matched by what the client sent',
          );
        } finally {
          await ari.close();
        }
      });
    }

    test('401 replies look like the recorded ones and become ARI_UNAUTHORIZED without the password', async () => {
      const recorded = loadAriRestFixture(`${root}/rest-rest-basics.jsonl`).filter((r) => r.status === 401);
      assert.equal(recorded.length, 2);
      for (const r of recorded) {
        const auth =
          r.auth === 'none' ? undefined : `Basic ${Buffer.from('harness:wrong-pass').toString('base64')}`;
        const reply = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
          (resolve, reject) => {
            const req = http.get(
              `${server.baseUrl}/ari/asterisk/info`,
              { headers: auth ? { authorization: auth } : {} },
              (res) => {
                let body = '';
                res.on('data', (c) => {
                  body += c;
                });
                res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
              },
            );
            req.on('error', reject);
          },
        );
        const header = (name: string) => r.responseHeaders.find(([k]) => k.toLowerCase() === name)?.[1];
        assert.equal(reply.status, r.status);
        assert.equal(reply.headers['www-authenticate'], header('www-authenticate'));
        assert.equal(reply.headers['content-type'], header('content-type'));
        assert.equal(reply.body, r.responseBody);
      }
      const bad = new AriClient({ url: server.url.replace('harness-secret', 'Sup3r-S3cret') });
      try {
        const err = await bad.asterisk.getInfo().catch((e: unknown) => e);
        assert.ok(err instanceof AriHttpError);
        assert.equal(err.code, 'ARI_UNAUTHORIZED');
        assert.equal(err.asteriskMessage, 'Authentication required');
        assert.ok(!String(err.message).includes('Sup3r-S3cret'));
        assert.ok(!String(err.stack).includes('Sup3r-S3cret'));
      } finally {
        await bad.close();
      }
    });
  });
}
