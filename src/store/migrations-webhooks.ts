/** Migration `0007_webhooks`: webhook targets of feeds and their outbox. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/** The webhooks migrations. */
export const webhooksMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  return {
    '0007_webhooks': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('webhook_targets'))
          .addColumn('feed_id', 'integer', (c) => c.notNull().references('feeds.id').onDelete('cascade'))
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('paused_reason', 'text')
          .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('webhook_targets_feed').on('webhook_targets').column('feed_id').execute();
        await id(db.schema.createTable('webhook_outbox'))
          .addColumn('target_id', 'integer', (c) =>
            c.notNull().references('webhook_targets.id').onDelete('cascade'),
          )
          .addColumn('delivery_id', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_at', 'text', (c) => c.notNull())
          .addColumn('locked_by', 'text')
          .addColumn('locked_until', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('event_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .addColumn('last_code', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('last_latency_ms', 'integer')
          .addColumn('last_body', 'text')
          .execute();
        // The claim reads each target's head: pending rows of a target in id order.
        await db.schema
          .createIndex('webhook_outbox_queue')
          .on('webhook_outbox')
          .columns(['target_id', 'status', 'id'])
          .execute();
        await db.schema
          .createIndex('webhook_outbox_delivery')
          .on('webhook_outbox')
          .columns(['target_id', 'delivery_id'])
          .execute();
        await db.schema
          .createIndex('webhook_outbox_event_at')
          .on('webhook_outbox')
          .columns(['target_id', 'event_at'])
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('webhook_outbox').execute();
        await db.schema.dropTable('webhook_targets').execute();
      },
    },
  };
};
