/** A local webhook receiver for tests and the bench: records every request; the answer is programmable. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received. */
export interface Received {
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when it arrived. */
  at: number;
}

/** What to answer. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Hold the answer this long (ms). */
  delayMs?: number;
}

/** A started receiver. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Changes the answer; gets the request and its index. */
  answer: (r: Received, index: number) => Answer;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 (ephemeral port). */
export async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const rec: Receiver = {
    url: '',
    received,
    answer,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      received.push(r);
      const a = rec.answer(r, received.length - 1);
      const send = () => {
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
        res.end(a.body ?? 'ok');
      };
      if (a.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, a.delayMs);
        timers.add(t);
      } else send();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return rec;
}
