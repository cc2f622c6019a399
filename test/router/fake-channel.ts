/**
 * A small in-test AGI channel: every command is written down as the AGI line it stands for and answered by a
 * responder function with a reply line (`200 result=…`) or `HANGUP`. Used until the agi module's fake FastAGI caller
 * is available, and for unit tests of the flow that need no socket.
 */
import type { RouterChannel, RouterRequest } from '../../src/router/channel.js';

/** Answers one command line: a reply line, or 'HANGUP' (the caller hangs up while the command runs). */
export type Responder = (line: string) => string;

class HangupError extends Error {
  readonly code = 'AGI_HANGUP';
}

function quote(arg: string): string {
  return arg === '' || /[\s"\\]/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg;
}

const DEAD_SAFE = /^(SET VARIABLE|GET VARIABLE|EXEC|VERBOSE|NOOP)\b/;

/** The fake channel; `lines` holds every command sent, `variables` every SET VARIABLE. */
export class FakeChannel implements RouterChannel {
  readonly request: RouterRequest;
  readonly lines: string[] = [];
  readonly variables: Record<string, string> = {};
  hungUp = false;
  readonly #respond: Responder;

  constructor(request: Partial<RouterRequest>, respond: Responder) {
    this.request = {
      channel: 'PJSIP/reina-0000001a',
      uniqueid: '1795342900.26',
      extension: '25',
      context: 'oficina2',
      ...request,
    };
    this.#respond = respond;
  }

  async #send(
    words: string,
    args: Array<string | number | undefined>,
  ): Promise<{ result: string; data?: string }> {
    const parts = [words];
    for (const a of args) if (a !== undefined) parts.push(quote(String(a)));
    const line = parts.join(' ');
    this.lines.push(line);
    if (this.hungUp && !DEAD_SAFE.test(line)) throw new HangupError('dead channel');
    const reply = this.#respond(line);
    if (reply === 'HANGUP') {
      this.hungUp = true;
      throw new HangupError('the channel hung up');
    }
    const m = /^200 result=(\S*)(?: \((.*)\))?/.exec(reply);
    if (!m) throw Object.assign(new Error(`AGI error ${reply}`), { code: 'AGI_COMMAND_FAILED' });
    return { result: m[1] ?? '', ...(m[2] !== undefined ? { data: m[2] } : {}) };
  }

  async answer() {
    await this.#send('ANSWER', []);
  }
  async hangup() {
    await this.#send('HANGUP', []);
  }
  async streamFile(file: string, escapeDigits = '') {
    return this.#send('STREAM FILE', [file, escapeDigits]);
  }
  async getData(file: string, timeoutMs?: number, maxDigits?: number) {
    const r = await this.#send('GET DATA', [file, timeoutMs, maxDigits]);
    return { digits: r.result, timeout: r.data === 'timeout' };
  }
  async exec(app: string, appOptions?: string) {
    const { result } = await this.#send('EXEC', [app, appOptions]);
    // Like AgiChannel.exec: result=-2 is an application that does not exist.
    if (result === '-2')
      throw Object.assign(new Error(`EXEC ${app} failed with result=-2 (application not found)`), {
        code: 'AGI_COMMAND_FAILED',
      });
    return Number(result);
  }
  async getVariable(name: string) {
    const r = await this.#send('GET VARIABLE', [name]);
    return r.result === '1' ? (r.data ?? '') : undefined;
  }
  async setVariable(name: string, value: string) {
    await this.#send('SET VARIABLE', [name, value]);
    this.variables[name] = value;
  }
  async gosub(context: string, extension: string, priority: string | number, args?: string) {
    await this.#send('GOSUB', [context, extension, priority, args]);
  }
}

/** A responder built from a table: the first entry whose prefix matches answers (an array is consumed in order). */
export function script(table: Record<string, string | string[]>): Responder {
  const queues = new Map(Object.entries(table).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
  return (line) => {
    for (const [prefix, reply] of queues) {
      if (!line.startsWith(prefix)) continue;
      if (typeof reply === 'string') return reply;
      const next = reply.shift();
      if (next !== undefined) return next;
    }
    if (line.startsWith('GET VARIABLE')) return '200 result=0';
    return '200 result=0';
  };
}
