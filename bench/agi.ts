/**
 * FastAGI benchmark: switchboard's server vs ding-dong vs a raw-socket ceiling, each in its own child process.
 * 1) A 6-command call script with 50 concurrent callers: sessions/s, commands/s, p99 session latency, server
 *    CPU time per session (process.cpuUsage in the server process), peak RSS.
 * 2) 10,000 concurrent idle calls (each blocked in WAIT FOR DIGIT -1): server RSS.
 * Run alone: node --import tsx bench/agi.ts
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const root = new URL('../', import.meta.url).pathname;
const buildDir = join(root, 'node_modules/.cache/switchboard-bench');

/**
 * The server processes run plain JavaScript, as in production (tsc output), not through tsx: tsx's per-function
 * name helpers would tax our code but not ding-dong's. Files are transpiled one by one into node_modules/.cache
 * (so `pino` and `ding-dong` resolve as usual).
 */
function compileServers(): string {
  const files = ['bench/agi-server.ts', ...readdirSync(join(root, 'src/agi')).map((f) => `src/agi/${f}`)];
  for (const rel of files) {
    if (!rel.endsWith('.ts')) continue;
    const out = ts.transpileModule(readFileSync(join(root, rel), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const dest = join(buildDir, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, out.outputText);
  }
  writeFileSync(join(buildDir, 'package.json'), '{"type":"module"}');
  return join(buildDir, 'bench/agi-server.js');
}
let serverScript: string | undefined;

const ALL = ['raw', 'switchboard', 'ding-dong'] as const;
const SERVERS = ALL.filter(
  (k) => !process.env['AGI_BENCH_SERVERS'] || process.env['AGI_BENCH_SERVERS'].split(',').includes(k),
);
type Kind = (typeof ALL)[number];
const CONCURRENCY = 50;
const WARMUP = 1000;
const SESSIONS = Number(process.env['AGI_BENCH_SESSIONS'] ?? 5000);
const SLICES = Number(process.env['AGI_BENCH_SLICES'] ?? 10);
const IDLE = Number(process.env['AGI_BENCH_IDLE'] ?? 10000);

const ENV = [
  'agi_network: yes',
  'agi_network_script: ivr?lang=en',
  'agi_request: agi://127.0.0.1:4573/ivr?lang=en',
  'agi_channel: PJSIP/reina-0000001a',
  'agi_language: en',
  'agi_type: PJSIP',
  'agi_uniqueid: 1795342900.26',
  'agi_version: 20.0.0',
  'agi_callerid: reina',
  'agi_calleridname: unknown',
  'agi_callingpres: 0',
  'agi_callingani2: 0',
  'agi_callington: 0',
  'agi_callingtns: 0',
  'agi_dnid: 25',
  'agi_rdnis: unknown',
  'agi_context: oficina2',
  'agi_extension: 25',
  'agi_priority: 1',
  'agi_enhanced: 0.0',
  'agi_accountcode: ',
  'agi_threadid: 140401134118592',
  '',
  '',
].join('\n');

function answer(line: string): string {
  if (line.startsWith('GET VARIABLE')) return '200 result=1 (5550100)\n';
  if (line.startsWith('GET DATA')) return '200 result=1234\n';
  if (line.startsWith('STREAM FILE')) return '200 result=0 endpos=3520\n';
  if (line.startsWith('ANSWER')) return '200 result=0\n';
  return '200 result=1\n';
}

interface Child {
  proc: ChildProcess;
  port: number;
  rss: number;
  request<T>(msg: string, type: string): Promise<T>;
}

async function spawnServer(kind: Kind, mode: 'script' | 'idle'): Promise<Child> {
  serverScript ??= compileServers();
  // AGI_BENCH_PROF=dir writes a CPU profile of each server process (for profiling before optimising).
  const prof = process.env['AGI_BENCH_PROF']
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env['AGI_BENCH_PROF']}`]
    : [];
  const proc = fork(serverScript, [kind, mode], {
    execArgv: ['--expose-gc', ...prof],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const request = <T>(msg: string, type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type === type) {
          proc.off('message', on);
          resolve(m as T);
        }
      };
      proc.on('message', on);
      if (msg) proc.send(msg);
    });
  const ready = await request<{ port: number; rss: number }>('', 'ready');
  return { proc, port: ready.port, rss: ready.rss, request };
}

async function stop(c: Child): Promise<void> {
  if (c.proc.exitCode !== null) return;
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.send('exit');
  await exited;
}

/** One call: connect, send the environment, answer every command, finish when the server closes. */
function call(port: number, onCommand: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = connect({ port, host: '127.0.0.1', noDelay: true });
    let buf = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.write(ENV));
    s.on('data', (text: string) => {
      buf += text;
      let nl = buf.indexOf('\n');
      let out = '';
      while (nl >= 0) {
        out += answer(buf.slice(0, nl));
        onCommand();
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
      if (out) s.write(out);
    });
    s.on('end', () => s.end());
    s.on('error', reject);
    s.on('close', () => resolve(performance.now() - t0));
  });
}

async function load(
  port: number,
  total: number,
): Promise<{ ms: number; commands: number; latencies: number[] }> {
  let started = 0;
  let commands = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < total) {
        started++;
        latencies.push(
          await call(port, () => {
            commands++;
          }),
        );
      }
    }),
  );
  return { ms: performance.now() - t0, commands, latencies };
}

function p99(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0;
}

interface ScriptResult {
  kind: Kind;
  sessionsPerSec: number;
  commandsPerSec: number;
  p99: number;
  cpuPerSession: number;
  userPerSession: number;
  maxRss: number;
  errors: number;
}

/**
 * All servers run at once (an idle server costs nothing); the load goes to one server at a time in short
 * slices, round-robin, so background load on the machine falls on every server alike.
 */
async function scriptRuns(): Promise<ScriptResult[]> {
  const children = new Map<Kind, Child>();
  for (const kind of SERVERS) children.set(kind, await spawnServer(kind, 'script'));
  try {
    const acc = new Map<Kind, { ms: number; commands: number; latencies: number[] }>();
    for (const [kind, child] of children) {
      await load(child.port, WARMUP);
      await child.request('mark', 'marked');
      acc.set(kind, { ms: 0, commands: 0, latencies: [] });
    }
    const slice = Math.ceil(SESSIONS / SLICES);
    for (let i = 0; i < SLICES; i++) {
      for (const [kind, child] of children) {
        const r = await load(child.port, slice);
        const a = acc.get(kind)!;
        a.ms += r.ms;
        a.commands += r.commands;
        a.latencies.push(...r.latencies);
      }
    }
    const out: ScriptResult[] = [];
    for (const [kind, child] of children) {
      const a = acc.get(kind)!;
      const stats = await child.request<{
        cpuMicros: number;
        userMicros: number;
        sessions: number;
        maxRss: number;
      }>('stats', 'stats');
      out.push({
        kind,
        sessionsPerSec: (a.latencies.length / a.ms) * 1000,
        commandsPerSec: (a.commands / a.ms) * 1000,
        p99: p99(a.latencies),
        cpuPerSession: stats.cpuMicros / Math.max(1, stats.sessions),
        userPerSession: stats.userMicros / Math.max(1, stats.sessions),
        maxRss: stats.maxRss,
        errors: a.latencies.length * 6 - a.commands,
      });
    }
    return out;
  } finally {
    for (const child of children.values()) await stop(child);
  }
}

async function idleRun(kind: Kind): Promise<{ kind: Kind; base: number; rss: number }> {
  const child = await spawnServer(kind, 'idle');
  const sockets: ReturnType<typeof connect>[] = [];
  try {
    let commands = 0;
    let allIn!: () => void;
    const reached = new Promise<void>((r) => {
      allIn = r;
    });
    for (let i = 0; i < IDLE; i += 500) {
      await Promise.all(
        Array.from(
          { length: Math.min(500, IDLE - i) },
          () =>
            new Promise<void>((resolve, reject) => {
              const s = connect({ port: child.port, host: '127.0.0.1' }, () => {
                s.write(ENV);
                resolve();
              });
              s.setEncoding('utf8');
              s.on('error', reject);
              s.once('data', () => {
                if (++commands === IDLE) allIn();
              });
              sockets.push(s);
            }),
        ),
      );
    }
    await reached;
    const stats = await child.request<{ rss: number }>('stats', 'stats');
    return { kind, base: child.rss, rss: stats.rss };
  } finally {
    for (const s of sockets) s.destroy();
    await stop(child);
  }
}

const mb = (b: number) => (b / 2 ** 20).toFixed(1);

/** Runs the FastAGI benchmark and returns its Markdown tables. */
export async function run(): Promise<string> {
  const results = await scriptRuns();
  const raw = results.find((r) => r.kind === 'raw') ?? results[0]!;
  const lines = [
    `6-command call script, ${CONCURRENCY} concurrent callers, ${SESSIONS} sessions (after ${WARMUP} warm-up) per server, fed in ${SLICES} slices round-robin across the servers; each server in its own process, callers in the bench process. CPU = server user+system time per session.`,
    '',
    '| server | sessions/s | commands/s | p99 session ms | server CPU µs/session (user) | CPU vs raw | peak RSS MB | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.kind === 'raw' ? 'raw socket (ceiling)' : r.kind} | ${r.sessionsPerSec.toFixed(0)} | ${r.commandsPerSec.toFixed(0)} | ${r.p99.toFixed(1)} | ${r.cpuPerSession.toFixed(0)} (${r.userPerSession.toFixed(0)}) | ${(r.cpuPerSession / raw.cpuPerSession).toFixed(2)}x | ${mb(r.maxRss)} | ${r.errors} |`,
    ),
    '',
    `${IDLE} concurrent idle calls (each waiting in WAIT FOR DIGIT -1):`,
    '',
    '| server | RSS before MB | RSS with the calls MB | KB per call |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const kind of SERVERS) {
    const r = await idleRun(kind);
    lines.push(
      `| ${kind === 'raw' ? 'raw socket (ceiling)' : kind} | ${mb(r.base)} | ${mb(r.rss)} | ${((r.rss - r.base) / 1024 / IDLE).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await run()}\n`);
}
