import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram } from '../../src/cli/program.js';

test('the program is named switchboard and has a version', () => {
  const program = buildProgram();
  assert.equal(program.name(), 'switchboard');
  assert.match(program.version() ?? '', /^\d+\.\d+\.\d+$/);
});
