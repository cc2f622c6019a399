/**
 * Click-to-dial over real sockets against a fake Asterisk that plays back `asterisk/ami/sip-click-to-dial`:
 * the Originate, the AsyncAGI commands (exactly the recorded ones) and the caller IDs of both legs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import type { PbxChannel } from '../../src/pbx/index.js';
import { FakeAmiServer, type FakeAmiSession } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from './harness.js';

const raw = readFileSync(new URL('../fixtures/asterisk/ami/sip-click-to-dial.raw', import.meta.url));

/** The recorded events after the login, in order. */
function recordedEvents(): AmiMessage[] {
  const out: AmiMessage[] = [];
  const p = new AmiParser({
    onMessage: (m) => {
      if (m.kind === 'event') out.push(m);
    },
  });
  p.push(raw);
  return out.filter((m) => !['FullyBooted', 'SuccessfulAuth'].includes(m.get('Event') ?? ''));
}

/** Emits recorded events with a header patch (ActionID, CommandId, Env) applied. */
function emit(session: FakeAmiSession, m: AmiMessage, patch: Record<string, string> = {}): void {
  session.emit(m.headers.map(([k, v]) => [k, patch[k] ?? v] as const));
}

describe('click-to-dial (recorded sip-click-to-dial)', () => {
  let h: Harness;
  let fake: FakeAmiServer;
  const agi: string[] = [];
  let originate: AmiMessage | undefined;

  before(async () => {
    const events = recordedEvents();
    let cursor = 0;
    // Plays events up to and including the first one `stop` accepts.
    const playUntil = (
      s: FakeAmiSession,
      stop: (m: AmiMessage) => boolean,
      patch: (m: AmiMessage) => Record<string, string>,
    ) => {
      while (cursor < events.length) {
        const m = events[cursor++]!;
        emit(s, m, patch(m));
        if (stop(m)) return;
      }
    };
    let originateId = '';
    let argId = '';
    fake = await FakeAmiServer.start({
      handlers: {
        Originate: (action, session) => {
          originate = action;
          originateId = action.actionId ?? '';
          argId = /switchboard-c2d,(.*)$/.exec(action.get('Data') ?? '')?.[1] ?? '';
          setTimeout(
            () =>
              playUntil(
                session,
                (m) => m.get('Event') === 'AsyncAGIStart',
                (m): Record<string, string> => {
                  if (m.get('Event') === 'OriginateResponse') return { ActionID: originateId };
                  if (m.get('Event') === 'AsyncAGIStart') {
                    // The recorded Env, plus the arguments of our AGI(agi:async,switchboard-c2d,<id>).
                    const env = m
                      .get('Env')!
                      .replace('%0A%0A', `%0Aagi_arg_1%3A%20switchboard-c2d%0Aagi_arg_2%3A%20${argId}%0A%0A`);
                    return { Env: env };
                  }
                  return {};
                },
              ),
            5,
          );
          return { Message: 'Originate successfully queued' };
        },
        AGI: (action, session) => {
          const command = action.get('Command') ?? '';
          agi.push(command);
          const id = action.get('CommandID') ?? '';
          setTimeout(
            () =>
              playUntil(
                session,
                (m) => m.get('Event') === 'AsyncAGIExec' || m.get('Event') === 'AsyncAGIEnd',
                (m): Record<string, string> =>
                  m.get('Event') === 'AsyncAGIExec' ||
                  m.get('Event') === 'AGIExecStart' ||
                  m.get('Event') === 'AGIExecEnd'
                    ? { CommandId: id }
                    : {},
              ),
            5,
          );
          return { Message: 'Added AGI command to queue' };
        },
      },
    });
    h = await startHarness({ pbx: [fake] });
    await h.user('reina', 'agent', { extensions: ['reina'] });
    await h.user('op', 'operator');
  });
  after(async () => {
    await h.close();
    await fake.close();
  });

  it("an agent may not dial from someone else's phone", async () => {
    const reina = await h.login('reina');
    const r = await reina.call('POST', '/api/v1/calls', { from: 'alonso', to: '200' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.field, 'from');
  });

  it('refuses CR/LF before anything reaches Asterisk', async () => {
    const op = await h.login('op');
    const before = fake.actions.length;
    const r = await op.call('POST', '/api/v1/calls', { from: 'reina', to: '200\r\nAction: Command' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'body.to');
    assert.equal(fake.actions.length, before);
  });

  it('rings the caller showing the callee, then dials through Local/ with the caller ID set back', async () => {
    let farLeg: PbxChannel | undefined;
    h.server.context.pbx.monitor.on('change', (c) => {
      const ch = c.data as PbxChannel;
      if (c.type === 'channel' && c.op !== 'remove' && ch.name.startsWith('PJSIP/alonso')) farLeg = ch;
    });
    const states: string[] = [];
    h.server.context.live.publish = ((orig) => (m, server) => {
      if (m.type === 'click-to-dial') states.push((m.call as { state: string }).state);
      orig.call(h.server.context.live, m, server);
    })(h.server.context.live.publish);
    const reina = await h.login('reina');
    const r = await reina.call('POST', '/api/v1/calls?wait=answer', {
      from: 'reina',
      to: '200',
      calleeName: 'Llamando a 200',
      callerId: { name: 'Reina' },
    });
    assert.equal(r.status, 202, r.text);
    // The Originate: the caller's phone into AsyncAGI, showing the number it calls.
    assert.equal(originate?.get('Channel'), 'PJSIP/reina');
    assert.equal(originate?.get('Application'), 'AGI');
    assert.match(originate?.get('Data') ?? '', /^agi:async,switchboard-c2d,c2d-/);
    assert.equal(originate?.get('CallerID'), '"Llamando a 200" <200>');
    assert.equal(originate?.get('Async'), 'true');
    await waitUntil(() => agi.length >= 4, 'the AsyncAGI commands');
    // Exactly the recorded commands.
    assert.deepEqual(agi, [
      'SET VARIABLE CALLERID(num) reina',
      'SET VARIABLE CALLERID(name) "Reina"',
      'EXEC Dial Local/200@oficina2/n,30',
      'ASYNCAGI BREAK',
    ]);
    const id = encodeURIComponent(r.body.id);
    const status = await reina.call('GET', `/api/v1/calls/${id}`);
    assert.equal(status.status, 200);
    assert.equal(status.body.callId, 'pbx1/1796351532.31');
    assert.ok(['connected', 'ended'].includes(status.body.state), status.body.state);
    // The far leg (alonso), as the server's live model saw it, showed reina as the caller.
    assert.equal(farLeg?.connectedLineNum, 'reina');
    assert.equal(farLeg?.connectedLineName, 'Reina');
    assert.ok(states.includes('connected'), states.join(','));
  });
});
