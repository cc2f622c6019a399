import type { AmiReconnectOptions } from './client-options.js';

/**
 * Delay before reconnect attempt number `attempt` (0 for the first): `initialDelay * factor^attempt`, capped at
 * `maxDelay`, minus a random share of up to `jitter` of it so that many clients do not reconnect in step.
 */
export function reconnectDelay(
  attempt: number,
  r: AmiReconnectOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(r.maxDelay ?? 30_000, (r.initialDelay ?? 250) * (r.factor ?? 2) ** attempt);
  return Math.round(base * (1 - (r.jitter ?? 0.5) * random()));
}
