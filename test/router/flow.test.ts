// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use the router's ${var} syntax
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallRouter, loadDemo } from '../../src/router/index.js';
import type { Store } from '../../src/store/index.js';
import { backends, withStore } from '../store/backends.js';
import { FakeChannel, type Responder, script } from './fake-channel.js';
import {
  type CallRequest,
  type Harness,
  inProcess,
  overAsyncAgi,
  overFastAgi,
  SATURDAY_NOON,
} from './harness.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
const ANSWERED = { 'GET VARIABLE DIALSTATUS': '200 result=1 (ANSWER)' };

const harnesses: Array<[string, Harness]> = [
  ['the fake FastAGI caller', overFastAgi],
  ['AsyncAGI through the fake AMI server', overAsyncAgi],
  ['an in-process channel', inProcess],
];

for (const backend of backends)
  for (const [how, harness] of harnesses) {
    if (harness === inProcess && backend.name !== 'sqlite') continue;
    const call = async (store: Store, request: CallRequest, respond: Responder, config = {}) => {
      const run = await harness(store, request, respond, config);
      const [log] = await store.callLog.list({ limit: 1 });
      return { ...run, log };
    };
    describe(`call flow on ${backend.name} through ${how}`, () => {
      async function demo(): Promise<Store> {
        const store = await backend.open();
        await loadDemo(store, CHEAP);
        return store;
      }

      test('authorized call: extension 33 dials 25 (2X → SIP) without a PIN', async () => {
        await withStore(demo, async (store) => {
          const { result, lines, vars, log } = await call(
            store,
            { callerId: '33', extension: '25' },
            script(ANSWERED),
          );
          assert.deepEqual(lines, [
            'SET VARIABLE ROUTER_ROUTE sip',
            'EXEC Dial SIP/25',
            'GET VARIABLE DIALSTATUS',
            'SET VARIABLE ROUTER_STATUS ANSWER',
            'SET VARIABLE ROUTER_TARGET SIP/25',
          ]);
          assert.deepEqual(vars, { ROUTER_ROUTE: 'sip', ROUTER_STATUS: 'ANSWER', ROUTER_TARGET: 'SIP/25' });
          assert.equal(result.status, 'ANSWER');
          assert.equal(log?.route, 'sip');
          assert.equal(log?.outcome, 'ANSWER');
          assert.equal(log?.caller, '33');
          assert.equal(log?.dialed, '25');
          assert.equal(log?.attempts, 0);
          assert.equal(log?.uniqueid, '1795342900.26');
        });
      });

      test('PIN right on the first attempt unlocks 3X for an unknown extension', async () => {
        await withStore(demo, async (store) => {
          const { result, lines, log } = await call(
            store,
            { callerId: '44', extension: '31' },
            script({ 'GET DATA': '200 result=123456', ...ANSWERED }),
          );
          assert.deepEqual(lines, [
            'SET VARIABLE ROUTER_ROUTE iax2',
            'ANSWER',
            'GET DATA agent-pass 5000 8',
            'EXEC Dial IAX2/31',
            'GET VARIABLE DIALSTATUS',
            'SET VARIABLE ROUTER_STATUS ANSWER',
            'SET VARIABLE ROUTER_TARGET IAX2/31',
          ]);
          assert.equal(result.user, 'moises silva');
          assert.equal(log?.userName, 'moises silva');
          assert.equal(log?.attempts, 1);
          assert.ok(!JSON.stringify(log).includes('123456'), 'the PIN is never logged');
        });
      });

      test('PIN right on the third attempt', async () => {
        await withStore(demo, async (store) => {
          const { result, lines } = await call(
            store,
            { callerId: '44', extension: '70' },
            script({ 'GET DATA': ['200 result=1111', '200 result= (timeout)', '200 result=123456'] }),
          );
          assert.deepEqual(lines, [
            'SET VARIABLE ROUTER_ROUTE conference',
            'ANSWER',
            'GET DATA agent-pass 5000 8',
            'STREAM FILE auth-incorrect ""',
            'GET DATA agent-pass 5000 8',
            'STREAM FILE auth-incorrect ""',
            'GET DATA agent-pass 5000 8',
            'EXEC ConfBridge 70',
            'SET VARIABLE ROUTER_STATUS OK',
          ]);
          assert.equal(result.attempts, 3);
          assert.equal(result.status, 'OK');
        });
      });

      test('PIN wrong three times: goodbye and hangup, DENIED', async () => {
        await withStore(demo, async (store) => {
          const { result, lines, vars, log } = await call(
            store,
            { callerId: '44', extension: '66' },
            script({ 'GET DATA': '200 result=999999' }),
          );
          assert.deepEqual(lines, [
            'SET VARIABLE ROUTER_ROUTE voicemail',
            'ANSWER',
            'GET DATA agent-pass 5000 8',
            'STREAM FILE auth-incorrect ""',
            'GET DATA agent-pass 5000 8',
            'STREAM FILE auth-incorrect ""',
            'GET DATA agent-pass 5000 8',
            'STREAM FILE auth-incorrect ""',
            'STREAM FILE vm-goodbye ""',
            'SET VARIABLE ROUTER_STATUS DENIED',
            'HANGUP',
          ]);
          assert.equal(vars.ROUTER_STATUS, 'DENIED');
          assert.equal(result.attempts, 3);
          assert.equal(log?.outcome, 'DENIED');
        });
      });

      test('a PIN of a user who does not hold the route is refused (the PSTN route has no holder)', async () => {
        await withStore(demo, async (store) => {
          const { result } = await call(
            store,
            { callerId: '44', extension: '12345678' },
            script({ 'GET DATA': '200 result=123456' }),
          );
          assert.equal(result.status, 'DENIED');
        });
      });

      test('the PIN prompt, digits, timeout, attempts and every prompt come from the configuration', async () => {
        await withStore(demo, async (store) => {
          const config = {
            prompts: {
              pin: 'custom/enter-pin',
              wrongPin: 'custom/bad-pin',
              goodbye: 'custom/bye',
              invalid: 'custom/no-such-number',
            },
            pin: { attempts: 2, maxDigits: 6, timeoutMs: 3000 },
          };
          const denied = await call(
            store,
            { callerId: '44', extension: '66' },
            script({ 'GET DATA': '200 result=999999' }),
            config,
          );
          assert.deepEqual(denied.lines, [
            'SET VARIABLE ROUTER_ROUTE voicemail',
            'ANSWER',
            'GET DATA custom/enter-pin 3000 6',
            'STREAM FILE custom/bad-pin ""',
            'GET DATA custom/enter-pin 3000 6',
            'STREAM FILE custom/bad-pin ""',
            'STREAM FILE custom/bye ""',
            'SET VARIABLE ROUTER_STATUS DENIED',
            'HANGUP',
          ]);
          assert.equal(denied.result.attempts, 2);
          assert.equal(denied.log?.attempts, 2);
          const none = await call(store, { callerId: '33', extension: '5' }, script({}), config);
          assert.deepEqual(none.lines, [
            'ANSWER',
            'STREAM FILE custom/no-such-number ""',
            'SET VARIABLE ROUTER_STATUS NOROUTE',
            'HANGUP',
          ]);
          const failed = await call(
            { ...store, rulesVersion: () => Promise.reject(new Error('connection refused')) },
            { callerId: '33', extension: '25' },
            script({}),
            { prompts: { failure: 'custom/try-later' } },
          );
          assert.deepEqual(failed.lines, [
            'ANSWER',
            'STREAM FILE custom/try-later ""',
            'SET VARIABLE ROUTER_STATUS FAILED',
          ]);
        });
      });

      test('a caller-ID route wins for matching callers only; others fall through to the general route', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.extensions.create({ number: '100' });
            await store.routes.create({
              name: 'general',
              pattern: '_2X',
              app: 'dial',
              targets: [{ template: 'SIP/${number}' }],
            });
            // A later position, but a caller-ID pattern makes it more specific for the same dial pattern.
            await store.routes.create({
              name: 'managers',
              pattern: '_2X',
              callerId: '_1XX',
              app: 'dial',
              targets: [{ template: 'PJSIP/${number}' }],
              position: 5,
            });
            for (const route of ['general', 'managers'])
              for (const extension of ['33', '100']) await store.permissions.grant({ route, extension });
            const manager = await call(store, { callerId: '100', extension: '25' }, script(ANSWERED));
            assert.deepEqual(manager.lines.slice(0, 2), [
              'SET VARIABLE ROUTER_ROUTE managers',
              'EXEC Dial PJSIP/25',
            ]);
            assert.equal(manager.log?.route, 'managers');
            const other = await call(store, { callerId: '33', extension: '25' }, script(ANSWERED));
            assert.deepEqual(other.lines.slice(0, 2), [
              'SET VARIABLE ROUTER_ROUTE general',
              'EXEC Dial SIP/25',
            ]);
            const why = await new CallRouter({ store }).resolve('25', '33', SATURDAY_NOON);
            assert.deepEqual(
              why.considered.map((c) => [c.route.name, c.verdict]),
              [
                ['managers', 'caller-id does not match'],
                ['general', 'chosen'],
              ],
            );
          },
        );
      });

      test('repeated failures lock the caller out across calls', async () => {
        await withStore(demo, async (store) => {
          const wrong = () => script({ 'GET DATA': '200 result=000000' });
          assert.equal(
            (await call(store, { callerId: '45', extension: '66' }, wrong())).result.status,
            'DENIED',
          );
          const second = await call(store, { callerId: '45', extension: '66' }, wrong());
          assert.equal(second.result.status, 'LOCKED');
          assert.equal(second.result.attempts, 2, 'the fifth failure locks');
          const third = await call(
            store,
            { callerId: '45', extension: '66' },
            script({ 'GET DATA': '200 result=123456' }),
          );
          assert.deepEqual(third.lines, [
            'SET VARIABLE ROUTER_ROUTE voicemail',
            'ANSWER',
            'STREAM FILE vm-goodbye ""',
            'SET VARIABLE ROUTER_STATUS LOCKED',
            'HANGUP',
          ]);
          // Another caller is not affected.
          assert.equal(
            (
              await call(
                store,
                { callerId: '46', extension: '66' },
                script({ 'GET DATA': '200 result=123456' }),
              )
            ).result.status,
            'OK',
          );
        });
      });

      test('no route: invalid-number prompt and hangup', async () => {
        await withStore(demo, async (store) => {
          const { result, lines, log } = await call(store, { callerId: '33', extension: '5' }, script({}));
          assert.deepEqual(lines, [
            'ANSWER',
            'STREAM FILE ss-noservice ""',
            'SET VARIABLE ROUTER_STATUS NOROUTE',
            'HANGUP',
          ]);
          assert.equal(result.route, null);
          assert.equal(log?.outcome, 'NOROUTE');
        });
      });

      test('database failure: technical-failure prompt, FAILED, the dialplan goes on', async () => {
        await withStore(demo, async (store) => {
          const broken: Store = {
            ...store,
            rulesVersion: () => Promise.reject(new Error('connection refused')),
          };
          const { result, lines, log } = await call(broken, { callerId: '33', extension: '25' }, script({}));
          assert.deepEqual(lines, [
            'ANSWER',
            'STREAM FILE an-error-has-occured ""',
            'SET VARIABLE ROUTER_STATUS FAILED',
          ]);
          assert.equal(result.status, 'FAILED');
          assert.match(result.detail ?? '', /connection refused/);
          assert.equal(log?.outcome, 'FAILED');
        });
      });

      test('a closed database still ends the call with the failure prompt', async () => {
        const store = await demo();
        await store.close();
        const router = new CallRouter({ store });
        const channel = new FakeChannel({ callerId: '33', extension: '25' }, script({}));
        const result = await router.handle(channel);
        assert.equal(result.status, 'FAILED');
        assert.deepEqual(channel.lines, [
          'ANSWER',
          'STREAM FILE an-error-has-occured ""',
          'SET VARIABLE ROUTER_STATUS FAILED',
        ]);
      });

      test('caller hangs up during the PIN prompt: the flow ends and is logged', async () => {
        await withStore(demo, async (store) => {
          const { result, lines, log } = await call(
            store,
            { callerId: '44', extension: '31' },
            script({ 'GET DATA': 'HANGUP' }),
          );
          // AsyncAGI: the hangup ends the channel (AsyncAGIEnd), so no variable can be set afterwards.
          // FastAGI: SET VARIABLE is dead-safe and still reaches the channel.
          const tail = harness === overAsyncAgi ? [] : ['SET VARIABLE ROUTER_STATUS HANGUP'];
          assert.deepEqual(lines, [
            'SET VARIABLE ROUTER_ROUTE iax2',
            'ANSWER',
            'GET DATA agent-pass 5000 8',
            ...tail,
          ]);
          assert.equal(result.status, 'HANGUP');
          assert.equal(log?.outcome, 'HANGUP');
          assert.equal(log?.attempts, 1);
        });
      });

      test('caller hangs up during the Dial: no further target is tried, the call is still logged', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'trunk',
              pattern: '_0X.',
              app: 'dial',
              targets: [{ template: 'A/${number}' }, { template: 'B/${number}' }],
            });
            await store.permissions.grant({ route: 'trunk', extension: '33' });
            const { result, lines, log } = await call(
              store,
              { callerId: '33', extension: '012' },
              script({ 'EXEC Dial': 'HANGUP', 'GET VARIABLE DIALSTATUS': '200 result=1 (CANCEL)' }),
            );
            // FastAGI: Asterisk answers the EXEC `-1`, then reports the hangup (the EXEC rejects as a hangup);
            // DIALSTATUS (dead-safe) still says CANCEL. AsyncAGI ends the channel at once: the flow ends as HANGUP.
            const [status, tail] =
              harness === overAsyncAgi
                ? ['HANGUP', []]
                : [
                    'CANCEL',
                    [
                      'GET VARIABLE DIALSTATUS',
                      'SET VARIABLE ROUTER_STATUS CANCEL',
                      'SET VARIABLE ROUTER_TARGET A/012',
                    ],
                  ];
            assert.deepEqual(lines, ['SET VARIABLE ROUTER_ROUTE trunk', 'EXEC Dial A/012', ...tail]);
            assert.ok(!lines.includes('EXEC Dial B/012'), 'no second target for a caller who is gone');
            assert.equal(result.status, status);
            assert.equal(log?.outcome, status);
            assert.equal(log?.route, 'trunk');
          },
        );
      });

      test('time window closed: the night route takes over', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'office',
              pattern: '_2X',
              app: 'dial',
              targets: [{ template: 'PJSIP/${number}' }],
              windows: [
                { weekdays: 'mon-fri', startTime: '08:00', endTime: '18:00', timezone: 'Europe/Madrid' },
              ],
            });
            await store.routes.create({ name: 'night', pattern: '_2X', app: 'voicemail', position: 1 });
            await store.permissions.grant({ route: 'office', extension: '33' });
            await store.permissions.grant({ route: 'night', extension: '33' });
            const { lines } = await call(store, { callerId: '33', extension: '21' }, script({}));
            assert.deepEqual(lines, [
              'SET VARIABLE ROUTER_ROUTE night',
              'EXEC VoiceMail 21@default',
              'SET VARIABLE ROUTER_STATUS OK',
            ]);
          },
        );
      });

      test('failover: CHANUNAVAIL on the first target dials the second', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'trunk',
              pattern: '_0X.',
              app: 'dial',
              appData: { timeout: 30 },
              rewriteStrip: 1,
              rewritePrepend: '+34',
              targets: [
                { template: 'PJSIP/${number}@trunk1', options: 'tT' },
                { template: 'IAX2/backup/${number}' },
              ],
            });
            await store.permissions.grant({ route: 'trunk', extension: '33' });
            const { result, lines, vars } = await call(
              store,
              { callerId: '33', extension: '0911' },
              script({ 'GET VARIABLE DIALSTATUS': ['200 result=1 (CHANUNAVAIL)', '200 result=1 (ANSWER)'] }),
            );
            assert.deepEqual(lines, [
              'SET VARIABLE ROUTER_ROUTE trunk',
              'EXEC Dial PJSIP/+34911@trunk1,30,tT',
              'GET VARIABLE DIALSTATUS',
              'EXEC Dial IAX2/backup/+34911,30',
              'GET VARIABLE DIALSTATUS',
              'SET VARIABLE ROUTER_STATUS ANSWER',
              'SET VARIABLE ROUTER_TARGET IAX2/backup/+34911',
            ]);
            assert.equal(vars.ROUTER_TARGET, 'IAX2/backup/+34911');
            assert.equal(result.target, 'IAX2/backup/+34911');
          },
        );
      });

      test('failover stops on BUSY and follows hangup causes when configured', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'trunk',
              pattern: '_0X.',
              app: 'dial',
              failoverOn: ['CONGESTION', 'cause:34'],
              targets: [
                { template: 'A/${number}' },
                { template: 'B/${number}' },
                { template: 'C/${number}' },
              ],
            });
            await store.permissions.grant({ route: 'trunk', extension: '33' });
            const busy = await call(
              store,
              { callerId: '33', extension: '012' },
              script({ 'GET VARIABLE DIALSTATUS': '200 result=1 (BUSY)' }),
            );
            assert.equal(busy.result.target, 'A/012');
            assert.equal(busy.result.status, 'BUSY');
            const cause = await call(
              store,
              { callerId: '33', extension: '012' },
              script({
                'GET VARIABLE DIALSTATUS': ['200 result=1 (CHANUNAVAIL)', '200 result=1 (NOANSWER)'],
                'GET VARIABLE HANGUPCAUSE': ['200 result=1 (34)', '200 result=1 (19)'],
              }),
            );
            assert.equal(cause.result.target, 'B/012');
            assert.equal(cause.result.status, 'NOANSWER');
          },
        );
      });

      test('s entry extension: the dialed number comes from the DNID (or a configured variable)', async () => {
        await withStore(demo, async (store) => {
          const dnid = await call(store, { callerId: '33', extension: 's', dnid: '25' }, script(ANSWERED));
          assert.equal(dnid.lines[0], 'SET VARIABLE ROUTER_ROUTE sip');
          assert.equal(dnid.result.dialed, '25');
          const byVar = await call(
            store,
            { callerId: '33', extension: 's', dnid: '99' },
            script({ 'GET VARIABLE TARGET_NUMBER': '200 result=1 (26)', ...ANSWERED }),
            { dialedVariable: 'TARGET_NUMBER' },
          );
          assert.deepEqual(byVar.lines.slice(0, 3), [
            'GET VARIABLE TARGET_NUMBER',
            'SET VARIABLE ROUTER_ROUTE sip',
            'EXEC Dial SIP/26',
          ]);
        });
      });

      test('bad rule data fails safely with the technical-failure prompt', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'broken',
              pattern: '_4X',
              app: 'gosub',
              appData: '{"context": 5}',
            });
            await store.permissions.grant({ route: 'broken', extension: '33' });
            const { result, lines } = await call(store, { callerId: '33', extension: '41' }, script({}));
            assert.equal(result.status, 'FAILED');
            assert.match(result.detail ?? '', /broken: gosub data: context/);
            assert.deepEqual(lines, [
              'SET VARIABLE ROUTER_ROUTE broken',
              'ANSWER',
              'STREAM FILE an-error-has-occured ""',
              'SET VARIABLE ROUTER_STATUS FAILED',
            ]);
          },
        );
      });

      test('a handler error (the application does not exist) fails safely with the technical-failure prompt', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'x',
              pattern: '_85',
              app: 'custom',
              appData: { app: 'NoSuchApp' },
            });
            await store.permissions.grant({ route: 'x', extension: '33' });
            const { result, lines, vars, log } = await call(
              store,
              { callerId: '33', extension: '85' },
              script({ 'EXEC NoSuchApp': '200 result=-2' }),
            );
            assert.deepEqual(lines, [
              'SET VARIABLE ROUTER_ROUTE x',
              'EXEC NoSuchApp',
              'ANSWER',
              'STREAM FILE an-error-has-occured ""',
              'SET VARIABLE ROUTER_STATUS FAILED',
            ]);
            assert.equal(vars.ROUTER_STATUS, 'FAILED');
            assert.match(result.detail ?? '', /application not found/);
            assert.equal(log?.outcome, 'FAILED');
            assert.equal(log?.route, 'x');
          },
        );
      });

      test('a dialed number that would inject Dial syntax is refused', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            await store.routes.create({
              name: 'any',
              pattern: '_X.',
              app: 'dial',
              targets: [{ template: 'PJSIP/${number}' }],
            });
            await store.permissions.grant({ route: 'any', extension: '33' });
            const { result, lines } = await call(
              store,
              { callerId: '33', extension: '1&DAHDI/g1/0900' },
              script({}),
            );
            assert.equal(result.status, 'FAILED');
            assert.ok(!lines.some((l) => l.startsWith('EXEC Dial')));
          },
        );
      });

      test('other applications: busy, hangup with cause, playback, gosub, custom', async () => {
        await withStore(
          () => backend.open(),
          async (store) => {
            await store.extensions.create({ number: '33' });
            const routes = [
              { name: 'b', pattern: '_80', app: 'busy', appData: { timeout: 5 } },
              { name: 'c', pattern: '_81', app: 'congestion' },
              { name: 'h', pattern: '_82', app: 'hangup', appData: { cause: 21 } },
              { name: 'p', pattern: '_83', app: 'playback', appData: { prompt: 'tt-monkeys&beep' } },
              {
                name: 'g',
                pattern: '_84',
                app: 'gosub',
                appData: { context: 'sub-x', args: ['${caller}', 'y'] },
              },
              { name: 'x', pattern: '_85', app: 'custom', appData: { app: 'Queue', args: 'ventas,,,,20' } },
            ];
            for (const r of routes) {
              await store.routes.create(r);
              await store.permissions.grant({ route: r.name, extension: '33' });
            }
            const second = async (ext: string) =>
              (await call(store, { callerId: '33', extension: ext }, script({}))).lines[1];
            assert.equal(await second('80'), 'EXEC Busy 5');
            assert.equal(await second('81'), 'EXEC Congestion');
            assert.equal(await second('82'), 'EXEC Hangup 21');
            assert.equal(await second('83'), 'EXEC Playback tt-monkeys&beep');
            assert.equal(await second('84'), 'GOSUB sub-x 84 1 33,y');
            assert.equal(await second('85'), 'EXEC Queue ventas,,,,20');
          },
        );
      });
    });
  }
