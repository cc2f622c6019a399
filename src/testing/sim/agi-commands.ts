/**
 * AGI commands as res_agi answers them, for both AsyncAGI (AMI `AGI` action) and FastAGI (the router's socket):
 * `200 result=…` replies, `510 Invalid or unknown command`, `511 Command Not Permitted on a dead channel or
 * intercept routine`, `-1` when the channel hangs up under a command.
 */
import { requestHangup, setCallerId, setState, setVar } from './channels.js';
import type { SimCore } from './core.js';
import { dialplanApps, readVar, splitTop } from './dialplan.js';
import { sendDtmf } from './dtmf.js';
import { sleepUnless } from './phone.js';
import type { SimChannel } from './state.js';

/** Splits an AGI command line into words (double quotes group, as res_agi's parse_args does). */
export function agiWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let any = false;
  for (const c of line) {
    if (c === '"') {
      quoted = !quoted;
      any = true;
    } else if (c === ' ' && !quoted) {
      if (any || cur !== '') out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any || cur !== '') out.push(cur);
  return out;
}

/** Commands res_agi still runs after the channel hung up. */
const DEAD_OK = new Set([
  'GET VARIABLE',
  'GET FULL VARIABLE',
  'SET VARIABLE',
  'VERBOSE',
  'NOOP',
  'DATABASE',
  'ASYNCAGI BREAK',
]);

/** What a command did. */
export interface AgiOutcome {
  /** The reply line(s) without the final newline. */
  reply: string;
  /** `ASYNCAGI BREAK` ends the AsyncAGI session. */
  breaks?: boolean;
}

/** Per-session settings. */
export interface AgiSession {
  /** Digits the caller "types" at `GET DATA` / `WAIT FOR DIGIT`. */
  digits: string;
  /** The channel hung up (FastAGI has sent `HANGUP`). */
  dead: boolean;
}

/** Runs one AGI command on a channel. */
export async function runAgiCommand(
  core: SimCore,
  ch: SimChannel,
  line: string,
  session: AgiSession,
): Promise<AgiOutcome> {
  const words = agiWords(line.trim());
  const verb = (words[0] ?? '').toUpperCase();
  const two = `${verb} ${(words[1] ?? '').toUpperCase()}`;
  const dead = session.dead || ch.gone.aborted;
  if (dead && !DEAD_OK.has(verb) && !DEAD_OK.has(two)) {
    return { reply: '511 Command Not Permitted on a dead channel or intercept routine' };
  }
  switch (verb) {
    case 'ANSWER':
      setState(core, ch, 6);
      return { reply: '200 result=0' };
    case 'HANGUP':
      requestHangup(core, ch, 16);
      return { reply: '200 result=1' };
    case 'NOOP':
      return { reply: '200 result=0' };
    case 'VERBOSE':
      core.log.verbose(ch, 'res_agi.c', `${ch.name}: ${words[1] ?? ''}`);
      return { reply: '200 result=1' };
    case 'CHANNEL':
      return { reply: `200 result=${ch.state}` };
    case 'ASYNCAGI':
      if (two === 'ASYNCAGI BREAK') return { reply: '200 result=0', breaks: true };
      break;
    case 'SET': {
      if (two === 'SET VARIABLE') {
        const name = words[2] ?? '';
        const value = words[3] ?? '';
        if (name.toUpperCase() === 'CALLERID(NUM)') setCallerId(core, ch, value, undefined);
        else if (name.toUpperCase() === 'CALLERID(NAME)') setCallerId(core, ch, undefined, value);
        else setVar(core, ch, name, value);
        return { reply: '200 result=1' };
      }
      if (two === 'SET CONTEXT') {
        ch.context = words[2] ?? ch.context;
        return { reply: '200 result=0' };
      }
      if (two === 'SET EXTENSION') {
        ch.exten = words[2] ?? ch.exten;
        return { reply: '200 result=0' };
      }
      if (two === 'SET PRIORITY') {
        ch.priority = Number(words[2]) || ch.priority;
        return { reply: '200 result=0' };
      }
      if (two === 'SET MUSIC') return { reply: '200 result=0' };
      break;
    }
    case 'GET': {
      if (two === 'GET VARIABLE' || two === 'GET FULL VARIABLE') {
        const name = (words[2] ?? '').replace(/^\$\{(.*)\}$/, '$1');
        const v = readVar(core, ch, name);
        const known = v !== '' || ch.vars.has(name);
        return { reply: known ? `200 result=1 (${v})` : '200 result=0' };
      }
      if (two === 'GET DATA') {
        const max = Number(words[4]) || 1024;
        const digits = session.digits.slice(0, max);
        if (!(await sleepUnless(core, 300, ch))) return { reply: '200 result=-1' };
        await sendDtmf(core, ch, `${digits}#`, 'Received');
        if (ch.gone.aborted) return { reply: '200 result=-1' };
        return { reply: digits === '' ? '200 result= (timeout)' : `200 result=${digits}` };
      }
      break;
    }
    case 'WAIT': {
      if (two === 'WAIT FOR') {
        const d = session.digits[0];
        if (!(await sleepUnless(core, 500, ch))) return { reply: '200 result=-1' };
        if (d === undefined) return { reply: '200 result=0' };
        await sendDtmf(core, ch, d, 'Received');
        return { reply: ch.gone.aborted ? '200 result=-1' : `200 result=${d.charCodeAt(0)}` };
      }
      break;
    }
    case 'STREAM': {
      if (!(await sleepUnless(core, 1000, ch))) return { reply: '200 result=-1 endpos=0' };
      return { reply: '200 result=0 endpos=3520' };
    }
    case 'EXEC': {
      const app = dialplanApps.get((words[1] ?? '').toLowerCase());
      if (!app) return { reply: '200 result=-2' };
      const data = words.slice(2).join(' ');
      await app(core, ch, splitTop(data), data);
      // res_agi answers once the application's teardown (the dialled legs' hangups) is over.
      await core.clock.sleep(0).catch(() => {});
      if ((words[1] ?? '').toLowerCase() === 'dial') {
        // app_dial returns -1 once a bridged call ends (no `g` option), 0 when nobody answered.
        const status = ch.vars.get('DIALSTATUS');
        return { reply: status === 'ANSWER' || ch.gone.aborted ? '200 result=-1' : '200 result=0' };
      }
      return { reply: ch.gone.aborted ? '200 result=-1' : '200 result=0' };
    }
    case 'DATABASE':
      return { reply: two === 'DATABASE GET' ? '200 result=0' : '200 result=1' };
    default:
      break;
  }
  return { reply: '510 Invalid or unknown command' };
}

/** The `agi_*` environment res_agi sends (without the FastAGI-only `agi_network*` lines). */
export function agiEnvironment(core: SimCore, ch: SimChannel, request: string): Array<[string, string]> {
  const uk = (s: string) => (s === '' ? 'unknown' : s);
  return [
    ['agi_request', request],
    ['agi_channel', ch.name],
    ['agi_language', ch.language],
    ['agi_type', ch.tech],
    ['agi_uniqueid', ch.uniqueid],
    ['agi_version', core.options.version],
    ['agi_callerid', uk(ch.callerNum)],
    ['agi_calleridname', uk(ch.callerName)],
    ['agi_callingpres', '0'],
    ['agi_callingani2', '0'],
    ['agi_callington', '0'],
    ['agi_callingtns', '0'],
    ['agi_dnid', uk(ch.dnid)],
    ['agi_rdnis', 'unknown'],
    ['agi_context', ch.context],
    ['agi_extension', ch.exten],
    ['agi_priority', String(ch.priority)],
    ['agi_enhanced', '0.0'],
    ['agi_accountcode', ch.accountCode],
    ['agi_threadid', String(140236519147200 + core.state.channels.size)],
  ];
}
