/**
 * A Stasis IVR on switchboard/ari: answer, greet, offer a menu (barge-in allowed), send the caller to sales or
 * support in the dialplan, say goodbye after three failed tries. Run:
 *   SWITCHBOARD_ARI_URL=http://user:password@127.0.0.1:8088/asterisk node --import tsx examples/ari-ivr.ts
 * with `exten => 100,1,Stasis(ivr,en)` in the dialplan.
 */
import { pathToFileURL } from 'node:url';
import { AriClient, AriTimeoutError } from '../src/ari/index.js';

/** Options of the IVR. */
export interface IvrOptions {
  /** ARI URL with credentials and the http.conf prefix. */
  url: string;
  /** Stasis application name. */
  app?: string;
  /** How long to wait for a menu choice. */
  menuTimeoutMs?: number;
}

/** Starts the IVR and returns its client (close it to stop). */
export async function startIvr({ url, app = 'ivr', menuTimeoutMs = 5000 }: IvrOptions): Promise<AriClient> {
  const ari = new AriClient({ url });
  ari.on('callError', ({ channelId, error }) => console.error(`call ${channelId} failed:`, error));
  ari.on('gap', (gap) =>
    console.warn(`events may have been missed for ${gap.durationMs} ms (${gap.reason})`),
  );

  ari.app(app, async (call, args) => {
    const lang = args[0] ?? 'en';
    await call.answer();
    await call.playAndWait('sound:welcome', { lang });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const menu = await call.play('sound:press-1-sales-2-support', { lang });
      let digit: string;
      try {
        digit = await call.nextDtmf({ timeoutMs: menuTimeoutMs });
      } catch (err) {
        if (err instanceof AriTimeoutError) continue; // no choice: offer the menu again
        throw err; // the caller hung up (ARI_HANGUP): the flow just ends
      } finally {
        await menu.stop().catch(() => {}); // barge-in: stop the prompt (already finished is fine)
      }
      const queue = digit === '1' ? 'sales' : digit === '2' ? 'support' : undefined;
      if (queue) {
        await call.channel.setVariable('IVR_CHOICE', queue);
        await call.channel.continueInDialplan({ context: queue, extension: 's', priority: 1 });
        return;
      }
      await call.playAndWait('sound:option-is-invalid', { lang });
    }
    await call.playAndWait('sound:goodbye', { lang });
    await call.hangup();
  });

  await ari.connect();
  return ari;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.SWITCHBOARD_ARI_URL;
  if (!url) {
    console.error('set SWITCHBOARD_ARI_URL=http://user:password@host:8088/asterisk');
    process.exit(2);
  }
  const ari = await startIvr({ url });
  console.log('IVR ready: calls to Stasis(ivr) are answered');
  process.once('SIGINT', () => void ari.close());
}
