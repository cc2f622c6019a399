/**
 * FastAGI from the simulated PBX to a real FastAGI server (the router's): the channel connects like res_agi,
 * sends the `agi_network*` + `agi_*` environment and `agi_arg_N`, answers each command line with Asterisk's reply
 * format, and on a caller hangup answers the pending command `200 result=-1`, THEN sends `HANGUP`, then `511` for
 * commands a dead channel cannot run. `AGISTATUS` is SUCCESS when the server closes, FAILURE when it is down.
 */
import net from 'node:net';
import { agiEnvironment, runAgiCommand } from './agi-commands.js';
import { setVar, waitFor } from './channels.js';
import type { SimCore } from './core.js';
import type { SimChannel } from './state.js';

/** Runs `AGI(agi://host:port/script?query,arg1,…)` for a channel. */
export async function runFastAgi(
  core: SimCore,
  ch: SimChannel,
  url: string,
  args: string[],
  _data: string,
): Promise<void> {
  const m = /^agi:\/\/([^/:]+)(?::(\d+))?\/?(.*)$/.exec(url);
  if (!m) {
    core.log.warning(ch, 'res_agi.c', `Failed to execute '${url}': Invalid URL`);
    setVar(core, ch, 'AGISTATUS', 'FAILURE');
    return;
  }
  const host = core.options.fastAgi?.host ?? m[1] ?? '127.0.0.1';
  const port = core.options.fastAgi?.port ?? Number(m[2] ?? 4573);
  const script = m[3] ?? '';
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const connected = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
  });
  if (!connected) {
    socket.destroy();
    core.log.warning(
      ch,
      'res_agi.c',
      `Connecting to '${host}:${port}' failed for url '${url}': Connection refused`,
    );
    core.log.warning(ch, 'res_agi.c', "Couldn't connect to any host.  FastAGI failed.");
    setVar(core, ch, 'AGISTATUS', 'FAILURE');
    return;
  }
  socket.on('error', () => {});
  // The script ended its side: res_agi sees EOF and closes too.
  socket.on('end', () => socket.end());
  const lines = [['agi_network', 'yes'], ['agi_network_script', script], ...agiEnvironment(core, ch, url)];
  args.forEach((a, i) => {
    lines.push([`agi_arg_${i + 1}`, a]);
  });
  socket.write(`${lines.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`);
  const session = { digits: core.options.agiDigits, dead: false };
  let buffer = '';
  let closed = false;
  let busy = false;
  const pending: string[] = [];
  let sentHangup = false;
  const write = (s: string) => {
    if (!closed) socket.write(s);
  };
  const announceHangup = () => {
    if (sentHangup) return;
    sentHangup = true;
    session.dead = true;
    write('HANGUP\n');
  };
  ch.gone.onAbort(() => {
    // A command running now answers -1 first; the HANGUP line follows its reply.
    if (!busy) announceHangup();
  });
  const done = new Promise<void>((resolve) => {
    socket.on('close', () => {
      closed = true;
      resolve();
    });
  });
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (pending.length > 0 && !closed) {
        const line = pending.shift() ?? '';
        const out = await runAgiCommand(core, ch, line, session);
        write(`${out.reply}\n`);
        if (ch.gone.aborted) announceHangup();
      }
    } finally {
      busy = false;
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i = buffer.indexOf('\n');
    while (i >= 0) {
      const line = buffer.slice(0, i).replace(/\r$/, '');
      buffer = buffer.slice(i + 1);
      if (line.trim() !== '') pending.push(line);
      i = buffer.indexOf('\n');
    }
    void pump();
  });
  await Promise.race([done, waitFor(ch, () => core.closing)]);
  // After a hangup res_agi gives the script a moment to finish, then closes the socket.
  if (!closed) {
    if (ch.gone.aborted) await Promise.race([done, core.clock.sleep(2000).catch(() => {})]);
    socket.destroy();
  }
  if (!ch.gone.aborted) setVar(core, ch, 'AGISTATUS', 'SUCCESS');
}
