/**
 * The webhooks server service (after `feeds`): taps the feeds engine so every matched message lands in the
 * outbox, runs the delivery engine, prunes the delivery log, and gives the route plugin its repositories
 * (`ctx.rooms.get('webhooks')`).
 */

import { OutboxWriter, WebhookDeliveryEngine, type WebhooksConfig } from '../../feeds/index.js';
import { WebhookOutboxRepository, WebhookTargetRepository } from '../../store/index.js';
import type { ServerContext, ServerService } from '../context.js';
import type { FeedsRoom } from './feeds.js';

/** What the service puts in `ctx.rooms.get('webhooks')`. */
export interface WebhooksRoom {
  readonly config: WebhooksConfig;
  readonly targets: WebhookTargetRepository;
  readonly outbox: WebhookOutboxRepository;
  readonly delivery: WebhookDeliveryEngine;
  readonly writer: OutboxWriter;
  close(): Promise<void>;
}

/** Builds the webhooks service. */
export function webhooksService(): ServerService & { start(ctx: ServerContext): Promise<WebhooksRoom> } {
  return {
    name: 'webhooks',
    async start(ctx) {
      const config = ctx.config.webhooks;
      const targets = new WebhookTargetRepository(ctx.store.db);
      const outbox = new WebhookOutboxRepository(ctx.store.db, ctx.store.dialect);
      const onError = (err: Error) => ctx.logger.warn({ err: err.message }, 'webhook outbox');
      const delivery = new WebhookDeliveryEngine(outbox, targets, config, { onError });
      const writer = new OutboxWriter(outbox, () => delivery.wake(), onError);
      const feeds = ctx.rooms.get('feeds') as FeedsRoom | undefined;
      const untap = feeds?.engine.tap((feedId, m) => writer.add(feedId, m));
      delivery.start();
      const prune = async () => {
        if (config.keepDays > 0)
          await outbox.prune(new Date(Date.now() - config.keepDays * 86_400_000).toISOString());
      };
      await prune().catch(onError);
      const timer = setInterval(() => void prune().catch(onError), 3_600_000);
      timer.unref();
      return {
        config,
        targets,
        outbox,
        delivery,
        writer,
        async close() {
          clearInterval(timer);
          untap?.();
          await writer.flush();
          await delivery.close();
        },
      };
    },
  };
}
