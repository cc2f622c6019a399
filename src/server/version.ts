/** Switchboard's version, read once from package.json. */
import { readFileSync } from 'node:fs';

function read(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'switchboard' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate (src/ in development, dist/src/ when built)
    }
  }
  return '0.0.0';
}

/** The package version. */
export const VERSION = read();
