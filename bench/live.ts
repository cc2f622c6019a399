/**
 * Live push latency: a real `switchboard serve` (in this process) on a fake Asterisk that sends 1,000 events/s,
 * with 100 WebSocket clients in a worker thread (their parsing does not share the server's event loop). Each
 * event renames a caller (`NewCallerid`) with a stamp of when the fake wrote it; a client reads the stamp from the
 * change it receives (reading just that field, as a consumer that needs one value would). Reported: p50/p95/p99
 * from the AMI write to the client's read, and what was lost.
 */
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { loadConfig } from '../src/server/config.js';
import { startServer } from '../src/server/server.js';
import { openStore } from '../src/store/index.js';
import { FakeAmiServer } from '../src/testing/index.js';

const CLIENTS = 100;
const RATE = 1000;
const SECONDS = 10;
const CHANNELS = 50;

const now = () => performance.timeOrigin + performance.now();

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.ws);
const now = () => performance.timeOrigin + performance.now();
const lat = [];
let open = 0, got = 0, closed = 0;
for (let i = 0; i < workerData.clients; i++) {
  const ws = new WebSocket(workerData.url, { headers: { authorization: 'Bearer ' + workerData.token } });
  ws.on('open', () => { if (++open === workerData.clients) parentPort.postMessage({ type: 'open' }); });
  ws.on('close', () => closed++);
  ws.on('message', (d) => {
    // A consumer that reads what it needs: the stamp, without parsing the whole change.
    const s = d.toString();
    const i = s.indexOf('"callerIdName":"t=');
    if (i < 0) return;
    got++;
    lat.push(now() - Number(s.slice(i + 18, s.indexOf('"', i + 18))));
  });
}
parentPort.on('message', (m) => { if (m === 'report') parentPort.postMessage({ type: 'report', lat, got, closed }); });
`;

/** Runs the benchmark; returns its Markdown table. */
export async function run(): Promise<string> {
  const fake = await FakeAmiServer.start();
  const store = await openStore({ url: ':memory:' });
  const config = loadConfig({
    env: {},
    flags: { http: { host: '127.0.0.1', port: 0 }, pbx: [{ ami: fake.url() }] },
  });
  const server = await startServer({ config, store, logger: pino({ level: 'silent' }), services: [] });
  await server.context.pbx.monitor.ready();
  await server.context.auth.createAccount({ name: 'bench', role: 'viewer', password: 'bench-password' });
  const { token } = await server.context.auth.createToken({ name: 'bench', account: 'bench' });
  const base = {
    Privilege: 'call,all',
    ChannelState: '6',
    ChannelStateDesc: 'Up',
    ConnectedLineNum: '<unknown>',
    ConnectedLineName: '<unknown>',
    Language: 'en',
    AccountCode: '',
    Context: 'bench',
    Exten: '100',
    Priority: '1',
  };
  for (let i = 0; i < CHANNELS; i++) {
    fake.emit({
      Event: 'Newchannel',
      Channel: `PJSIP/b${i}-0000`,
      CallerIDNum: `${i}`,
      CallerIDName: 'x',
      ...base,
      Uniqueid: `1.${i}`,
      Linkedid: `1.${i}`,
    });
  }
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      url: `${server.url.replace('http', 'ws')}/api/v1/live`,
      token,
      clients: CLIENTS,
      ws: require.resolve('ws'),
    },
  });
  await new Promise<void>((r) => worker.on('message', (m: { type: string }) => m.type === 'open' && r()));
  const started = now();
  let sent = 0;
  const cpu0 = process.cpuUsage();
  // 1,000 events/s, sent in 1 ms steps at the wall-clock rate (catching up if a timer was late).
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(RATE * SECONDS, Math.floor(((now() - started) / 1000) * RATE));
      while (sent < due) {
        const i = sent++ % CHANNELS;
        fake.emit({
          Event: 'NewCallerid',
          Channel: `PJSIP/b${i}-0000`,
          CallerIDNum: `${i}`,
          CallerIDName: `t=${now()}`,
          ...base,
          Uniqueid: `1.${i}`,
          Linkedid: `1.${i}`,
          'CID-CallingPres': '0 (Presentation Allowed, Not Screened)',
        });
      }
      if (sent >= RATE * SECONDS) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await new Promise((r) => setTimeout(r, 1000));
  const cpu = process.cpuUsage(cpu0);
  const report = await new Promise<{ lat: number[]; got: number; closed: number }>((r) => {
    worker.on('message', (m: { type: string }) => m.type === 'report' && r(m as never));
    worker.postMessage('report');
  });
  await worker.terminate();
  await server.close();
  await store.close();
  await fake.close();
  const lat = report.lat.sort((a, b) => a - b);
  const expected = sent * CLIENTS;
  const f = (n: number) => `${n.toFixed(1)} ms`;
  return [
    `${CLIENTS} WebSocket clients (one worker thread), ${RATE} AMI events/s for ${SECONDS} s, server and fake AMI in the main thread.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| changes delivered / expected | ${report.got.toLocaleString('en')} / ${expected.toLocaleString('en')} |`,
    `| clients dropped as slow | ${report.closed} |`,
    `| latency p50 (AMI write → client parsed) | ${f(quantile(lat, 0.5))} |`,
    `| latency p95 | ${f(quantile(lat, 0.95))} |`,
    `| latency p99 (goal < 100 ms) | ${f(quantile(lat, 0.99))} |`,
    `| CPU of the whole process (server, fake AMI and the clients' worker) per second | ${((cpu.user + cpu.system) / 1e3 / SECONDS).toFixed(0)} ms |`,
  ].join('\n');
}

// `require` for resolving the ws package path in an ESM module.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${await run()}\n`);
