/** The Asterisk log console's parts: the parser on every line of the real log, the ring's filters, the file follower across rotation and truncation, syslog over UDP and TCP. */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  FileFollower,
  LogRing,
  parseLogLine,
  parseSyslog,
  SyslogReceiver,
  syslogToLine,
} from '../../src/admin/index.js';
import { waitUntil } from '../helpers/wait.js';

const LOG = readFileSync('test/fixtures/asterisk/logs/messages.log', 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const NOW = new Date(2026, 11, 5);

describe('Asterisk log parser', () => {
  it('parses every line of the real messages.log; the only unparsed lines are kept whole', () => {
    assert.equal(LOG.length, 241);
    const unparsed: string[] = [];
    for (const raw of LOG) {
      const l = parseLogLine(raw, NOW);
      assert.equal(l.raw, raw);
      assert.ok(l.time?.startsWith('2026-12-0'), raw);
      if (!l.parsed) {
        unparsed.push(raw);
        assert.ok(l.message.length > 0);
        continue;
      }
      assert.match(l.level!, /^(ERROR|WARNING|NOTICE|VERBOSE|DEBUG|SECURITY|DTMF)$/, raw);
      assert.match(l.thread!, /^\d+$/);
      assert.match(l.file!, /\.c$/);
      // The message is exactly what follows "file.c: " in the raw line.
      assert.ok(raw.endsWith(`${l.file}: ${l.message}`), raw);
      if (raw.includes('][C-')) assert.match(l.callId!, /^C-[0-9a-f]{8}$/);
      else assert.equal(l.callId, null);
    }
    // The banner line ("Asterisk … built by …") has a date and no level.
    assert.ok(unparsed.length <= 3, unparsed.join('\n'));
    assert.ok(
      unparsed.every((u) => !/\] [A-Z]+\[\d+\]/.test(u)),
      unparsed.join('\n'),
    );
  });

  it('reads the call-id line exactly', () => {
    const l = parseLogLine(
      '[Dec  4 02:26:34] VERBOSE[12124][C-00000001] app_dial.c: PJSIP/alonso-00000001 answered PJSIP/2001-00000000',
      NOW,
    );
    assert.deepEqual(
      { level: l.level, thread: l.thread, callId: l.callId, file: l.file, message: l.message },
      {
        level: 'VERBOSE',
        thread: '12124',
        callId: 'C-00000001',
        file: 'app_dial.c',
        message: 'PJSIP/alonso-00000001 answered PJSIP/2001-00000000',
      },
    );
    assert.equal(l.time, new Date(2026, 11, 4, 2, 26, 34).toISOString());
  });

  it('reads the full-log variant (file.c:line function:), ISO dates, and keeps unknown lines raw', () => {
    const full = parseLogLine(
      '[2026-12-04 02:26:34.123] WARNING[12014][C-0000000a] chan_sip.c:4321 handle_request: Retransmission timeout',
      NOW,
    );
    assert.equal(full.line, 4321);
    assert.equal(full.func, 'handle_request');
    assert.equal(full.callId, 'C-0000000a');
    assert.equal(full.message, 'Retransmission timeout');
    assert.equal(full.time, new Date(2026, 11, 4, 2, 26, 34, 123).toISOString());
    const odd = parseLogLine('  == Spawn extension (default, s, 1) exited', NOW);
    assert.equal(odd.parsed, false);
    assert.equal(odd.message, '  == Spawn extension (default, s, 1) exited');
    assert.equal(odd.time, null);
  });

  it('reads RFC 3164 and RFC 5424 syslog messages from Asterisk’s syslog channel', () => {
    const a = syslogToLine(
      '<134>Dec  4 02:27:15 pbx1 asterisk[11981]: NOTICE[12014]: res_pjsip/pjsip_distributor.c:676 in log_failed_request: Request REGISTER failed',
      NOW,
    );
    assert.equal(a.level, 'NOTICE');
    assert.equal(a.line, 676);
    assert.equal(a.func, 'log_failed_request');
    assert.equal(a.message, 'Request REGISTER failed');
    const m = parseSyslog(
      '<134>1 2026-12-04T02:27:15.000Z pbx2 asterisk 11981 - - \uFEFFVERBOSE[12124][C-00000001]: app_dial.c:1 in x: hi',
      NOW,
    );
    assert.deepEqual(
      [m.facility, m.severity, m.host, m.app, m.time],
      [16, 6, 'pbx2', 'asterisk', '2026-12-04T02:27:15.000Z'],
    );
    const b = syslogToLine(
      '<134>1 2026-12-04T02:27:15.000Z pbx2 asterisk 11981 - - VERBOSE[12124][C-00000001]: app_dial.c:1 in x: hi',
    );
    assert.equal(b.callId, 'C-00000001');
    const raw = syslogToLine('<13>something else entirely');
    assert.equal(raw.parsed, false);
    assert.equal(raw.message, 'something else entirely');
  });
});

describe('log ring', () => {
  it('keeps a bounded number of lines per PBX and filters by pbx, level, text, call id, since', () => {
    const ring = new LogRing(100);
    for (const raw of LOG) ring.add('pbx1', 'file', parseLogLine(raw, NOW));
    ring.add('pbx2', 'syslog', parseLogLine('[Dec  4 02:30:00] ERROR[1] x.c: other pbx', NOW));
    assert.equal(ring.query({ pbx: 'pbx1' }, 1000).length, 100);
    assert.ok(
      ring.query({ level: 'warning' }, 1000).every((e) => e.level === 'ERROR' || e.level === 'WARNING'),
    );
    assert.deepEqual(
      ring.query({ pbx: 'pbx2' }).map((e) => e.message),
      ['other pbx'],
    );
    const call = ring.query({ callId: 'C-00000007' }, 1000);
    assert.ok(call.length > 0 && call.every((e) => e.callId === 'C-00000007'));
    assert.ok(ring.query({ q: 'REGISTER' }, 1000).every((e) => e.raw.includes('REGISTER')));
    const last = ring.query({}, 5);
    assert.equal(last.length, 5);
    assert.equal(last.at(-1)!.pbx, 'pbx2');
    assert.deepEqual(
      ring.query({ since: last.at(-2)!.seq }).map((e) => e.seq),
      [last.at(-1)!.seq],
    );
  });
});

describe('file follower', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-logs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('follows appends, a rotation (rename + new file) and a truncation without losing a line', async () => {
    const path = join(dir, 'messages');
    writeFileSync(path, 'old line before start\n');
    const lines: string[] = [];
    const f = new FileFollower(path, (l) => lines.push(l), { interval: 60_000 });
    await f.start();
    appendFileSync(path, `${LOG[0]}\n${LOG[1]}\npartial`);
    await f.poll();
    assert.deepEqual(lines, [LOG[0], LOG[1]]);
    appendFileSync(path, ' end\nlast of the old file\n');
    renameSync(path, join(dir, 'messages.1'));
    writeFileSync(path, 'first of the new file\n');
    await f.poll();
    assert.deepEqual(lines.slice(2), ['partial end', 'last of the old file', 'first of the new file']);
    truncateSync(path, 0);
    await f.poll();
    appendFileSync(path, 'after truncation\n');
    await f.poll();
    assert.equal(lines.at(-1), 'after truncation');
    assert.equal(lines.length, 6);
    await f.close();
  });

  it('waits for a file that does not exist yet, then reads it from its start', async () => {
    const path = join(dir, 'later');
    const lines: string[] = [];
    const f = new FileFollower(path, (l) => lines.push(l), { interval: 10 });
    await f.start();
    writeFileSync(path, 'hello\n');
    await waitUntil(() => lines.length === 1, 'line read');
    assert.deepEqual(lines, ['hello']);
    await f.close();
  });
});

describe('syslog receiver', () => {
  it('receives over UDP and TCP (octet-counted and newline-framed) on 127.0.0.1', async () => {
    const got: string[] = [];
    const r = new SyslogReceiver((m) => got.push(m), { host: '127.0.0.1', udp: 0, tcp: 0 });
    await r.start();
    try {
      const { udp, tcp } = r.ports;
      const u = dgram.createSocket('udp4');
      await new Promise<void>((res) =>
        u.send(
          '<134>Dec  4 02:27:15 pbx asterisk[1]: NOTICE[2]: a.c:1 in f: udp one',
          udp!,
          '127.0.0.1',
          () => res(),
        ),
      );
      u.close();
      await waitUntil(() => got.length === 1, 'UDP message');
      const m1 = '<134>1 2026-12-04T02:27:15Z pbx asterisk 1 - - ERROR[3]: b.c:2 in g: tcp counted';
      const m2 = '<134>1 2026-12-04T02:27:16Z pbx asterisk 1 - - ERROR[3]: b.c:3 in g: second';
      const c1 = net.connect(tcp!, '127.0.0.1');
      const frame = (m: string) => `${Buffer.byteLength(m)} ${m}`;
      const both = frame(m1) + frame(m2);
      c1.write(both.slice(0, 20));
      c1.write(both.slice(20));
      await waitUntil(() => got.length === 3, 'octet-counted messages');
      c1.end();
      const c2 = net.connect(tcp!, '127.0.0.1');
      c2.write(
        '<134>Dec  4 02:27:17 pbx asterisk[1]: VERBOSE[4]: c.c:4 in h: newline one\n<134>Dec  4 02:27:18 pbx asterisk[1]: VERBOSE[4]: c.c:5 in h: newline two\n',
      );
      await waitUntil(() => got.length === 5, 'newline-framed messages');
      c2.end();
      assert.deepEqual(
        got.map((m) => syslogToLine(m).message),
        ['udp one', 'tcp counted', 'second', 'newline one', 'newline two'],
      );
    } finally {
      await r.close();
    }
  });
});
