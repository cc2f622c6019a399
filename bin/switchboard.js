#!/usr/bin/env node
// The `switchboard` command. Runs the compiled CLI from dist/ (built by `npm run build` / on install).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('switchboard: not built yet — run `npm run build` (or `npm start`, which builds) first');
  process.exit(2);
}
await import(entry.href);
