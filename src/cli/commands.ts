/** The list of subcommand registrars; each module adds its own line here. */
import type { Command } from 'commander';
import { registerAgi } from './agi.js';
import { registerAmi } from './ami.js';
import { registerAri } from './ari.js';
import { registerPbx } from './pbx.js';
import { registerRouter } from './router.js';

/** A function that adds one top-level subcommand (and its children) to the program. */
export type Registrar = (program: Command) => void;

/** Every registrar, in the order their commands appear in `--help`. */
export const registrars: Registrar[] = [registerAmi, registerAgi, registerAri, registerPbx, registerRouter];
