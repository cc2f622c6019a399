/**
 * Child process of bench/agi.ts: one FastAGI server (switchboard, ding-dong or a raw-socket ceiling) running a
 * 6-command call script or an idle call, reporting CPU time and memory over IPC.
 * Usage: node --import tsx bench/agi-server.ts <switchboard|ding-dong|raw> <script|idle>
 */
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { createFastAgiServer } from '../src/agi/index.js';

const [kind = 'switchboard', mode = 'script'] = process.argv.slice(2);
const idle = mode === 'idle';
let sessions = 0;

function rawServer(): Server {
  // The ceiling: no parsing beyond counting lines, fixed command strings, no promises.
  const script = [
    'ANSWER\n',
    'GET VARIABLE X\n',
    'STREAM FILE beep ""\n',
    'GET DATA beep 3000 4\n',
    'SET VARIABLE RESULT ok\n',
    'VERBOSE done 1\n',
  ];
  return createServer({ noDelay: true }, (socket: Socket) => {
    let env = true;
    let pending = '';
    let step = 0;
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (text: string) => {
      pending += text;
      if (env) {
        const end = pending.indexOf('\n\n');
        if (end < 0) return;
        env = false;
        pending = pending.slice(end + 2);
        sessions++;
        socket.write(idle ? 'WAIT FOR DIGIT -1\n' : script[step++]!);
        if (idle) return;
      }
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        pending = pending.slice(nl + 1);
        if (step < script.length) socket.write(script[step++]!);
        else socket.end();
        nl = pending.indexOf('\n');
      }
    });
  });
}

interface DingDongContext {
  onEvent(name: string): Promise<unknown>;
  answer(): Promise<unknown>;
  getVariable(name: string): Promise<unknown>;
  streamFile(file: string, digits: string): Promise<unknown>;
  getData(file: string, timeout: number, max: number): Promise<unknown>;
  setVariable(name: string, value: string): Promise<unknown>;
  verbose(msg: string, level: number): Promise<unknown>;
  waitForDigit(ms: number): Promise<unknown>;
  end(): Promise<unknown>;
  on(event: string, fn: () => void): void;
}

async function start(): Promise<number> {
  if (kind === 'raw') {
    const s = rawServer();
    await new Promise<void>((r) => s.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
    return (s.address() as { port: number }).port;
  }
  if (kind === 'ding-dong') {
    const require = createRequire(import.meta.url);
    const dingDong = require('ding-dong') as (h: (c: DingDongContext) => void) => {
      start(port: number, host: string): Server;
    };
    const server = dingDong((ctx) => {
      ctx.on('error', () => {});
      void ctx.onEvent('variables').then(async () => {
        sessions++;
        if (idle) {
          await ctx.waitForDigit(-1);
          return;
        }
        await ctx.answer();
        await ctx.getVariable('X');
        await ctx.streamFile('beep', '');
        await ctx.getData('beep', 3000, 4);
        await ctx.setVariable('RESULT', 'ok');
        await ctx.verbose('done', 1);
        await ctx.end();
      });
    }).start(0, '127.0.0.1');
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    return (server.address() as { port: number }).port;
  }
  const server = createFastAgiServer({
    port: 0,
    handler: async (ch) => {
      sessions++;
      if (idle) {
        await ch.waitForDigit(-1);
        return;
      }
      await ch.answer();
      await ch.getVariable('X');
      await ch.streamFile('beep');
      await ch.getData('beep', 3000, 4);
      await ch.setVariable('RESULT', 'ok');
      await ch.verbose('done', 1);
    },
  });
  return (await server.listen()).port;
}

let mark = process.cpuUsage();
let markSessions = 0;
process.on('message', (m: string) => {
  if (m === 'mark') {
    mark = process.cpuUsage();
    markSessions = sessions;
    process.send?.({ type: 'marked' });
  } else if (m === 'stats') {
    // Memory held, not garbage waiting for the next collection (same for every server).
    (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage(mark);
    process.send?.({
      type: 'stats',
      cpuMicros: cpu.user + cpu.system,
      userMicros: cpu.user,
      sessions: sessions - markSessions,
      rss: process.memoryUsage().rss,
      maxRss: process.resourceUsage().maxRSS * 1024,
    });
  } else if (m === 'exit') process.exit(0);
});
const port = await start();
process.send?.({ type: 'ready', port, rss: process.memoryUsage().rss });
