/** The feeds room's typed errors: one base class, stable codes. */

/** Codes of the feeds room. */
export type FeedsErrorCode =
  | 'FEED_BAD_FILTER'
  | 'FEED_UNSAFE_REGEX'
  | 'FEED_NOT_FOUND'
  | 'WEBHOOK_NOT_FOUND'
  | 'WEBHOOK_BAD_URL'
  | 'WEBHOOK_PRIVATE_TARGET'
  | 'WEBHOOK_BAD_HEADER'
  | 'DELIVERY_NOT_FOUND'
  | 'GATEWAY_BAD_CONFIG';

/** HTTP status each code maps to at the edge. */
export const FEEDS_ERROR_STATUS: Record<FeedsErrorCode, number> = {
  FEED_BAD_FILTER: 422,
  FEED_UNSAFE_REGEX: 422,
  FEED_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_BAD_URL: 422,
  WEBHOOK_PRIVATE_TARGET: 422,
  WEBHOOK_BAD_HEADER: 422,
  DELIVERY_NOT_FOUND: 404,
  GATEWAY_BAD_CONFIG: 400,
};

/** Base error of the feeds room; `field` names the offending input (`filter.regex`, `url`…). */
export class FeedsError extends Error {
  constructor(
    readonly code: FeedsErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'FeedsError';
  }
}
