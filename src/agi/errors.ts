/** Typed errors of the AGI module; each has a stable `code` string. */

/** Base class of every AGI error: `code` is stable and safe to match on. */
export class AgiError extends Error {
  /** Stable machine-readable error code, e.g. `AGI_HANGUP`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The channel hung up (HANGUP line, SIGHUP, or the transport closed): the command cannot run. */
export class AgiHangupError extends AgiError {
  constructor(message = 'the channel hung up', code = 'AGI_HANGUP') {
    super(code, message);
  }
}

/** Asterisk answered `511`: the command is not permitted on a dead channel (it hung up). */
export class AgiDeadChannelError extends AgiHangupError {
  /** The command line that was refused. */
  readonly command: string;
  constructor(command: string, text: string) {
    super(
      `${text} (command ${JSON.stringify(command)}); only dead-safe commands work now`,
      'AGI_DEAD_CHANNEL',
    );
    this.command = command;
  }
}

/** Asterisk answered `510 Invalid or unknown command`. */
export class AgiInvalidCommandError extends AgiError {
  /** The command line Asterisk did not know. */
  readonly command: string;
  constructor(command: string) {
    super('AGI_INVALID_COMMAND', `Asterisk does not know the command ${JSON.stringify(command)} (510)`);
    this.command = command;
  }
}

/** Asterisk answered `520`: wrong syntax; `usage` holds the usage text it sent (may be empty). */
export class AgiUsageError extends AgiError {
  /** The command line with the wrong syntax. */
  readonly command: string;
  /** The usage text from the multi-line 520 block (empty for the single-line form). */
  readonly usage: string;
  constructor(command: string, usage: string) {
    super(
      'AGI_INVALID_SYNTAX',
      `invalid syntax for ${JSON.stringify(command)} (520)${usage ? `: ${usage}` : ''}`,
    );
    this.command = command;
    this.usage = usage;
  }
}

/** The command ran and reported failure (`result=-1`, or `-2` for EXEC of an unknown application). */
export class AgiCommandError extends AgiError {
  /** The command line that failed. */
  readonly command: string;
  /** The raw `result=` value. */
  readonly result: string;
  constructor(command: string, result: string, detail?: string) {
    super(
      'AGI_COMMAND_FAILED',
      `${JSON.stringify(command)} failed with result=${result}${detail ? ` (${detail})` : ''}`,
    );
    this.command = command;
    this.result = result;
  }
}

/** A per-command or per-session timeout elapsed. */
export class AgiTimeoutError extends AgiError {
  constructor(message: string) {
    super('AGI_TIMEOUT', message);
  }
}

/** The command was aborted through its AbortSignal. */
export class AgiAbortedError extends AgiError {
  constructor(message = 'the AGI command was aborted') {
    super('AGI_ABORTED', message);
  }
}

/** The session was closed by our side (handler finished, server shutdown) while work was pending. */
export class AgiClosedError extends AgiError {
  constructor(message = 'the AGI session is closed') {
    super('AGI_CLOSED', message);
  }
}

/** An argument cannot be sent: CR/LF (injection), or the line is longer than Asterisk accepts. */
export class AgiInvalidArgumentError extends AgiError {
  constructor(message: string) {
    super('AGI_INVALID_ARGUMENT', message);
  }
}

/** Asterisk sent something that is not AGI (bad environment line, unexpected reply, oversized line). */
export class AgiProtocolError extends AgiError {
  constructor(message: string) {
    super('AGI_PROTOCOL', message);
  }
}

/** AsyncAGI: the AMI link dropped while a command's AsyncAGIExec was awaited, so its reply is lost. */
export class AgiDisconnectedError extends AgiError {
  constructor(message = 'the AMI link dropped before the AGI reply arrived') {
    super('AGI_DISCONNECTED', message);
  }
}
