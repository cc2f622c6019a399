/**
 * AsyncAGI on a simulated channel (`AGI(agi:async)`, or `Originate Application: AGI Data: agi:async`):
 * `AsyncAGIStart` with the URL-encoded environment, commands queued by the AMI `AGI` action, each run in order
 * with `AGIExecStart`/`AGIExecEnd` and completed by `AsyncAGIExec` (`Result` URL-encoded, the client's
 * `CommandId`), until `ASYNCAGI BREAK` or hangup, then `AsyncAGIEnd`.
 */

import { agiEnvironment, runAgiCommand } from './agi-commands.js';
import { waitFor } from './channels.js';
import type { SimCore } from './core.js';
import { dialplanApps } from './dialplan.js';
import { channelPairs, event } from './headers.js';
import type { SimChannel } from './state.js';

/** A queued command. */
interface Queued {
  command: string;
  commandId: string | undefined;
}

const queues = new WeakMap<SimChannel, { items: Queued[]; wake: (() => void) | undefined }>();

/** Queues a command for a channel in AsyncAGI; false when the channel is not in AsyncAGI. */
export function queueAgiCommand(ch: SimChannel, command: string, commandId: string | undefined): boolean {
  const q = queues.get(ch);
  if (!q) return false;
  q.items.push({ command, commandId });
  q.wake?.();
  return true;
}

/** Asterisk's URL encoding of AsyncAGI values (unreserved characters kept, as in the fixtures). */
export function agiEncode(text: string): string {
  return encodeURIComponent(text);
}

function resultText(reply: string): string {
  if (reply.startsWith('510')) return 'Invalid or unknown command';
  if (reply.startsWith('511')) return 'Command Not Permitted on a dead channel or intercept routine';
  if (reply.startsWith('520')) return 'Usage';
  return /^200 result=-1\b/.test(reply) ? 'Unknown Result' : 'Success';
}

/**
 * Runs an AsyncAGI session on a channel until `ASYNCAGI BREAK` or hangup. `args` are the application's arguments
 * after `agi:async`: res_agi.c `launch_asyncagi` → `setup_env` lists them as `agi_arg_1`… after `agi_threadid`.
 */
export async function runAsyncAgi(
  core: SimCore,
  ch: SimChannel,
  args: readonly string[] = [],
): Promise<void> {
  const q = { items: [] as Queued[], wake: undefined as (() => void) | undefined };
  queues.set(ch, q);
  ch.asyncAgi = true;
  const env = `${[
    ...agiEnvironment(core, ch, 'async'),
    ...args.map((a, i): [string, string] => [`agi_arg_${i + 1}`, a]),
  ]
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('')}\n`;
  core.emit(event('AsyncAGIStart', 'agi,all', channelPairs(ch), [['Env', agiEncode(env)]]));
  const session = { digits: core.options.agiDigits, dead: false };
  try {
    while (!ch.gone.aborted && !core.closing) {
      const next = q.items.shift();
      if (!next) {
        await Promise.race([
          new Promise<void>((r) => {
            q.wake = r;
          }),
          waitFor(ch, () => false),
        ]);
        q.wake = undefined;
        continue;
      }
      const internal = String(core.rng.int(1, 2147483647));
      core.emit(
        event('AGIExecStart', 'agi,all', channelPairs(ch), [
          ['CommandId', internal],
          ['Command', next.command],
        ]),
      );
      const out = await runAgiCommand(core, ch, next.command, session);
      const code = out.reply.slice(0, 3);
      core.emit(
        event('AGIExecEnd', 'agi,all', channelPairs(ch), [
          ['CommandId', internal],
          ['Command', next.command],
          ['ResultCode', code],
          ['Result', resultText(out.reply)],
        ]),
      );
      core.emit(
        event(
          'AsyncAGIExec',
          'agi,all',
          channelPairs(ch),
          [['Result', agiEncode(`${out.reply}\n`)]],
          next.commandId !== undefined ? [['CommandId', next.commandId]] : [],
        ),
      );
      if (out.breaks) break;
    }
  } finally {
    queues.delete(ch);
    ch.asyncAgi = false;
    ch.vars.set('AGISTATUS', 'SUCCESS');
    core.emit(event('AsyncAGIEnd', 'agi,all', channelPairs(ch)));
  }
}

dialplanApps.set('agi', async (core, ch, args, data) => {
  const url = args[0] ?? '';
  if (url === 'agi:async') {
    await runAsyncAgi(core, ch, args.slice(1));
    return undefined;
  }
  const { runFastAgi } = await import('./fastagi-bridge.js');
  await runFastAgi(core, ch, url, args.slice(1), data);
  return undefined;
});
