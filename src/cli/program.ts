/** Builds the `switchboard` commander program. Each module contributes its subcommands through a registrar. */
import { Command } from 'commander';
import { registrars } from './commands.js';

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, errorResponse: 1, connection: 2 } as const;

/** Creates the program with every registered subcommand. */
export function buildProgram(): Command {
  const program = new Command('switchboard')
    .description('Control and observe Asterisk PBXs over AMI, AGI and ARI')
    .version('0.1.0')
    .showHelpAfterError();
  for (const register of registrars) register(program);
  return program;
}
