/**
 * AMI benchmark: switchboard's AmiClient side by side with the npm clients yana, asterisk-manager and
 * asterisk-ami-client, and a raw-socket ceiling (a socket that only counts packet ends `\r\n\r\n`).
 *
 * (a) ingest: a loopback server floods 200,000 real call events (the event packets of
 *     test/fixtures/asterisk/ami/call-lifecycle-full.raw, repeated) — events/s and peak RSS — in two variants:
 *     the consumer reads each event's name only, or its name and four headers (`Channel`, `Uniqueid`, `Linkedid`,
 *     `ChannelStateDesc`), what a real monitor does (a lazy message pays for its headers only when read);
 * (b) actions: 50,000 Pings with 100 in flight while the server interleaves one event per reply — actions/s, p99
 *     latency, mismatched replies (each Ping carries a unique `Payload` the server echoes; a reply whose payload is
 *     not the request's is mismatched) and lost ones (never settled).
 *
 * Each contender runs in its own child process (so peak RSS is its own); the server runs in this process. Each
 * measurement is repeated (AMI_BENCH_REPEAT, default 3) because a 2-core machine shared with other work is noisy,
 * and the repeats are interleaved (run k of every contender, then run k+1), so background load falls on all alike.
 * `npm run bench` calls run(); `node --import tsx bench/ami.ts` runs it alone.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const FIXTURE = new URL('../test/fixtures/asterisk/ami/call-lifecycle-full.raw', import.meta.url);
const INGEST_EVENTS = Number(process.env.AMI_BENCH_EVENTS ?? 200_000);
const ACTIONS = Number(process.env.AMI_BENCH_ACTIONS ?? 50_000);
/** Runs per contender and mode; the table shows the fastest run, and sums mismatched/lost over all runs. */
const REPEAT = Number(process.env.AMI_BENCH_REPEAT ?? 3);
const IN_FLIGHT = 100;
const ALL = ['raw', 'switchboard', 'yana', 'asterisk-manager', 'asterisk-ami-client'] as const;
type Contender = (typeof ALL)[number];
/** `AMI_BENCH_ONLY=raw,switchboard` restricts the run (for profiling). */
const CONTENDERS = ALL.filter(
  (c) => !process.env.AMI_BENCH_ONLY || process.env.AMI_BENCH_ONLY.split(',').includes(c),
);
type Mode = 'ingest' | 'ingest4' | 'actions';
/** `AMI_BENCH_MODES=ingest4` restricts the modes (for profiling). */
const MODES = (['ingest', 'ingest4', 'actions'] as const).filter(
  (m) => !process.env.AMI_BENCH_MODES || process.env.AMI_BENCH_MODES.split(',').includes(m),
);

/** What a child reports. */
interface Result {
  contender: Contender;
  mode: Mode;
  count: number;
  seconds: number;
  /** CPU time (user + system) the contender's process spent in the measured span: robust on a busy machine. */
  cpuMs?: number;
  /** CPU time of the loopback server (this process) during the run: what the client's traffic costs the PBX side. */
  serverCpuMs?: number;
  maxRssMb: number;
  baseRssMb: number;
  p99Ms?: number;
  mismatched?: number;
  lost?: number;
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Loopback server (parent process)

/** The event packets of the fixture, each with its blank line. */
function fixtureEvents(): string[] {
  return readFileSync(FIXTURE, 'latin1')
    .replace(/^Asterisk Call Manager\/[^\r\n]*\r\n/, '')
    .split('\r\n\r\n')
    .filter((p) => p.startsWith('Event:'))
    .map((p) => `${p}\r\n\r\n`);
}

const HEADER_RE = {
  action: /(?:^|\n)action:[ \t]*([^\r\n]*)/i,
  actionid: /(?:^|\n)actionid:[ \t]*([^\r\n]*)/i,
  payload: /(?:^|\n)payload:[ \t]*([^\r\n]*)/i,
};

/** The whole ingest flood, built once: INGEST_EVENTS event packets, the fixture's events repeated. */
let floodBuffer: Buffer | undefined;
function flood(events: string[]): Buffer {
  if (!floodBuffer) {
    const cycle = Buffer.from(events.join(''), 'latin1');
    const parts: Buffer[] = [];
    for (let i = 0; i < Math.floor(INGEST_EVENTS / events.length); i++) parts.push(cycle);
    parts.push(Buffer.from(events.slice(0, INGEST_EVENTS % events.length).join(''), 'latin1'));
    floodBuffer = Buffer.concat(parts);
  }
  return floodBuffer;
}

function startServer(mode: Mode): Promise<Server> {
  const events = fixtureEvents();
  const big = mode !== 'actions' ? flood(events) : undefined;
  const server = createServer((sock: Socket) => {
    sock.setNoDelay(true);
    sock.write('Asterisk Call Manager/13.0.0\r\n');
    let buf = '';
    let flooded = false;
    let ev = 0;
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      let out = '';
      let at = 0;
      for (;;) {
        const end = buf.indexOf('\r\n\r\n', at);
        if (end < 0) break;
        const pkt = buf.slice(at, end);
        at = end + 4;
        const action = (HEADER_RE.action.exec(pkt)?.[1] ?? '').toLowerCase();
        const id = HEADER_RE.actionid.exec(pkt)?.[1];
        const idLine = id === undefined ? '' : `ActionID: ${id}\r\n`;
        if (action === 'login') {
          out += `Response: Success\r\n${idLine}Message: Authentication accepted\r\n\r\n`;
        } else if (action === 'ping') {
          const payload = HEADER_RE.payload.exec(pkt)?.[1];
          if (mode === 'actions') out += events[ev++ % events.length];
          out += `Response: Success\r\n${idLine}Ping: Pong\r\nTimestamp: 1795340953.056052\r\n${
            payload === undefined ? '' : `Payload: ${payload}\r\n`
          }\r\n`;
          if (big && !flooded) {
            flooded = true;
            sock.write(out);
            out = '';
            sock.write(big); // one write: libuv feeds it to the kernel as fast as the client reads
          }
        } else if (action === 'logoff') {
          out += `Response: Goodbye\r\n${idLine}Message: Thanks for all the fish.\r\n\r\n`;
        } else {
          out += `Response: Success\r\n${idLine}\r\n`;
        }
      }
      buf = buf.slice(at);
      if (out) sock.write(out);
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function runChild(contender: Contender, mode: Mode, port: number): Promise<Result> {
  return new Promise((resolve) => {
    // AMI_BENCH_PROF=dir writes a CPU profile per child; AMI_BENCH_NODE_ARGS adds node flags (e.g. --heap-prof).
    const prof = process.env.AMI_BENCH_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AMI_BENCH_PROF}`]
      : [];
    prof.push(...(process.env.AMI_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []));
    const child = spawn(
      process.execPath,
      [...prof, '--import', 'tsx', SELF, '--child', contender, mode, String(port)],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)), // where `tsx` resolves
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Result);
      } catch {
        resolve({
          contender,
          mode,
          count: 0,
          seconds: 0,
          maxRssMb: 0,
          baseRssMb: 0,
          error: `exit ${code}: ${err.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 120),
        });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Contenders (child process)

const rssMb = () => process.memoryUsage.rss() / 2 ** 20;
const cpuSince = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * Connects and logs in; sends Pings with a payload and calls back with the echo. `name` and `four` read an event
 * the way a consumer of that library would: its name, or its name and four headers (returns their total length so
 * the reads cannot be optimised away).
 */
interface Driver {
  onEvent(cb: (event: never) => void): void;
  name(event: never): number;
  four(event: never): number;
  ping(payload: string, cb: (echo: string | undefined) => void): void;
  close(): void;
}

/** Readers for the peers, which parse every event into a plain object (keys as each library spells them). */
function objectReaders(
  keys: readonly [string, string, string, string, string],
): Pick<Driver, 'name' | 'four'> {
  const [event, a, b, c, d] = keys;
  const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  return {
    name: ((m: Record<string, unknown>) => len(m[event])) as Driver['name'],
    four: ((m: Record<string, unknown>) =>
      len(m[event]) + len(m[a]) + len(m[b]) + len(m[c]) + len(m[d])) as Driver['four'],
  };
}

async function driver(contender: Exclude<Contender, 'raw'>, port: number): Promise<Driver> {
  const require = createRequire(import.meta.url);
  if (contender === 'switchboard') {
    const { AmiClient } = (await import('../src/ami/index.js')) as typeof import('../src/ami/index.js');
    const client = new AmiClient({
      url: `ami://bench:secret@127.0.0.1:${port}`,
      keepalive: false,
      reconnect: false,
      actionTimeout: 60_000,
    });
    await client.connect();
    type M = import('../src/ami/index.js').AmiMessage;
    return {
      onEvent: (cb) => client.on('event', cb as (m: M) => void),
      name: ((m: M) => (m.event ?? '').length) as Driver['name'],
      four: ((m: M) =>
        (m.event ?? '').length +
        (m.get('Channel') ?? '').length +
        (m.get('Uniqueid') ?? '').length +
        (m.get('Linkedid') ?? '').length +
        (m.get('ChannelStateDesc') ?? '').length) as Driver['four'],
      ping: (payload, cb) => {
        client.action('Ping', { Payload: payload }).then(
          (r) => cb(r.message.get('Payload')),
          () => {},
        );
      },
      close: () => void client.close(),
    };
  }
  if (contender === 'yana') {
    const AMI = require('yana') as new (
      o: object,
    ) => {
      connect(cb: () => void): void;
      on(e: string, cb: (m: Record<string, string>) => void): void;
      send(o: object, cb: (m: Record<string, string>) => void): void;
      socket: Socket;
    };
    const ami = new AMI({ port, host: '127.0.0.1', login: 'bench', password: 'secret', events: true });
    await new Promise<void>((resolve) => ami.connect(resolve));
    return {
      onEvent: (cb) => ami.on('event', cb as (m: Record<string, string>) => void),
      ...objectReaders(['Event', 'Channel', 'Uniqueid', 'Linkedid', 'ChannelStateDesc']),
      ping: (payload, cb) => ami.send({ Action: 'Ping', Payload: payload }, (m) => cb(m.Payload)),
      close: () => ami.socket.destroy(),
    };
  }
  if (contender === 'asterisk-manager') {
    const Manager = require('asterisk-manager') as (
      port: number,
      host: string,
      u: string,
      p: string,
      events: boolean,
    ) => {
      on(e: string, cb: (...a: unknown[]) => void): void;
      once(e: string, cb: () => void): void;
      action(o: object, cb: (err: unknown, res: Record<string, string>) => void): string;
      disconnect(): void;
    };
    const m = Manager(port, '127.0.0.1', 'bench', 'secret', true);
    // Its login callback fires once the Login reply arrives; a harmless Ping confirms the session.
    await new Promise<void>((resolve) => m.action({ action: 'ping' }, () => resolve()));
    return {
      // asterisk-manager lower-cases header names.
      onEvent: (cb) => m.on('managerevent', cb as (...a: unknown[]) => void),
      ...objectReaders(['event', 'channel', 'uniqueid', 'linkedid', 'channelstatedesc']),
      ping: (payload, cb) => {
        m.action({ action: 'ping', payload }, (_err, res) => cb(res?.payload));
      },
      close: () => m.disconnect(),
    };
  }
  const AmiClient = require('asterisk-ami-client') as new (
    o: object,
  ) => {
    connect(u: string, s: string, o: object): Promise<unknown>;
    on(e: string, cb: () => void): void;
    action(o: object, promisable: true): Promise<Record<string, string>>;
    disconnect(): void;
  };
  const c = new AmiClient({
    reconnect: false,
    keepAlive: false,
    emitEventsByTypes: false,
    emitResponsesById: false,
  });
  await c.connect('bench', 'secret', { host: '127.0.0.1', port });
  return {
    onEvent: (cb) => c.on('event', cb as () => void),
    ...objectReaders(['Event', 'Channel', 'Uniqueid', 'Linkedid', 'ChannelStateDesc']),
    ping: (payload, cb) => {
      c.action({ Action: 'Ping', Payload: payload }, true).then(
        (r) => cb(r.Payload),
        () => {},
      );
    },
    close: () => c.disconnect(),
  };
}

/** The ceiling: log in by hand, then only count packet ends. */
function rawIngest(port: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const END = Buffer.from('\r\n\r\n');
    let packets = 0;
    let carry: Buffer = Buffer.alloc(0);
    let t0 = 0;
    let cpu0 = process.cpuUsage();
    const base = rssMb();
    sock.on('connect', () =>
      sock.write('Action: Login\r\nActionID: 1\r\nUsername: bench\r\nSecret: secret\r\n\r\n'),
    );
    sock.on('data', (chunk: Buffer) => {
      const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let i = b.indexOf(END);
      let last = -1;
      while (i >= 0) {
        packets++;
        last = i;
        i = b.indexOf(END, i + 4);
      }
      carry = b.subarray(Math.max(last + 4, b.length - 3));
      if (packets === 1 && t0 === 0) {
        t0 = performance.now();
        cpu0 = process.cpuUsage();
        sock.write('Action: Ping\r\nActionID: 2\r\n\r\n');
      }
      if (packets >= INGEST_EVENTS + 2) {
        const seconds = (performance.now() - t0) / 1000;
        const cpuMs = cpuSince(cpu0);
        sock.destroy();
        resolve({
          contender: 'raw',
          mode: 'ingest',
          count: packets - 2,
          seconds,
          cpuMs,
          maxRssMb: maxRssMb(),
          baseRssMb: base,
        });
      }
    });
    sock.on('error', reject);
  });
}

/** Where the reads of the ingest consumer go, so that they cannot be dropped as dead code. */
export let ingestSink = 0;

async function ingest(contender: Exclude<Contender, 'raw'>, port: number, four: boolean): Promise<Result> {
  const d = await driver(contender, port);
  const base = rssMb();
  let n = 0;
  let tLast = 0;
  const read = four ? d.four : d.name;
  const done = new Promise<void>((resolve) => {
    d.onEvent((event: never) => {
      ingestSink += read(event);
      // Reading the clock on every event would cost the contender ~2%: every 256th, and the last one.
      if ((++n & 255) === 0 || n === INGEST_EVENTS) tLast = performance.now();
      if (n === INGEST_EVENTS) resolve();
    });
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  d.ping('start', () => {});
  // A client that loses events never reaches the count: stop when none arrives for 3 s.
  let last = -1;
  const stalled = new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (n === last) {
        clearInterval(t);
        resolve();
      }
      last = n;
    }, 3000);
    void done.then(() => clearInterval(t));
  });
  await Promise.race([done, stalled]);
  const cpuMs = cpuSince(cpu0);
  const r: Result = {
    contender,
    mode: four ? 'ingest4' : 'ingest',
    count: n,
    seconds: n === 0 ? Number.NaN : (tLast - t0) / 1000,
    cpuMs,
    maxRssMb: maxRssMb(),
    baseRssMb: base,
    lost: INGEST_EVENTS - n,
  };
  d.close();
  return r;
}

async function actions(contender: Exclude<Contender, 'raw'>, port: number): Promise<Result> {
  const d = await driver(contender, port);
  const base = rssMb();
  d.onEvent(() => {});
  const lat = new Float64Array(ACTIONS);
  let sent = 0;
  let settled = 0;
  let mismatched = 0;
  const seen = new Uint8Array(ACTIONS);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const finished = new Promise<number>((resolve) => {
    const sendOne = () => {
      const i = sent++;
      const start = performance.now();
      const payload = `p${i}-${(i * 2654435761) % 1_000_003}`;
      d.ping(payload, (echo) => {
        if (seen[i]) return; // a second settle would itself be a bug; count it once
        seen[i] = 1;
        lat[settled] = performance.now() - start;
        settled++;
        if (echo !== payload) mismatched++;
        if (sent < ACTIONS) sendOne();
        if (settled === ACTIONS) resolve(performance.now());
      });
    };
    for (let k = 0; k < IN_FLIGHT && sent < ACTIONS; k++) sendOne();
  });
  // Peers that lose replies never settle them: stop when nothing settles for 3 s.
  let last = settled;
  const stalled = new Promise<number>((resolve) => {
    const t = setInterval(() => {
      if (settled === last) {
        clearInterval(t);
        resolve(performance.now() - 3000);
      }
      last = settled;
    }, 3000);
    void finished.then(() => clearInterval(t));
  });
  const t1 = await Promise.race([finished, stalled]);
  const cpuMs = cpuSince(cpu0);
  const sorted = Array.from(lat.subarray(0, settled)).sort((a, b) => a - b);
  d.close();
  return {
    contender,
    mode: 'actions',
    count: settled,
    seconds: (t1 - t0) / 1000,
    cpuMs,
    maxRssMb: maxRssMb(),
    baseRssMb: base,
    p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Number.NaN,
    mismatched,
    lost: ACTIONS - settled,
  };
}

async function child(contender: Contender, mode: Mode, port: number): Promise<void> {
  let r: Result;
  if (contender === 'raw') {
    if (mode !== 'ingest') throw new Error('raw runs ingest only');
    r = await rawIngest(port);
  } else
    r =
      mode === 'actions' ? await actions(contender, port) : await ingest(contender, port, mode === 'ingest4');
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0); // peers keep timers and sockets of their own
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');

/** Runs every contender in every mode, the repeats interleaved, and returns the Markdown tables. */
export async function run(): Promise<string> {
  const results: Result[] = [];
  for (const mode of MODES) {
    const contenders = CONTENDERS.filter((c) => (c === 'raw' ? mode === 'ingest' : true));
    const runs = new Map<Contender, Result[]>(contenders.map((c) => [c, []]));
    for (let k = 0; k < REPEAT; k++) {
      for (const c of contenders) {
        const server = await startServer(mode);
        const port = (server.address() as { port: number }).port;
        process.stderr.write(`bench ami: ${mode} ${c} (${k + 1}/${REPEAT})…\n`);
        const serverCpu = process.cpuUsage();
        const r = await runChild(c, mode, port);
        const d = process.cpuUsage(serverCpu);
        r.serverCpuMs = (d.user + d.system) / 1000;
        runs.get(c)?.push(r);
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
    for (const c of contenders) {
      const all = runs.get(c) ?? [];
      const ok = all.filter((r) => !r.error);
      const best = ok.sort((a, b) => b.count / b.seconds - a.count / a.seconds)[0] ?? all[0];
      if (best)
        results.push({
          ...best,
          maxRssMb: Math.max(...all.map((r) => r.maxRssMb)),
          // The least CPU any run spent: wall-clock rates swing with other load, CPU time per item much less.
          cpuMs: Math.min(...ok.map((r) => r.cpuMs ?? Number.NaN).filter(Number.isFinite)),
          serverCpuMs: Math.min(...ok.map((r) => r.serverCpuMs ?? Number.NaN).filter(Number.isFinite)),
          mismatched: all.reduce((n, r) => n + (r.mismatched ?? 0), 0),
          lost: all.reduce((n, r) => n + (r.lost ?? 0), 0),
        });
    }
  }
  const rate = (r: Result) => (r.error || !r.seconds ? Number.NaN : r.count / r.seconds);
  const cpuUs = (r: Result) =>
    r.error || !r.count || r.cpuMs === undefined ? Number.NaN : (1000 * r.cpuMs) / r.count;
  const peers = (list: Result[]) =>
    list.filter((r) => r.contender !== 'raw' && r.contender !== 'switchboard');
  const bestOf = (xs: number[], pick: (...v: number[]) => number) => pick(...xs.filter(Number.isFinite));
  const raw = results.find((r) => r.mode === 'ingest' && r.contender === 'raw');
  const rawRate = raw ? rate(raw) : Number.NaN;
  const rawCpu = raw ? cpuUs(raw) : Number.NaN;
  const ingestTable = (mode: 'ingest' | 'ingest4', title: string): string[] => {
    const ing = results.filter((r) => r.mode === mode || (r.contender === 'raw' && r.mode === 'ingest'));
    const bestPeer = bestOf(peers(ing).map(rate), Math.max);
    const bestPeerCpu = bestOf(peers(ing).map(cpuUs), Math.min);
    return [
      title,
      '',
      '| client | events/s | × best peer | % of raw ceiling | events lost | CPU µs/event | × best peer (CPU) | % of raw ceiling (CPU) | peak RSS (MB) | RSS before flood (MB) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...ing.map(
        (r) =>
          `| ${r.contender === 'raw' ? 'raw socket (counts `\\r\\n\\r\\n` only)' : r.contender} | ${
            r.error ? `failed: ${r.error}` : f0(rate(r))
          } | ${r.contender === 'raw' ? '—' : f2(rate(r) / bestPeer)} | ${f1((100 * rate(r)) / rawRate)} | ${
            r.lost ?? 0
          } | ${f2(cpuUs(r))} | ${r.contender === 'raw' ? '—' : f2(bestPeerCpu / cpuUs(r))} | ${f1(
            (100 * rawCpu) / cpuUs(r),
          )} | ${f1(r.maxRssMb)} | ${f1(r.baseRssMb)} |`,
      ),
      '',
    ];
  };
  const act = results.filter((r) => r.mode === 'actions');
  // A peer that mismatches or loses replies does not count as "best" for throughput.
  const correct = peers(act).filter((r) => r.mismatched === 0 && r.lost === 0);
  const bestPeerActions = bestOf(correct.map(rate), Math.max);
  const bestPeerActionsCpu = bestOf(correct.map(cpuUs), Math.min);
  const flood = `${INGEST_EVENTS.toLocaleString('en-US')} real call events (call-lifecycle-full, repeated) from a loopback server; each client in its own process; fastest of ${REPEAT} interleaved runs (events lost: sum over the runs)`;
  const lines = [
    ...(MODES.includes('ingest')
      ? ingestTable('ingest', `Event ingest, the consumer reads each event's name: ${flood}.`)
      : []),
    ...(MODES.includes('ingest4')
      ? ingestTable(
          'ingest4',
          `Event ingest, the consumer reads each event's name and four headers (Channel, Uniqueid, Linkedid, ChannelStateDesc): ${flood}. The raw row is the same ceiling as above.`,
        )
      : []),
    ...(MODES.includes('actions')
      ? [
          `Actions: ${ACTIONS.toLocaleString('en-US')} Pings, ${IN_FLIGHT} in flight, one event interleaved per reply; each Ping carries a unique payload the server echoes; fastest of ${REPEAT} interleaved runs (mismatched and never-settled replies: sum over the runs).`,
          '',
          '| client | actions/s | × best correct peer | p99 latency (ms) | mismatched replies | never settled | CPU µs/action | × best correct peer (CPU) | server CPU µs/action | peak RSS (MB) |',
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...act.map(
            (r) =>
              `| ${r.contender} | ${r.error ? `failed: ${r.error}` : f0(rate(r))} | ${f2(rate(r) / bestPeerActions)} | ${f1(
                r.p99Ms ?? Number.NaN,
              )} | ${r.mismatched ?? '—'} | ${r.lost ?? '—'} | ${f2(cpuUs(r))} | ${f2(bestPeerActionsCpu / cpuUs(r))} | ${f2(
                r.serverCpuMs === undefined || !r.count ? Number.NaN : (1000 * r.serverCpuMs) / r.count,
              )} | ${f1(r.maxRssMb)} |`,
          ),
          '',
        ]
      : []),
    "Targets (issue 14): reading four headers ≥ 3.5× the best peer; name only ≥ 50% of the raw ceiling; actions ≥ 2.5× the best correct peer with peak RSS no higher than that peer's; zero mismatched replies.",
    "\"Best correct peer\" leaves out peers that mismatched or lost a reply. CPU µs are the user + system time of the client's process per event or action (least over the runs); the server runs in another process. Server CPU is the loopback server's time per action: what the client's way of writing costs the PBX side.",
  ];
  return lines.join('\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as Contender, process.argv[4] as Mode, Number(process.argv[5]));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${await run()}\n`);
}
