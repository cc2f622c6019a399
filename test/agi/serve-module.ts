// A user module served by `switchboard agi serve` in cli.test.ts.
import { AgiRouter } from '../../src/agi/index.js';

export const router = new AgiRouter().route('/hello/:name', async (ch, ctx) => {
  await ch.answer();
  await ch.setVariable('GREETING', `hello ${ctx.params['name']}`);
});
