/**
 * A syslog receiver for remote PBXs (UDP and TCP on chosen ports): RFC 3164 (`<PRI>Mmm dd hh:mm:ss host tag:`)
 * and RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`) messages; TCP framed by octet counting
 * (`<length> <message>`, RFC 6587 §3.4.1) or by newlines, told apart per connection by the first byte. The
 * Asterisk part (`LEVEL[thread]: file.c:line in function: message`) is parsed; anything else is kept raw.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { type LogLine, parseBody } from './parse.js';

/** A syslog message's header fields and its text. */
export interface SyslogMessage {
  facility: number | null;
  severity: number | null;
  time: string | null;
  host: string | null;
  app: string | null;
  text: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const R5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;
const R3164 =
  /^<(\d{1,3})>([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) ([^:[\s]+)(?:\[\d+\])?: ?(.*)$/s;

/** Parses one syslog message (either RFC); unknown shapes are returned as text. */
export function parseSyslog(raw: string, now: Date = new Date()): SyslogMessage {
  const text = raw.replace(/[\r\n\0]+$/, '');
  const a = R5424.exec(text);
  if (a) {
    const pri = Number(a[1]);
    const t = a[2] === '-' ? null : new Date(a[2]!);
    return {
      facility: pri >> 3,
      severity: pri & 7,
      time: t && !Number.isNaN(t.getTime()) ? t.toISOString() : null,
      host: a[3] === '-' ? null : a[3]!,
      app: a[4] === '-' ? null : a[4]!,
      text: (a[8] ?? '').replace(/^\uFEFF/, ''),
    };
  }
  const b = R3164.exec(text);
  if (b) {
    const pri = Number(b[1]);
    const mon = MONTHS.indexOf(b[2]!);
    let d = new Date(now.getFullYear(), mon, Number(b[3]), Number(b[4]), Number(b[5]), Number(b[6]));
    if (d.getTime() - now.getTime() > 86_400_000)
      d = new Date(now.getFullYear() - 1, mon, Number(b[3]), Number(b[4]), Number(b[5]), Number(b[6]));
    return {
      facility: pri >> 3,
      severity: pri & 7,
      time: d.toISOString(),
      host: b[7]!,
      app: b[8]!,
      text: b[9]!,
    };
  }
  const pri = /^<(\d{1,3})>(.*)$/s.exec(text);
  return {
    facility: pri ? Number(pri[1]) >> 3 : null,
    severity: pri ? Number(pri[1]) & 7 : null,
    time: null,
    host: null,
    app: null,
    text: pri ? pri[2]! : text,
  };
}

/** A syslog message as a log line. */
export function syslogToLine(raw: string, now?: Date): LogLine {
  const m = parseSyslog(raw, now);
  return parseBody(m.text, m.time, raw.replace(/[\r\n\0]+$/, ''));
}

/** Options of {@link SyslogReceiver}. */
export interface SyslogOptions {
  host?: string;
  /** UDP port (0: ephemeral), or undefined for none. */
  udp?: number;
  /** TCP port (0: ephemeral), or undefined for none. */
  tcp?: number;
  /** Longest message accepted (default 64 KiB); longer TCP frames close the connection. */
  maxMessage?: number;
}

/** Receives syslog messages and hands each raw message to `onMessage`. */
export class SyslogReceiver {
  #udp: dgram.Socket | undefined;
  #tcp: net.Server | undefined;
  readonly #sockets = new Set<net.Socket>();
  readonly #max: number;

  constructor(
    private readonly onMessage: (raw: string, from: string) => void,
    private readonly options: SyslogOptions,
  ) {
    this.#max = options.maxMessage ?? 65_536;
  }

  /** The bound ports. */
  get ports(): { udp?: number; tcp?: number } {
    const out: { udp?: number; tcp?: number } = {};
    if (this.#udp) out.udp = this.#udp.address().port;
    const a = this.#tcp?.address();
    if (a && typeof a === 'object') out.tcp = a.port;
    return out;
  }

  /** Binds the configured ports. */
  async start(): Promise<void> {
    const host = this.options.host ?? '0.0.0.0';
    if (this.options.udp !== undefined) {
      const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      udp.on('message', (msg, rinfo) =>
        this.onMessage(msg.subarray(0, this.#max).toString('utf8'), rinfo.address),
      );
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.options.udp, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      udp.on('error', () => {});
      this.#udp = udp;
    }
    if (this.options.tcp !== undefined) {
      const tcp = net.createServer((s) => this.#serve(s));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(this.options.tcp, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      this.#tcp = tcp;
    }
  }

  #serve(s: net.Socket): void {
    this.#sockets.add(s);
    s.on('close', () => this.#sockets.delete(s));
    s.on('error', () => s.destroy());
    const from = s.remoteAddress ?? '';
    let buf: Buffer = Buffer.alloc(0);
    let counted: boolean | undefined;
    s.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      counted ??= buf[0]! >= 0x30 && buf[0]! <= 0x39;
      for (;;) {
        if (counted) {
          const sp = buf.indexOf(0x20);
          if (sp < 0) {
            if (buf.length > 10) s.destroy();
            return;
          }
          const len = Number(buf.subarray(0, sp).toString('ascii'));
          if (!Number.isInteger(len) || len <= 0 || len > this.#max) {
            s.destroy();
            return;
          }
          if (buf.length < sp + 1 + len) return;
          this.onMessage(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'), from);
          buf = buf.subarray(sp + 1 + len);
        } else {
          const nl = buf.indexOf(0x0a);
          if (nl < 0) {
            if (buf.length > this.#max) s.destroy();
            return;
          }
          const line = buf.subarray(0, nl).toString('utf8');
          buf = buf.subarray(nl + 1);
          if (line.trim() !== '') this.onMessage(line, from);
        }
        if (buf.length === 0) return;
      }
    });
  }

  /** Closes both listeners and every connection. */
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await Promise.all([
      this.#udp ? new Promise<void>((r) => this.#udp!.close(() => r())) : undefined,
      this.#tcp ? new Promise<void>((r) => this.#tcp!.close(() => r())) : undefined,
    ]);
    this.#udp = undefined;
    this.#tcp = undefined;
  }
}
