/** AGI reply lines (`200 result=N (data) endpos=M key=value`, 510, 511, 520…) as objects. Pure. */

/** One reply from Asterisk to one command. */
export interface AgiReply {
  /** Status code: 200 success, 510 unknown command, 511 dead channel, 520 syntax, 100 GOSUB interim, 503… */
  readonly code: number;
  /** The raw `result=` value (`''` for `result=` with nothing, e.g. GET DATA timeout); `''` if absent. */
  readonly result: string;
  /** Text inside the parentheses after the result, e.g. the value of GET VARIABLE or `timeout`. */
  readonly data?: string;
  /** `endpos=` (sample offset where playback/recording stopped), when present. */
  readonly endpos?: number;
  /** Every `key=value` pair after the result/data (quotes around values removed), `endpos` included. */
  readonly fields: Readonly<Record<string, string>>;
  /** Free text that is not `(data)` nor `key=value` (e.g. `Gosub label not found`, or the 5xx message). */
  readonly text?: string;
  /** For a multi-line 520: the usage text lines between the first and the last line. */
  readonly usage?: readonly string[];
  /** The raw line(s) as received, without LF. */
  readonly lines: readonly string[];
}

const KV = /^\s*([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|\S*)/;

const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

function parseFields(rest: string): Record<string, string> | undefined {
  if (rest === '') return NO_FIELDS as Record<string, string>;
  const fields: Record<string, string> = {};
  let s = rest;
  while (s.length > 0) {
    if (/^\s+$/.test(s)) break;
    const m = KV.exec(s);
    if (!m) return undefined;
    let v = m[2] ?? '';
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    fields[m[1]!] = v;
    s = s.slice(m[0].length);
  }
  return fields;
}

/**
 * Parses one (single-line) reply. Accepts any `NNN` code; `NNN-` (start of a multi-line block) is handled by
 * the reader. The `(data)` part may contain spaces and parentheses: the last `)` after which only `key=value`
 * pairs follow closes it.
 */
export function parseAgiReply(line: string, usage?: readonly string[], lines?: readonly string[]): AgiReply {
  const code = Number(line.slice(0, 3));
  let rest = line.slice(4);
  let result = '';
  if (rest.startsWith('result=')) {
    const sp = rest.indexOf(' ');
    result = sp < 0 ? rest.slice(7) : rest.slice(7, sp);
    rest = sp < 0 ? '' : rest.slice(sp + 1);
  }
  let data: string | undefined;
  let fields = NO_FIELDS as Record<string, string>;
  let text: string | undefined;
  if (rest.startsWith('(')) {
    for (let close = rest.lastIndexOf(')'); close > 0; close = rest.lastIndexOf(')', close - 1)) {
      const after = parseFields(rest.slice(close + 1));
      if (after) {
        data = rest.slice(1, close);
        fields = after;
        rest = '';
        break;
      }
    }
  }
  if (rest !== '') {
    const f = parseFields(rest);
    if (f) fields = f;
    else text = rest;
  }
  const endposRaw = fields['endpos'];
  const endpos = endposRaw !== undefined && /^-?\d+$/.test(endposRaw) ? Number(endposRaw) : undefined;
  const reply: {
    code: number;
    result: string;
    fields: Record<string, string>;
    lines: readonly string[];
    data?: string;
    endpos?: number;
    text?: string;
    usage?: readonly string[];
  } = { code, result, fields, lines: lines ?? [line] };
  if (data !== undefined) reply.data = data;
  if (endpos !== undefined) reply.endpos = endpos;
  if (text !== undefined) reply.text = text;
  if (usage !== undefined) reply.usage = usage;
  return reply;
}

/** True when a reply line starts with a three-digit status code followed by a space, `-` or the line end. */
export function isAgiReplyLine(line: string): boolean {
  if (line.length < 3) return false;
  const c0 = line.charCodeAt(0);
  const c1 = line.charCodeAt(1);
  const c2 = line.charCodeAt(2);
  if (c0 < 48 || c0 > 57 || c1 < 48 || c1 > 57 || c2 < 48 || c2 > 57) return false;
  return line.length === 3 || line[3] === ' ' || line[3] === '-';
}
