// Makes `npm start` and `npm test` work on a fresh clone: installs the locked dependencies (`npm ci`, which also
// builds dist/ through the `prepare` script) when node_modules was not installed from the current lock file, and
// rebuilds dist/ when a source file is newer than the last build (dist/src by tsc, dist/web by vite).
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lockHash = createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');
// Written after a successful install; compared by content, since npm writes the lock and node_modules in
// either order and mtimes would trigger needless reinstalls.
const stamp = join(root, 'node_modules', '.switchboard-lock-sha256');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const installed = existsSync(join(root, 'node_modules', '.package-lock.json'));
const current = existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash;
if (!installed) {
  console.error('switchboard: installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
} else if (!current) {
  // A developer tree installed by hand: check it matches the lock instead of wiping it under running processes.
  try {
    execSync('npm ls --all --omit=optional >/dev/null 2>&1', { cwd: root, stdio: 'ignore' });
  } catch {
    console.error('switchboard: node_modules does not match package-lock.json; installing (npm ci)…');
    execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  }
}
writeFileSync(stamp, lockHash);
const built = join(root, 'dist', 'src');
if (!existsSync(built) || newest(join(root, 'src')) > newest(built)) {
  console.error('switchboard: building (tsc)…');
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
}
const webBuilt = join(root, 'dist', 'web');
if (
  existsSync(join(root, 'web', 'src')) &&
  (!existsSync(join(webBuilt, 'index.html')) ||
    Math.max(newest(join(root, 'web', 'src')), statSync(join(root, 'web', 'index.html')).mtimeMs) >
      newest(webBuilt))
) {
  console.error('switchboard: building the web UI (vite)…');
  execSync('npx vite build web --logLevel warn', { cwd: root, stdio: 'inherit' });
}
