/**
 * PBX model benchmark.
 *
 * (a) throughput: 20,000 synthetic two-leg SIP calls (340,000 events with full channel snapshots, as current
 *     Asterisk sends them) — the AMI parser alone (ceiling), the parser + PbxModel, the AmiClient over loopback
 *     TCP alone, and the AmiClient + PbxMonitor; events/s (wall) and events per CPU-second;
 * (b) memory at 10,000 concurrent channels (5,000 bridged calls): heap and RSS growth, bytes per channel, and the
 *     heap after they all hung up and their records went out;
 * (c) sustained load: 1,000 events/s for 30 simulated minutes (the model's clock is the event time, so it runs
 *     as fast as the CPU allows) with ~10,000 channels up at any time — heap after GC at each simulated 5 minutes.
 *
 * `npm run bench` calls run(); `node --import tsx bench/pbx.ts` runs it alone. No timing is asserted.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AmiClient, AmiParser } from '../src/ami/index.js';
import { PbxModel, PbxMonitor } from '../src/pbx/index.js';
import { asMessage, callEvents, type LoadEvent, wire } from './pbx-load.js';

const CALLS = Number(process.env.PBX_BENCH_CALLS ?? 20_000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settle(): void {
  for (let i = 0; i < 3; i++) gc();
}

const mb = (b: number) => (b / 2 ** 20).toFixed(1);

/** The whole load as wire bytes, calls overlapping by 500 so bridges and calls pile up a little. */
function loadBytes(calls: number): { bytes: Buffer; events: number } {
  const chunks: string[] = [];
  let events = 0;
  const lag = 500;
  for (let i = 0; i < calls + lag; i++) {
    const evs: LoadEvent[] = [];
    if (i < calls) evs.push(...callEvents(i).setup);
    if (i >= lag) evs.push(...callEvents(i - lag).teardown);
    events += evs.length;
    chunks.push(wire(evs));
  }
  return { bytes: Buffer.from(chunks.join(''), 'latin1'), events };
}

interface Row {
  what: string;
  events: number;
  seconds: number;
  cpuSeconds: number;
}

function measure(what: string, events: number, fn: () => void): Row {
  settle();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { what, events, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function measureAsync(what: string, events: number, fn: () => Promise<void>): Promise<Row> {
  settle();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { what, events, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** A loopback AMI server: banner, accepts any login, refuses other actions, then floods `bytes` on demand. */
async function floodServer(bytes: Buffer) {
  let sock: Socket | undefined;
  const server = createServer((s) => {
    sock = s;
    s.write('Asterisk Call Manager/13.0.0\r\n');
    const p = new AmiParser({
      banner: false,
      onMessage: (m) => {
        const id = m.actionId ? `ActionID: ${m.actionId}\r\n` : '';
        if (m.get('Action')?.toLowerCase() === 'login')
          s.write(`Response: Success\r\n${id}Message: Authentication accepted\r\n\r\n`);
        else s.write(`Response: Error\r\n${id}Message: Invalid/unknown command\r\n\r\n`);
      },
    });
    s.on('data', (d) => p.push(d));
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `ami://bench:bench@127.0.0.1:${port}`,
    flood: () =>
      sock?.write(Buffer.concat([bytes, Buffer.from('Event: UserEvent\r\nUserEvent: BenchDone\r\n\r\n')])),
    close: async () => {
      sock?.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function overTcp(bytes: Buffer, withModel: boolean): Promise<() => Promise<void>> {
  const srv = await floodServer(bytes);
  const client = new AmiClient({ url: srv.url, keepalive: false, reconnect: false });
  await client.connect();
  const monitor = withModel
    ? new PbxMonitor([{ id: 'bench', client }], { tickMs: 60_000, kpiEveryMs: 0 })
    : undefined;
  if (monitor) {
    monitor.start();
    await monitor.ready();
  }
  return async () => {
    const done = new Promise<void>((resolve) => {
      client.on('event', (m) => {
        if (m.get('UserEvent') === 'BenchDone') resolve();
      });
    });
    srv.flood();
    await done;
    if (monitor) {
      const st = monitor.model('bench')!.stats();
      if (st.channels !== 0 || st.bridges !== 0)
        throw new Error(`model not empty after the load: ${JSON.stringify(st)}`);
      await monitor.close();
    }
    await client.close();
    await srv.close();
  };
}

function throughputTable(rows: Row[]): string {
  const base = rows[0]!;
  const out = [
    '| pipeline | events | events/s (wall) | events per CPU-second | vs parser alone (CPU) |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const perCpu = r.events / r.cpuSeconds;
    out.push(
      `| ${r.what} | ${r.events.toLocaleString('en-US')} | ${Math.round(r.events / r.seconds).toLocaleString('en-US')} | ${Math.round(perCpu).toLocaleString('en-US')} | ${(perCpu / (base.events / base.cpuSeconds)).toFixed(2)} |`,
    );
  }
  return out.join('\n');
}

function memoryAtTenThousand(): string {
  settle();
  const h0 = process.memoryUsage();
  const model = new PbxModel({ server: 'mem', recordLingerMs: 0 });
  const now = Date.now();
  const calls = 5000;
  for (let i = 0; i < calls; i++) for (const e of callEvents(i).setup) model.apply(asMessage(e), now);
  settle();
  const h1 = process.memoryUsage();
  const st = model.stats();
  for (let i = 0; i < calls; i++) for (const e of callEvents(i).teardown) model.apply(asMessage(e), now);
  model.tick(now + 1, false);
  settle();
  const h2 = process.memoryUsage();
  const after = model.stats();
  const per = (h1.heapUsed - h0.heapUsed) / st.channels;
  return [
    '| 10,000 concurrent channels (5,000 bridged calls) | value |',
    '| --- | ---: |',
    `| channels / calls / bridges in the model | ${st.channels.toLocaleString('en-US')} / ${st.calls.toLocaleString('en-US')} / ${st.bridges.toLocaleString('en-US')} |`,
    `| heap growth | ${mb(h1.heapUsed - h0.heapUsed)} MiB (${Math.round(per).toLocaleString('en-US')} B per channel, its call and bridge included) |`,
    `| process RSS at that point (RSS moves in coarse steps; the heap is the measure) | ${mb(h1.rss)} MiB (${mb(h0.rss)} MiB before) |`,
    `| heap after all hung up and the records went out | ${mb(h2.heapUsed - h0.heapUsed)} MiB above the start (maps: ${after.channels} channels, ${after.calls} calls, ${after.legs} legs; ${after.facts} KPI facts kept for the window) |`,
  ].join('\n');
}

function sustained(): string {
  // 1,000 events/s = 17 events per call → ~59 calls/s; each call lasts 85 s, so ~10,000 channels are up.
  const model = new PbxModel({ server: 'soak', recordLingerMs: 2000, kpiWindowMs: 15 * 60_000 });
  const t0 = Date.UTC(2026, 10, 22);
  const perSecond = 1000;
  const callsPerSecond = Math.round(perSecond / 17);
  const minutes = Number(process.env.PBX_BENCH_MINUTES ?? 30);
  const callMs = 85_000;
  const startedAt: number[] = [];
  let started = 0;
  let ended = 0;
  const samples: string[] = [];
  let events = 0;
  settle();
  const base = process.memoryUsage().heapUsed;
  let maxChannels = 0;
  for (let s = 0; s < minutes * 60; s++) {
    const now = t0 + s * 1000;
    while (ended < started && startedAt[ended]! + callMs <= now) {
      for (const e of callEvents(ended++).teardown) model.apply(asMessage(e), now);
      events += 7;
    }
    for (let i = 0; i < callsPerSecond; i++) {
      startedAt.push(now);
      for (const e of callEvents(started++).setup) model.apply(asMessage(e), now);
      events += 10;
    }
    model.tick(now, s % 10 === 0);
    maxChannels = Math.max(maxChannels, model.stats().channels);
    if ((s + 1) % 300 === 0) {
      settle();
      const st = model.stats();
      samples.push(
        `| ${(s + 1) / 60} min | ${st.channels.toLocaleString('en-US')} | ${st.calls.toLocaleString('en-US')} | ${st.facts.toLocaleString('en-US')} | ${mb(process.memoryUsage().heapUsed - base)} MiB |`,
      );
    }
  }
  return [
    `Sustained ${perSecond.toLocaleString('en-US')} events/s for ${minutes} simulated minutes (${events.toLocaleString('en-US')} events, up to ${maxChannels.toLocaleString('en-US')} channels up; KPI window 15 min):`,
    '',
    '| simulated time | channels up | calls held | KPI facts | heap above start (after GC) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...samples,
  ].join('\n');
}

/** Runs the benchmark and returns its Markdown tables. */
export async function run(): Promise<string> {
  const { bytes, events } = loadBytes(CALLS);
  const rows: Row[] = [];
  rows.push(
    measure('AmiParser alone (ceiling)', events, () => {
      let n = 0;
      const p = new AmiParser({ banner: false, onMessage: () => n++ });
      for (let i = 0; i < bytes.length; i += 65_536) p.push(bytes.subarray(i, i + 65_536));
      if (n !== events) throw new Error(`parsed ${n} of ${events}`);
    }),
  );
  rows.push(
    measure('AmiParser + decoding every header (what any reader pays)', events, () => {
      let n = 0;
      const p = new AmiParser({
        banner: false,
        onMessage: (m) => {
          n += m.headers.length > 0 ? 1 : 0;
        },
      });
      for (let i = 0; i < bytes.length; i += 65_536) p.push(bytes.subarray(i, i + 65_536));
      if (n !== events) throw new Error(`decoded ${n} of ${events}`);
    }),
  );
  rows.push(
    measure('AmiParser + PbxModel.apply', events, () => {
      const model = new PbxModel({ server: 'bench' });
      // The clock moves 1 ms per event and the model ticks every 1,000 events, so records go out as in real use.
      let now = Date.now();
      let n = 0;
      const p = new AmiParser({
        banner: false,
        onMessage: (m) => {
          model.apply(m, ++now);
          if (++n % 1000 === 0) model.tick(now, false);
        },
      });
      for (let i = 0; i < bytes.length; i += 65_536) p.push(bytes.subarray(i, i + 65_536));
      if (model.stats().channels !== 0) throw new Error('model not empty after the load');
    }),
  );
  rows.push(await measureAsync('AmiClient over TCP (no model)', events, await overTcp(bytes, false)));
  rows.push(await measureAsync('AmiClient over TCP + PbxMonitor', events, await overTcp(bytes, true)));
  return [
    `Node ${process.version}. ${CALLS.toLocaleString('en-US')} two-leg SIP calls, 17 events each with full channel snapshots (bench/pbx-load.ts).`,
    '',
    throughputTable(rows),
    '',
    memoryAtTenThousand(),
    '',
    sustained(),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${await run()}\n`);
}
