/**
 * The feeds room's server service: loads every stored feed into the engine, feeds it each PBX's raw events and
 * the monitor's changes, and exposes the repository + engine to the route plugin (`ctx.rooms.get('feeds')`).
 */
import type { AmiMessage } from '../../ami/index.js';
import { type FeedDefinition, type FeedFilterSpec, FeedsEngine } from '../../feeds/index.js';
import type { PbxChange } from '../../pbx/index.js';
import { type FeedRecord, FeedRepository } from '../../store/index.js';
import type { ServerContext, ServerService } from '../context.js';

/** What the service puts in `ctx.rooms.get('feeds')`. */
export interface FeedsRoom {
  readonly repository: FeedRepository;
  readonly engine: FeedsEngine;
  /** The engine's definition of a stored feed (with its owner's extensions). */
  definition(feed: FeedRecord): Promise<FeedDefinition>;
  close(): Promise<void>;
}

/** Builds the feeds service. */
export function feedsService(): ServerService & { start(ctx: ServerContext): Promise<FeedsRoom> } {
  return {
    name: 'feeds',
    async start(ctx) {
      const repository = new FeedRepository(ctx.store.db, ctx.store.dialect);
      let known = new Set<string>();
      const refreshKnown = async () => {
        known = new Set((await ctx.auth.accounts.list()).flatMap((a) => a.extensions));
      };
      await refreshKnown();
      const engine = new FeedsEngine({}, () => known);
      const definition = async (feed: FeedRecord): Promise<FeedDefinition> => {
        const owner = await ctx.auth.accounts.get(feed.ownerId);
        return {
          id: feed.id,
          pbx: feed.pbx,
          kind: feed.kind,
          filter: feed.filter as FeedFilterSpec,
          extensions: owner?.extensions ?? [],
        };
      };
      for (const feed of await repository.list()) {
        try {
          engine.upsert(await definition(feed));
        } catch (err) {
          ctx.logger.warn(
            { feed: feed.id, err: (err as Error).message },
            'feed filter refused; feed not loaded',
          );
        }
      }
      const listeners: Array<() => void> = [];
      for (const [id, link] of ctx.pbx.links) {
        const on = (m: AmiMessage) => engine.onEvent(id, m);
        link.on('event', on);
        listeners.push(() => link.off('event', on));
      }
      const onChange = (c: PbxChange) => engine.onChange(c);
      ctx.pbx.monitor.on('change', onChange);
      listeners.push(() => ctx.pbx.monitor.off('change', onChange));
      const timer = setInterval(() => void refreshKnown().catch(() => {}), 60_000);
      timer.unref();
      return {
        repository,
        engine,
        definition,
        async close() {
          clearInterval(timer);
          for (const off of listeners) off();
          await engine.close();
        },
      };
    },
  };
}
