/** What every subcommand shares for reporting failures: usage errors and one stderr line that never holds a secret. */

/** Thrown for bad command-line input (exit 2 with its message). */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The passwords of the given URLs (decoded), to scrub them from any message; URLs that do not parse are skipped. */
export function secretsOf(urls: ReadonlyArray<string | undefined>): string[] {
  const out: string[] = [];
  for (const u of urls) {
    if (!u) continue;
    try {
      const s = new URL(u).password;
      if (s) out.push(decodeURIComponent(s));
    } catch {
      // not a URL: the caller reports that on its own
    }
  }
  return out;
}

/** `text` with every secret (as typed and URL-encoded) replaced by `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***').split(encodeURIComponent(s)).join('***');
  return out;
}

/** One stderr line `switchboard <command>: <first line of the message> [CODE]`, secrets masked. */
export function failureLine(command: string, err: unknown, secrets: readonly string[]): string {
  const text = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? ` [${err.code}]` : '';
  return `switchboard ${command}: ${scrub(text.split('\n')[0] ?? '', secrets)}${code}\n`;
}
