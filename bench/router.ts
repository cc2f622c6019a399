/**
 * Call-router benchmark.
 * 1) Route resolution with 10,000 routes (5,000 exact numbers, 4,000 `_NNNNXX`, 1,000 `_9NNNN.`): the compiled
 *    trie (RuleSet.resolve, with the enabled / caller-ID / time-window checks) against a linear scan of the same
 *    compiled patterns in Asterisk order, and against a chain of regular expressions (the usual `elseif` script).
 * 2) Complete FastAGI call flows per second, 50 concurrent raw-socket callers: the router on SQLite (rules version
 *    check, resolution, EXEC Dial, DIALSTATUS, variables, call-log row) against a raw-socket ceiling that sends the
 *    same five commands with no rules and no database; plus calls that need a PIN (one scrypt verification each).
 * Run alone: node --import tsx bench/router.ts
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use the router's ${var} syntax
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePatterns, compilePattern, loadDemo, RouterServer, RuleSet } from '../src/router/index.js';
import { openStore, type RouteRecord, type Store } from '../src/store/index.js';

const CONCURRENCY = 50;
const CALLS = Number(process.env.ROUTER_BENCH_CALLS ?? 2000);

function route(id: number, pattern: string): RouteRecord {
  return {
    id,
    name: `r${id}`,
    pattern,
    callerId: null,
    app: 'dial',
    appData: '{}',
    position: 0,
    enabled: true,
    rewriteStrip: 0,
    rewritePrepend: '',
    failoverOn: ['CHANUNAVAIL'],
    targets: [{ template: 'PJSIP/${number}', options: null, timeout: null }],
    windows: [],
  };
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** CPU time (user + system) per item in µs: steadier than wall time on a shared machine. */
function timeIt(fn: () => number, rounds: number, perRound: number): number {
  fn();
  const start = process.cpuUsage();
  let sink = 0;
  for (let r = 0; r < rounds; r++) sink += fn();
  const used = process.cpuUsage(start);
  if (sink < 0) console.log(sink);
  return (used.user + used.system) / (rounds * perRound);
}

/** Route resolution with 10,000 routes: CPU µs per resolution for the trie, a linear scan and a regex chain. */
export function resolution(): { trie: number; linear: number; regex: number } {
  const routes: RouteRecord[] = [];
  for (let i = 0; i < 5000; i++) routes.push(route(routes.length + 1, String(100000 + i * 7)));
  for (let i = 0; i < 4000; i++) routes.push(route(routes.length + 1, `_${pad(i, 4)}XX`));
  for (let i = 0; i < 1000; i++) routes.push(route(routes.length + 1, `_9${pad(i, 3)}N.`));
  const rules = new RuleSet({ routes, extensions: [], users: [], permissions: [] });
  const numbers = Array.from(
    { length: 1000 },
    (_, i) => [String(100000 + i * 7), `${pad(i, 4)}55`, `9${pad(i, 3)}5123`, '77777777777'][i % 4] as string,
  );
  const at = new Date();
  const trie = timeIt(
    () => {
      let hits = 0;
      for (const n of numbers) if (rules.resolve(n, { caller: '33', at }).route) hits++;
      return hits;
    },
    50,
    numbers.length,
  );
  const sorted = routes.map((r) => compilePattern(r.pattern)).sort(comparePatterns);
  const linear = timeIt(
    () => {
      let hits = 0;
      for (const n of numbers) if (sorted.find((p) => p.matches(n))) hits++;
      return hits;
    },
    3,
    numbers.length,
  );
  const regexes = sorted.map((p) =>
    p.exact
      ? new RegExp(`^${p.canonical}$`)
      : new RegExp(
          `^${p.elements.map((e) => (e.kind === 'dot' ? '.+' : e.kind === 'bang' ? '.*' : `[${e.chars.replace(/[*+#]/g, '\\$&')}]`)).join('')}$`,
        ),
  );
  const regex = timeIt(
    () => {
      let hits = 0;
      for (const n of numbers) if (regexes.find((r) => r.test(n))) hits++;
      return hits;
    },
    3,
    numbers.length,
  );
  return { trie, linear, regex };
}

const ENV = (ext: string, caller: string) =>
  [
    'agi_network: yes',
    'agi_network_script: router',
    'agi_request: agi://127.0.0.1:4573/router',
    'agi_channel: PJSIP/reina-0000001a',
    'agi_language: es',
    'agi_type: PJSIP',
    'agi_uniqueid: 1795342900.26',
    'agi_version: 20.0.0',
    `agi_callerid: ${caller}`,
    'agi_calleridname: unknown',
    'agi_dnid: unknown',
    'agi_rdnis: unknown',
    'agi_context: oficina2',
    `agi_extension: ${ext}`,
    'agi_priority: 1',
    'agi_enhanced: 0.0',
    'agi_accountcode: ',
    'agi_threadid: 140401134118592',
    '',
    '',
  ].join('\n');

function reply(line: string): string {
  if (line.startsWith('GET VARIABLE DIALSTATUS')) return '200 result=1 (ANSWER)\n';
  if (line.startsWith('GET DATA')) return '200 result=123456\n';
  if (line.startsWith('EXEC')) return '200 result=0\n';
  return '200 result=1\n';
}

/** One raw-socket caller: sends the environment, answers every command, resolves when the server closes. */
function oneCall(port: number, env: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let buf = '';
    let commands = 0;
    s.setEncoding('utf8');
    s.on('connect', () => s.write(env));
    s.on('data', (d: string) => {
      buf += d;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        commands++;
        s.write(reply(line));
        nl = buf.indexOf('\n');
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(commands));
  });
}

/** Calls per second (wall clock) and CPU µs per call (this process: callers + server — the same callers for every row). */
async function callsPerSecond(
  port: number,
  env: string,
  calls: number,
): Promise<{ rate: number; cpu: number }> {
  let next = 0;
  let limit = CONCURRENCY * 2; // warm-up
  const worker = async () => {
    while (next < limit) {
      next++;
      await oneCall(port, env);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  next = 0;
  limit = calls;
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { rate: calls / ((performance.now() - start) / 1000), cpu: (cpu.user + cpu.system) / calls };
}

/** The ceiling: a raw FastAGI server sending the router's five commands of an authorized call, nothing else. */
function rawServer(): Promise<Server> {
  const script = [
    'SET VARIABLE ROUTER_ROUTE sip',
    'EXEC Dial SIP/25',
    'GET VARIABLE DIALSTATUS',
    'SET VARIABLE ROUTER_STATUS ANSWER',
    'SET VARIABLE ROUTER_TARGET SIP/25',
  ];
  const server = createServer((s) => {
    s.setEncoding('utf8');
    let buf = '';
    let started = false;
    let step = 0;
    s.on('data', (d: string) => {
      buf += d;
      if (!started) {
        const end = buf.indexOf('\n\n');
        if (end < 0) return;
        started = true;
        buf = buf.slice(end + 2);
        s.write(`${script[step++]}\n`);
        return;
      }
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        buf = buf.slice(nl + 1);
        if (step < script.length) s.write(`${script[step++]}\n`);
        else s.end();
        nl = buf.indexOf('\n');
      }
    });
    s.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Rate = { rate: number; cpu: number };

async function flows(store: Store): Promise<{ authorized: Rate; pin: Rate }> {
  const server = new RouterServer({ store, config: { listen: { host: '127.0.0.1', port: 0 } } });
  const { port } = await server.listen();
  try {
    const authorized = await callsPerSecond(port, ENV('25', '33'), CALLS);
    const pin = await callsPerSecond(port, ENV('31', '44'), 100);
    return { authorized, pin };
  } finally {
    await server.close();
  }
}

/** Runs the router benchmark and returns its Markdown table. */
export async function run(): Promise<string> {
  const res = resolution();
  const dir = mkdtempSync(join(tmpdir(), 'sb-router-bench-'));
  const raw = await rawServer();
  const rawPort = (raw.address() as { port: number }).port;
  const ceiling = await callsPerSecond(rawPort, ENV('25', '33'), CALLS);
  await new Promise<void>((r) => raw.close(() => r()));
  const sqlite = await openStore({ url: join(dir, 'bench.sqlite') });
  await loadDemo(sqlite);
  const onSqlite = await flows(sqlite);
  await sqlite.close();
  let onPg: { authorized: Rate; pin: Rate } | undefined;
  const pgUrl = process.env.SWITCHBOARD_TEST_PG_URL;
  if (pgUrl) {
    const schema = `bench_${process.pid}`;
    const pg = await openStore({ url: pgUrl, schema });
    try {
      await loadDemo(pg);
      onPg = await flows(pg);
    } finally {
      await pg.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await pg.close();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const f = (n: number, d = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const flowRow = (what: string, r: Rate, base: boolean) =>
    `| ${what} | ${f(r.rate)}/s, ${f(r.cpu)} CPU µs/call | ${base ? `raw-socket ceiling (same 5 commands, no rules, no DB): ${f(ceiling.rate)}/s, ${f(ceiling.cpu)} CPU µs/call` : '—'} | ${base ? `${f((r.rate / ceiling.rate) * 100)}% of the ceiling's rate; +${f(r.cpu - ceiling.cpu)} CPU µs/call` : '—'} |`;
  const rows = [
    '| measure | switchboard router | baseline | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| route resolution, 10,000 routes (CPU µs per call) | ${f(res.trie, 2)} | linear scan in Asterisk order: ${f(res.linear, 1)} | ${f(res.linear / res.trie)}× faster |`,
    `| route resolution, 10,000 routes (CPU µs per call) | ${f(res.trie, 2)} | regex chain (\`elseif\` script): ${f(res.regex, 1)} | ${f(res.regex / res.trie)}× faster |`,
    flowRow(`authorized FastAGI call flows, SQLite, ${CONCURRENCY} callers`, onSqlite.authorized, true),
    flowRow('PIN call flows (one scrypt N=2^14 check each), SQLite', onSqlite.pin, false),
  ];
  if (onPg) {
    rows.push(
      flowRow(`authorized FastAGI call flows, PostgreSQL, ${CONCURRENCY} callers`, onPg.authorized, true),
      flowRow('PIN call flows, PostgreSQL', onPg.pin, false),
    );
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await run());
}
