/** Everyday dialplan applications of the simulated PBX: Dial, Wait, Playback, UserEvent, SendDTMF. */

import { dial } from './dial.js';
import { dialplanApps } from './dialplan.js';
import { sendDtmf } from './dtmf.js';
import { channelPairs, event } from './headers.js';
import { sleepUnless } from './phone.js';

dialplanApps.set('dial', async (core, ch, args) => {
  const [targets = '', timeout = '0'] = args;
  await dial(core, ch, targets, ch.linkedid, {
    timeout: Number(timeout) || 0,
    data: args.join(','),
    bridge: true,
  });
  return undefined;
});

dialplanApps.set('wait', async (core, ch, args) => {
  const secs = Number(args[0]);
  await sleepUnless(core, (Number.isFinite(secs) ? secs : 1) * 1000, ch);
  return undefined;
});

dialplanApps.set('playback', async (core, ch, args) => {
  // Stock prompts last a couple of seconds.
  core.log.verbose(ch, 'file.c', `<${ch.name}> Playing '${args[0] ?? ''}.ulaw' (language '${ch.language}')`);
  await sleepUnless(core, 2000, ch);
  return undefined;
});

dialplanApps.set('userevent', async (core, ch, args) => {
  const [name = '', ...rest] = args;
  const extra: Array<[string, string]> = [];
  for (const r of rest) {
    const i = r.indexOf(':');
    if (i > 0) extra.push([r.slice(0, i).trim(), r.slice(i + 1).trim()]);
  }
  core.emit(event('UserEvent', 'user,all', channelPairs(ch), [['UserEvent', name]], extra));
  return undefined;
});

dialplanApps.set('senddtmf', async (core, ch, args) => {
  await sendDtmf(core, ch, args[0] ?? '', 'Sent');
  return undefined;
});
