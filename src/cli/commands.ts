/** The list of subcommand registrars; each module adds its own line here. */
import type { Command } from 'commander';

/** A function that adds one top-level subcommand (and its children) to the program. */
export type Registrar = (program: Command) => void;

/** Every registrar, in the order their commands appear in `--help`. */
export const registrars: Registrar[] = [];
