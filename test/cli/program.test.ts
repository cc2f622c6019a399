import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registrars } from '../../src/cli/commands.js';
import { buildProgram } from '../../src/cli/program.js';

test('the program is named switchboard, has a version and every module subcommand', async () => {
  const program = await buildProgram();
  assert.equal(program.name(), 'switchboard');
  assert.match(program.version() ?? '', /^\d+\.\d+\.\d+$/);
  const names = program.commands.map((c) => c.name());
  for (const n of ['ami', 'agi', 'ari', 'pbx', 'router', 'serve', 'users', 'tokens'])
    assert.ok(names.includes(n), n);
  assert.deepEqual(
    names,
    registrars.map((r) => r.name),
  );
});

test('running one subcommand loads only that module', async () => {
  const program = await buildProgram(['node', 'switchboard', 'ami', 'Ping']);
  assert.deepEqual(
    program.commands.map((c) => c.name()),
    ['ami'],
  );
});

test('an unknown subcommand (or --help) loads them all so help can list them', async () => {
  const program = await buildProgram(['node', 'switchboard', '--help']);
  assert.equal(program.commands.length, registrars.length);
});
