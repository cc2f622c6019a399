/** Turns any failure into words for the user (never a stack, never a secret). */
import { ApiError } from '../api/client';
import type { Translate } from '../i18n';

/** A sentence describing `err`. */
export function describeError(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.code === 'NETWORK') return t('error.network');
    return err.message;
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}
