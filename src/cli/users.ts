/**
 * `switchboard users …` and `switchboard tokens …`: accounts and API tokens in the server's database. They take
 * the same `--config`/`--db` as `serve` and work while it runs (everything is in the database).
 */
import type { Command } from 'commander';
import { AuthService } from '../server/auth.js';
import { CliUsageError, failureLine } from './failure.js';
import { ConfigError, isRoleName, loadConfig } from './users-config.js';

interface Common {
  config?: string;
  db?: string;
}

async function withAuth<T>(o: Common, fn: (auth: AuthService) => Promise<T>): Promise<void> {
  const { openStore } = await import('../store/index.js');
  let store: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    const config = loadConfig({ ...(o.config ? { file: o.config } : {}), flags: o.db ? { db: o.db } : {} });
    store = await openStore({ url: config.db });
    await fn(new AuthService(store.db, config.auth));
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`switchboard: ${err.message}\n`);
    else process.stderr.write(failureLine('users', err, []));
    process.exitCode = err instanceof CliUsageError || err instanceof ConfigError ? 2 : 1;
  } finally {
    await store?.close();
  }
}

/** Reads a password from standard input (first line), as `--password-stdin` promises. */
async function readStdinPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new CliUsageError('no password on standard input');
  return line;
}

const common = (c: Command) =>
  c
    .option('--config <file>', 'YAML configuration file (the one `serve` uses)')
    .option('--db <file|url>', 'SQLite file or postgres:// URL (default ./.switchboard/switchboard.sqlite)');
const collect = (v: string, prev: string[] = []) => [...prev, v];

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Adds `users`. */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('people who sign in to switchboard serve');
  common(users.command('add').argument('<name>'))
    .description('create a user (the password is read from standard input)')
    .requiredOption('--role <role>', 'admin, supervisor, operator, agent or viewer')
    .option('--extension <ext>', 'an extension the user owns (repeatable)', collect)
    .option(
      '--password-stdin',
      'read the password from standard input (the only way: never on the command line)',
    )
    .action((name: string, o: Common & { role: string; extension?: string[]; passwordStdin?: boolean }) =>
      withAuth(o, async (auth) => {
        if (!isRoleName(o.role))
          throw new CliUsageError(
            `--role: ${o.role} is not one of admin, supervisor, operator, agent, viewer`,
          );
        if (!o.passwordStdin)
          throw new CliUsageError('give --password-stdin and the password on standard input');
        const password = await readStdinPassword();
        await auth.createAccount({ name, role: o.role, password, extensions: o.extension ?? [] });
        process.stdout.write(`user ${name} added (${o.role})\n`);
      }),
    );
  common(users.command('list'))
    .option('--json', 'print JSON')
    .action((o: Common & { json?: boolean }) =>
      withAuth(o, async (auth) => {
        const list = await auth.accounts.list();
        if (o.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        process.stdout.write(
          `${table([['NAME', 'ROLE', 'EXTENSIONS', 'CREATED'], ...list.map((u) => [u.name, u.role, u.extensions.join(','), u.createdAt])])}\n`,
        );
      }),
    );
  common(users.command('remove').argument('<name>'))
    .description('remove a user (its sessions and tokens end)')
    .action((name: string, o: Common) =>
      withAuth(o, async (auth) => {
        await auth.accounts.remove(name);
        process.stdout.write(`user ${name} removed\n`);
      }),
    );
  common(users.command('passwd').argument('<name>'))
    .description("set a user's password (read from standard input); ends its sessions")
    .option('--password-stdin', 'read the password from standard input')
    .action((name: string, o: Common & { passwordStdin?: boolean }) =>
      withAuth(o, async (auth) => {
        if (!o.passwordStdin)
          throw new CliUsageError('give --password-stdin and the password on standard input');
        await auth.setPassword(name, await readStdinPassword());
        process.stdout.write(`password of ${name} changed\n`);
      }),
    );
}

/** Adds `tokens`. */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for programs (Authorization: Bearer …)');
  common(tokens.command('create').argument('<name>'))
    .description('create a token; prints it once, alone on stdout (TOKEN=$(switchboard tokens create …))')
    .requiredOption('--user <user>', 'the user the token acts as')
    .option('--expires <days>', 'days until it expires (default: never)')
    .option('--scope <scope>', 'all (default) or click-to-dial', 'all')
    .action((name: string, o: Common & { user: string; expires?: string; scope: string }) =>
      withAuth(o, async (auth) => {
        const days = o.expires === undefined ? undefined : Number(o.expires);
        if (days !== undefined && (!Number.isInteger(days) || days < 1))
          throw new CliUsageError('--expires: a whole number of days');
        if (o.scope !== 'all' && o.scope !== 'click-to-dial')
          throw new CliUsageError('--scope: all or click-to-dial');
        const { token } = await auth.createToken({
          name,
          account: o.user,
          scope: o.scope,
          ...(days ? { expiresDays: days } : {}),
        });
        process.stdout.write(`${token}\n`);
      }),
    );
  common(tokens.command('list'))
    .option('--user <user>', 'only this user’s tokens')
    .action((o: Common & { user?: string }) =>
      withAuth(o, async (auth) => {
        const list = await auth.tokens.list(o.user);
        process.stdout.write(
          `${table([
            ['ID', 'NAME', 'USER', 'PREFIX', 'SCOPE', 'EXPIRES', 'LAST USED', 'REVOKED'],
            ...list.map((t) => [
              String(t.id),
              t.name,
              t.account,
              `${t.prefix}…`,
              t.scope,
              t.expiresAt ?? 'never',
              t.lastUsedAt ?? '-',
              t.revokedAt ?? '-',
            ]),
          ])}\n`,
        );
      }),
    );
  common(tokens.command('revoke').argument('<id>')).action((id: string, o: Common) =>
    withAuth(o, async (auth) => {
      const n = Number(id);
      if (!Number.isInteger(n)) throw new CliUsageError('<id>: the token id from `tokens list`');
      await auth.tokens.revoke(n);
      process.stdout.write(`token ${id} revoked\n`);
    }),
  );
}
