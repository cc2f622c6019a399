/** Runs a router for one call the same way on every transport: error reporting, hangup classification. */
import type { Logger } from 'pino';
import type { AgiChannel } from './channel.js';
import { AgiError, AgiHangupError } from './errors.js';
import type { AgiContext, AgiRouter } from './router.js';

/** How a call ended for the handler. */
export type AgiOutcome = 'ok' | 'error' | 'hangup';

/** Builds the handler context of a call; the call's logger is made on first use (pino children cost). */
export function createAgiContext(channel: AgiChannel, makeLogger: () => Logger): AgiContext {
  const request = channel.request;
  let logger: Logger | undefined;
  return {
    request,
    path: request.path,
    params: {},
    query: request.query,
    args: request.args,
    route: undefined,
    get logger(): Logger {
      logger ??= makeLogger();
      return logger;
    },
    state: {},
  };
}

/** The error code reported to the dialplan: the error's `code` when it is a safe token, else `HANDLER_ERROR`. */
export function agiErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'HANDLER_ERROR';
}

/**
 * Runs the router; a failure is logged with the call's uniqueid and reported to the dialplan by setting
 * `errorVariable` (a dead-safe command, so it works after a hangup too). Never throws.
 */
export async function runAgiHandler(
  router: AgiRouter,
  channel: AgiChannel,
  ctx: AgiContext,
  errorVariable: string,
): Promise<AgiOutcome> {
  try {
    await router.handle(channel, ctx);
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
