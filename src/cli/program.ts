/** Builds the `switchboard` commander program. Each module contributes its subcommands through a registrar. */
import { Command } from 'commander';
import { registrars } from './commands.js';

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, errorResponse: 1, connection: 2 } as const;

/**
 * Creates the program. Given the command line (`process.argv`), only the module of the subcommand being run is
 * imported, so `switchboard ami …` does not pay for loading the router's database drivers; without one (or for
 * `--help`) every module is loaded.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('switchboard')
    .description('Control and observe Asterisk PBXs over AMI, AGI and ARI')
    .version('0.1.0')
    .showHelpAfterError();
  const first = argv?.slice(2).find((word) => !word.startsWith('-'));
  const chosen = registrars.find((r) => r.name === first);
  for (const entry of chosen ? [chosen] : registrars) (await entry.load())(program);
  return program;
}
