import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import { FakeAjamServer } from '../../src/testing/index.js';

interface Recorded {
  method: string;
  url: string;
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

function packets(body: string): AmiMessage[] {
  const out: AmiMessage[] = [];
  const p = new AmiParser({ onMessage: (m) => out.push(m), banner: false });
  p.push(Buffer.from(body));
  if (p.pending > 0) p.push(Buffer.from('\r\n\r\n'));
  return out;
}

function get(port: number, path: string, cookie?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path, headers: cookie ? { Cookie: cookie } : {} },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += String(c);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
    },
  );
}

const cookieOf = (h: http.IncomingHttpHeaders | Array<[string, string]>) => {
  const v = Array.isArray(h) ? h.find(([k]) => k.toLowerCase() === 'set-cookie')?.[1] : h['set-cookie']?.[0];
  return /mansession_id="([0-9a-f]+)"/.exec(v ?? '')?.[1];
};

describe('FakeAjamServer answers like the recorded Asterisk rawman sessions', () => {
  let srv: FakeAjamServer;
  before(async () => {
    srv = await FakeAjamServer.start({ users: { harness: 'harness-secret' } });
    srv.handle('Originate', () => ({ Message: 'Originate successfully queued' }));
  });
  after(() => srv.close());

  for (const version of ['asterisk', 'asterisk-13', 'asterisk-11']) {
    test(`${version}/ajam/rawman.jsonl, request by request`, async () => {
      const path = new URL(`../fixtures/${version}/ajam/rawman.jsonl`, import.meta.url);
      const recorded = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Recorded);
      let cookie: string | undefined;
      let recordedCookie: string | undefined;
      let compared = 0;
      for (const r of recorded) {
        const action = new URL(r.url, 'http://x').searchParams.get('action')?.toLowerCase() ?? '';
        if (action === 'command') continue; // CLI output is the real PBX's own
        // No events are queued here, so do not sit out the recorded long-poll timeouts.
        const url = action === 'waitevent' ? r.url.replace(/Timeout=\d+/i, 'Timeout=0') : r.url;
        const live = await get(srv.port, url, cookie ? `mansession_id="${cookie}"` : undefined);
        assert.equal(live.status, r.status);
        assert.equal(live.headers['content-type'], 'text/plain');
        assert.equal(live.headers.pragma, 'SuppressEvents');
        assert.match(
          live.headers['set-cookie']?.[0] ?? '',
          /^mansession_id="[0-9a-f]{8}"; Version=1; Max-Age=60$/,
        );
        // A new cookie exactly when Asterisk issued one.
        const newRecorded = cookieOf(r.headers) !== recordedCookie;
        const newLive = cookieOf(live.headers) !== cookie;
        assert.equal(newLive, newRecorded, `cookie change at ${r.url}`);
        recordedCookie = cookieOf(r.headers);
        cookie = cookieOf(live.headers);
        const want = packets(r.body);
        const got = packets(live.body);
        assert.equal(got[0]?.response, want[0]?.response, r.url);
        assert.equal(got[0]?.actionId, want[0]?.actionId, r.url);
        if (action !== 'ping' || want[0]?.response === 'Error')
          assert.equal(got[0]?.get('Message'), want[0]?.get('Message'));
        else assert.equal(got[0]?.get('Ping'), 'Pong');
        if (action === 'waitevent') {
          const last = got[got.length - 1];
          assert.equal(last?.event, 'WaitEventComplete');
          assert.equal(last?.actionId, want[want.length - 1]?.actionId);
        }
        if (action === 'login' && want[0]?.response === 'Success' && want.length > 1) {
          assert.equal(got[1]?.event, 'FullyBooted');
        }
        compared++;
      }
      assert.ok(compared >= 8);
    });
  }

  test('POST forms, repeated parameters and events by WaitEvent long poll', async () => {
    const login = await get(srv.port, '/asterisk/rawman?action=Login&username=harness&secret=harness-secret');
    const cookie = `mansession_id="${cookieOf(login.headers)}"`;
    const waiting = get(srv.port, '/asterisk/rawman?action=WaitEvent&Timeout=5&ActionID=w1', cookie);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Hi', X: ['1', '2'] }), 1);
    const got = packets((await waiting).body);
    assert.deepEqual(
      got.map((m) => m.event ?? m.response),
      ['Success', 'UserEvent', 'WaitEventComplete'],
    );
    assert.deepEqual(got[1]?.getAll('X'), ['1', '2']);
    assert.equal((await get(srv.port, '/nope/rawman?action=Ping')).status, 404);
  });
});
