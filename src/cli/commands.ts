/** The list of subcommand registrars; each module adds its own entry here. */
import type { Command } from 'commander';

/** A function that adds one top-level subcommand (and its children) to the program. */
export type Registrar = (program: Command) => void;

/** A top-level subcommand whose implementation is imported only when that subcommand runs (or for `--help`). */
export interface LazyRegistrar {
  /** The subcommand's name, as typed after `switchboard`. */
  readonly name: string;
  /** Imports the module that registers it (its dependencies, e.g. database drivers, load only then). */
  readonly load: () => Promise<Registrar>;
}

/** Every subcommand, in the order they appear in `--help`. */
export const registrars: readonly LazyRegistrar[] = [
  { name: 'ami', load: async () => (await import('./ami.js')).registerAmi },
  { name: 'agi', load: async () => (await import('./agi.js')).registerAgi },
  { name: 'ari', load: async () => (await import('./ari.js')).registerAri },
  { name: 'pbx', load: async () => (await import('./pbx.js')).registerPbx },
  { name: 'router', load: async () => (await import('./router.js')).registerRouter },
  { name: 'simulate', load: async () => (await import('./simulate.js')).registerSimulate },
  { name: 'phones', load: async () => (await import('./phones.js')).registerPhones },
  { name: 'serve', load: async () => (await import('./serve.js')).registerServe },
  { name: 'users', load: async () => (await import('./users.js')).registerUsers },
  { name: 'tokens', load: async () => (await import('./users.js')).registerTokens },
];
