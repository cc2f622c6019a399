/**
 * The part of `switchboard/agi`'s AgiChannel the router uses. The call flow is written against this shape so it runs
 * on a FastAGI channel, an AsyncAGI channel, or anything else that speaks these commands.
 */

/** The request fields the router reads (a subset of `AgiRequest`). */
export interface RouterRequest {
  readonly channel: string;
  readonly uniqueid: string;
  readonly extension: string;
  readonly context: string;
  readonly callerId?: string;
  readonly dnid?: string;
}

/** The AGI commands the router sends (a subset of `AgiChannel`). */
export interface RouterChannel {
  readonly request: RouterRequest;
  /** True once Asterisk reported the hangup. */
  readonly hungUp: boolean;
  answer(): Promise<void>;
  hangup(): Promise<void>;
  streamFile(file: string, escapeDigits?: string): Promise<unknown>;
  getData(
    file: string,
    timeoutMs?: number,
    maxDigits?: number,
  ): Promise<{ digits: string; timeout: boolean }>;
  exec(app: string, appOptions?: string): Promise<number>;
  getVariable(name: string): Promise<string | undefined>;
  setVariable(name: string, value: string): Promise<void>;
  gosub(context: string, extension: string, priority: string | number, args?: string): Promise<void>;
}

const HANGUP_CODES = new Set(['AGI_HANGUP', 'AGI_DEAD_CHANNEL', 'AGI_CLOSED']);

/** True for the errors an AGI channel raises when the caller hung up or the session ended. */
export function isHangupError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && HANGUP_CODES.has(String((err as { code?: unknown }).code))
  );
}
