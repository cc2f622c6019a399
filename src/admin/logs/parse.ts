/**
 * Asterisk log lines into fields: `[Mon  d HH:MM:SS] LEVEL[thread][C-callid] file.c: message` (the `messages`
 * format), the `file.c:line function:` variant of `full`, the ISO date format (`dateformat`), and what the syslog
 * channel sends (`LEVEL[thread][C-callid]: file.c:line in function: message`). A line in no known format is kept
 * whole as `message` with `parsed: false` — never dropped.
 */

/** One log line. */
export interface LogLine {
  /** ISO time (the year inferred for the `Mon d` format), or null when the line has none. */
  time: string | null;
  level: string | null;
  thread: string | null;
  /** `C-00000001` when logged on a channel's thread. */
  callId: string | null;
  file: string | null;
  line: number | null;
  func: string | null;
  message: string;
  /** The line as received. */
  raw: string;
  parsed: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE =
  /^\[([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)\] |^\[(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?\] /;
const BODY =
  /^([A-Z]+)\[(\d+)\](?:\[(C-[0-9a-fA-F]+)\])?:? ([A-Za-z0-9_./-]+\.[a-z]+):(?:(\d+) (?:in )?([A-Za-z0-9_]+):)? (.*)$/s;

/**
 * A local time without year or zone as ISO: the PBX's clock is taken to be in this process's zone (for a remote
 * PBX in another zone, times are off by the difference); the year is the one that puts it nearest before `now`.
 */
function inferYear(mon: number, day: number, h: number, m: number, s: number, now: Date): string {
  let d = new Date(now.getFullYear(), mon, day, h, m, s);
  if (d.getTime() - now.getTime() > 86_400_000) d = new Date(now.getFullYear() - 1, mon, day, h, m, s);
  return d.toISOString();
}

/** Parses the part after the date (also what a syslog message carries). */
export function parseBody(text: string, time: string | null, raw: string): LogLine {
  const b = BODY.exec(text);
  if (!b)
    return {
      time,
      level: null,
      thread: null,
      callId: null,
      file: null,
      line: null,
      func: null,
      message: text,
      raw,
      parsed: false,
    };
  return {
    time,
    level: b[1]!,
    thread: b[2]!,
    callId: b[3] ?? null,
    file: b[4]!,
    line: b[5] !== undefined ? Number(b[5]) : null,
    func: b[6] ?? null,
    message: b[7]!,
    raw,
    parsed: true,
  };
}

/** Parses one line of an Asterisk log file. */
export function parseLogLine(raw: string, now: Date = new Date()): LogLine {
  const line = raw.replace(/\r?\n$/, '');
  const d = DATE.exec(line);
  if (!d) return parseBody(line, null, line);
  let time: string;
  if (d[1] !== undefined) {
    const mon = MONTHS.indexOf(d[1]);
    if (mon < 0) return parseBody(line, null, line);
    time = inferYear(mon, Number(d[2]), Number(d[3]), Number(d[4]), Number(d[5]), now);
  } else {
    const ms = d[12] ? Math.round(Number(d[12]) * 1000) : 0;
    time = new Date(
      Number(d[6]),
      Number(d[7]) - 1,
      Number(d[8]),
      Number(d[9]),
      Number(d[10]),
      Number(d[11]),
      ms,
    ).toISOString();
  }
  const rest = line.slice(d[0].length);
  const parsed = parseBody(rest, time, line);
  // A dated line in no known body format ("Asterisk … built by …"): keep the time, the rest as the message.
  return parsed;
}
