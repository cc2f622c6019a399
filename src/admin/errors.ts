/** The admin room's typed errors (one base class, stable codes mapped to HTTP statuses by the server). */

/** Every admin error code. */
export type AdminErrorCode =
  | 'ADMIN_INVALID'
  | 'ADMIN_NOT_FOUND'
  | 'ADMIN_CONFLICT'
  | 'ADMIN_NOT_MANAGED'
  | 'ADMIN_PBX_REFUSED'
  | 'ADMIN_VERIFY_FAILED'
  | 'ADMIN_SECRET_KEY';

/** HTTP status of each code (registered with the server's error table). */
export const ADMIN_ERROR_STATUS: Record<AdminErrorCode, number> = {
  ADMIN_INVALID: 400,
  ADMIN_NOT_FOUND: 404,
  ADMIN_CONFLICT: 409,
  ADMIN_NOT_MANAGED: 409,
  ADMIN_PBX_REFUSED: 502,
  ADMIN_VERIFY_FAILED: 502,
  ADMIN_SECRET_KEY: 500,
};

/** An admin-room failure; `field` names the input at fault, `asterisk` carries what Asterisk answered. */
export class AdminError extends Error {
  constructor(
    /** Stable code. */
    readonly code: AdminErrorCode,
    message: string,
    /** Input field at fault. */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AdminError';
  }
}
