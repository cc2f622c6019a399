// A classic AGI script run by stdio.test.ts as a child process, the way Asterisk runs one.
import { runAgi } from '../../src/agi/index.js';

const outcome = await runAgi(async (ch, ctx) => {
  console.log('stray output that must not reach Asterisk');
  await ch.answer();
  const v = await ch.getVariable('FOO');
  await ch.setVariable('ECHO', `${v} ${ctx.args.join(',')}`);
  if (ch.request.enhanced) {
    let n = 0;
    for await (const chunk of ctx.eagiAudio()) {
      n += (chunk as Buffer).length;
      if (n >= 320) break;
    }
    await ch.setVariable('AUDIO', String(n));
  }
  try {
    await ch.waitForDigit(-1);
  } catch (err) {
    await ch.verbose(`ended: ${(err as { code?: string }).code}`);
  }
});
process.exitCode = outcome === 'ok' ? 0 : 3;
