/**
 * Runs one call through the router and reports the AGI lines it sent: either in process on a small fake channel, or
 * for real — a RouterServer on 127.0.0.1:0 and the agi module's fake FastAGI caller connecting like Asterisk.
 */

import { parseAgiArgs } from '../../src/agi/index.js';
import { AmiClient } from '../../src/ami/index.js';
import type { CallResult, RouterConfigInput } from '../../src/router/index.js';
import { CallRouter, RouterServer } from '../../src/router/index.js';
import type { Store } from '../../src/store/index.js';
import { FakeAmiServer, FakeFastAgiCall } from '../../src/testing/index.js';
import { FakeChannel, type Responder } from './fake-channel.js';

/** What the call looked like. */
export interface CallRun {
  result: CallResult;
  /** AGI command lines the router sent, in order. */
  lines: string[];
  /** Variables set with SET VARIABLE (last value wins). */
  vars: Record<string, string>;
}

/** The request fields a test sets. */
export interface CallRequest {
  callerId?: string;
  extension: string;
  dnid?: string;
}

/** Runs one call. */
export type Harness = (
  store: Store,
  request: CallRequest,
  respond: Responder,
  config?: RouterConfigInput,
) => Promise<CallRun>;

/** A fixed clock: Saturday 2026-11-28 12:00 UTC. */
export const SATURDAY_NOON = new Date('2026-11-28T12:00:00Z');

/** In process, on {@link FakeChannel}. */
export const inProcess: Harness = async (store, request, respond, config = {}) => {
  const router = new CallRouter({ store, now: () => SATURDAY_NOON, config });
  const channel = new FakeChannel(request, respond);
  const result = await router.handle(channel);
  return { result, lines: channel.lines, vars: channel.variables };
};

function varsOf(lines: readonly (readonly string[])[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const argv of lines)
    if (argv[0] === 'SET' && argv[1] === 'VARIABLE') vars[argv[2] as string] = argv[3] as string;
  return vars;
}

/** Over a real socket: RouterServer + FakeFastAgiCall (fixture-based environment, Asterisk's hangup behaviour). */
export const overFastAgi: Harness = async (store, request, respond, config = {}) => {
  let result: CallResult | undefined;
  const server = new RouterServer({
    store,
    now: () => SATURDAY_NOON,
    config: { ...config, listen: { host: '127.0.0.1', port: 0 } },
    onCall: (r) => {
      result = r;
    },
  });
  const { port } = await server.listen();
  try {
    const call = await FakeFastAgiCall.connect({
      port,
      script: 'router',
      env: {
        agi_channel: 'PJSIP/reina-0000001a',
        agi_uniqueid: '1795342900.26',
        agi_context: 'oficina2',
        agi_extension: request.extension,
        agi_callerid: request.callerId ?? 'unknown',
        agi_dnid: request.dnid ?? 'unknown',
      },
      answer: (cmd, c) => {
        const reply = respond(cmd.line);
        if (reply === 'HANGUP') {
          c.hangup();
          return null;
        }
        return reply === '200 result=0' && cmd.name !== 'GET VARIABLE' ? undefined : reply;
      },
    });
    const done = await call.done;
    await server.fastagi.idle();
    if (!result) throw new Error('the router reported no call');
    return {
      result,
      lines: done.commands.map((c) => c.line),
      vars: varsOf(done.commands.map((c) => c.argv)),
    };
  } finally {
    await server.close();
  }
};

const encodeAsync = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Over AsyncAGI: a RouterServer given an AmiClient connected to the fake AMI server. The fake plays Asterisk:
 * AsyncAGIStart with the URL-encoded environment, one AsyncAGIExec per `AGI` action, AsyncAGIEnd on ASYNCAGI
 * BREAK; a hangup answers the command `result=-1`, then AsyncAGIEnd and Hangup follow 40 ms later (commands queued
 * in between never run), and `Channel … does not exist` answers actions after the channel is gone.
 */
export const overAsyncAgi: Harness = async (store, request, respond, config = {}) => {
  const srv = await FakeAmiServer.start();
  const client = new AmiClient({ url: srv.url() });
  await client.connect();
  let result: CallResult | undefined;
  const server = new RouterServer({
    store,
    ami: client,
    now: () => SATURDAY_NOON,
    config: { ...config, listen: { host: '127.0.0.1', port: 0 } },
    onCall: (r) => {
      result = r;
    },
  });
  const channel = 'PJSIP/reina-0000001a';
  const lines: string[] = [];
  let gone = false;
  let ending = false;
  srv.handle('AGI', (action) => {
    const command = action.get('Command') ?? '';
    const id = action.get('CommandID') ?? '';
    if (gone) return { Response: 'Error', Message: `Channel ${channel} does not exist.` };
    lines.push(command);
    const reply = command === 'ASYNCAGI BREAK' ? '200 result=0' : respond(command);
    if (ending) return { Response: 'Success', Message: 'Added AGI command to queue' }; // never runs
    setImmediate(() => {
      if (reply === 'HANGUP') {
        // Like Asterisk: the command cut short answers -1, the AsyncAGI loop then sees the dead channel.
        ending = true;
        srv.emit({
          Event: 'AsyncAGIExec',
          Channel: channel,
          CommandId: id,
          Result: encodeAsync(
            `${/^STREAM FILE/.test(command) ? '200 result=-1 endpos=4000' : '200 result=-1'}\n`,
          ),
        });
        setTimeout(() => {
          gone = true;
          srv.emit({ Event: 'AsyncAGIEnd', Channel: channel });
          srv.emit({ Event: 'Hangup', Channel: channel, Cause: '16', 'Cause-txt': 'Normal Clearing' });
        }, 40);
        return;
      }
      srv.emit({ Event: 'AsyncAGIExec', Channel: channel, CommandId: id, Result: encodeAsync(`${reply}\n`) });
      if (command === 'ASYNCAGI BREAK' || command === 'HANGUP') {
        gone = true;
        srv.emit({ Event: 'AsyncAGIEnd', Channel: channel });
      }
    });
    return { Response: 'Success', Message: 'Added AGI command to queue' };
  });
  await server.listen();
  try {
    const env = [
      ['agi_request', 'async'],
      ['agi_channel', channel],
      ['agi_language', 'es'],
      ['agi_type', 'PJSIP'],
      ['agi_uniqueid', '1795342900.26'],
      ['agi_version', 'UNKNOWN__and_probably_unsupported'],
      ['agi_callerid', request.callerId ?? 'unknown'],
      ['agi_calleridname', 'unknown'],
      ['agi_callingpres', '0'],
      ['agi_callingani2', '0'],
      ['agi_callington', '0'],
      ['agi_callingtns', '0'],
      ['agi_dnid', request.dnid ?? 'unknown'],
      ['agi_rdnis', 'unknown'],
      ['agi_context', 'oficina2'],
      ['agi_extension', request.extension],
      ['agi_priority', '1'],
      ['agi_enhanced', '0.0'],
      ['agi_accountcode', ''],
      ['agi_threadid', '140401134118592'],
    ];
    srv.emit({
      Event: 'AsyncAGIStart',
      Channel: channel,
      Env: encodeAsync(`${env.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`),
    });
    while (!result || (server.asyncagi?.activeSessions ?? 0) > 0) await new Promise((r) => setTimeout(r, 2));
    // The dispatcher hands the channel back to the dialplan after the router is done; that is not the router's.
    if (lines[lines.length - 1] === 'ASYNCAGI BREAK') lines.pop();
    return { result, lines, vars: varsOf(lines.map((l) => parseAgiArgs(l))) };
  } finally {
    await server.close();
    await client.close();
    await srv.close();
  }
};
