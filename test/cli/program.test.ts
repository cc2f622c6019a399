import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram } from '../../src/cli/program.js';

test('the program is named switchboard, has a version and every module subcommand', async () => {
  const program = await buildProgram();
  assert.equal(program.name(), 'switchboard');
  assert.match(program.version() ?? '', /^\d+\.\d+\.\d+$/);
  assert.deepEqual(
    program.commands.map((c) => c.name()),
    ['ami', 'agi', 'ari', 'pbx', 'router'],
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
  assert.equal(program.commands.length, 5);
});
