/** Entry point of the `switchboard` command: builds the program from the module registrars and runs it. */
import { buildProgram } from './program.js';

try {
  const program = await buildProgram(process.argv);
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander reports its own usage errors; anything reaching here is a bug or an unexpected failure.
  process.stderr.write(`switchboard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 2;
}
