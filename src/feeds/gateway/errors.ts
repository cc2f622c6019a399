/** The gateway's typed errors for its API-managed logins (config problems are `FeedsError GATEWAY_BAD_CONFIG`). */

/** Codes of the gateway's user management. */
export type GatewayErrorCode =
  | 'GATEWAY_USER_NOT_FOUND'
  | 'GATEWAY_USER_EXISTS'
  | 'GATEWAY_USER_READONLY'
  | 'GATEWAY_BAD_USER';

/** HTTP status each code maps to at the edge. */
export const GATEWAY_ERROR_STATUS: Record<GatewayErrorCode, number> = {
  GATEWAY_USER_NOT_FOUND: 404,
  GATEWAY_USER_EXISTS: 409,
  GATEWAY_USER_READONLY: 409,
  GATEWAY_BAD_USER: 422,
};

/** Base error of the gateway's user management; `field` names the offending input. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}
