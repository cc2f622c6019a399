/**
 * A delivery engine in a process of its own, for the kill -9 test: `node --import tsx webhooks-child.ts <db file>
 * <config JSON>` opens the store on the file, runs the engine and prints `ready`; it runs until killed.
 */
import { WEBHOOKS_DEFAULTS, WebhookDeliveryEngine } from '../../src/feeds/index.js';
import { openStore, WebhookOutboxRepository, WebhookTargetRepository } from '../../src/store/index.js';

const [file, json] = process.argv.slice(2);
const store = await openStore({ url: file! });
const engine = new WebhookDeliveryEngine(
  new WebhookOutboxRepository(store.db, store.dialect),
  new WebhookTargetRepository(store.db),
  { ...WEBHOOKS_DEFAULTS, ...(JSON.parse(json ?? '{}') as object) },
  { onError: (err) => process.stderr.write(`${err.message}\n`) },
);
engine.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void engine.close().then(() => store.close());
});
