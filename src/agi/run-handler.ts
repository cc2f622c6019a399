/** Runs a router for one call the same way on every transport: error reporting, hangup classification. */
import type { Logger } from 'pino';
import type { AgiChannel } from './channel.js';
import { AgiError, AgiHangupError } from './errors.js';
import type { AgiRequest } from './request.js';
import type { AgiContext, AgiHandler, AgiRouter } from './router.js';

/** How a call ended for the handler. */
export type AgiOutcome = 'ok' | 'error' | 'hangup';

class CallContext implements AgiContext {
  readonly request: AgiRequest;
  readonly path: string;
  params: Record<string, string> = {};
  readonly query: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  route: string | undefined = undefined;
  private made: Logger | undefined;
  private readonly makeLogger: () => Logger;
  private stateBag: Record<string, unknown> | undefined;

  constructor(request: AgiRequest, makeLogger: () => Logger) {
    this.request = request;
    this.path = request.path;
    this.query = request.query;
    this.args = request.args;
    this.makeLogger = makeLogger;
  }

  get logger(): Logger {
    this.made ??= this.makeLogger();
    return this.made;
  }

  get state(): Record<string, unknown> {
    this.stateBag ??= {};
    return this.stateBag;
  }
}

/** Builds the handler context of a call; the call's logger is made on first use (pino children cost). */
export function createAgiContext(channel: AgiChannel, makeLogger: () => Logger): AgiContext {
  return new CallContext(channel.request, makeLogger);
}

/** The error code reported to the dialplan: the error's `code` when it is a safe token, else `HANDLER_ERROR`. */
export function agiErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'HANDLER_ERROR';
}

/**
 * Runs the router (or a single handler); a failure is logged with the call's uniqueid and reported to the dialplan by setting
 * `errorVariable` (a dead-safe command, so it works after a hangup too). Never throws.
 */
export async function runAgiHandler(
  router: AgiRouter | AgiHandler,
  channel: AgiChannel,
  ctx: AgiContext,
  errorVariable: string,
): Promise<AgiOutcome> {
  try {
    if (typeof router === 'function') await router(channel, ctx);
    else await router.handle(channel, ctx);
    return 'ok';
  } catch (err) {
    // An AGI failure on a channel that has hung up (e.g. `result=-1` of an interrupted prompt) is a hangup.
    if (err instanceof AgiHangupError || (channel.hungUp && err instanceof AgiError)) {
      ctx.logger.debug({ err }, 'AGI call hung up');
      return 'hangup';
    }
    const code = agiErrorCode(err);
    ctx.logger.error({ err, uniqueid: ctx.request.uniqueid, path: ctx.path, code }, 'AGI handler failed');
    if (!channel.closed) {
      // Bounded so a stuck peer cannot hold the session.
      await channel.setVariable(errorVariable, code, { timeout: 5000 }).catch(() => {});
    }
    return 'error';
  }
}
