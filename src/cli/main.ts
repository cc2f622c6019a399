/** Entry point of the `switchboard` command: builds the program from every module's registrar and runs it. */
import { buildProgram } from './program.js';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander reports its own usage errors; anything reaching here is a bug or an unexpected failure.
  process.stderr.write(`switchboard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 2;
}
