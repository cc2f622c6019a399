/** What the `users`/`tokens` commands need of the server's config, without loading the whole server. */
import { isRole, type Role } from '../server/roles.js';

export { ConfigError, loadConfig } from '../server/config.js';

/** True for a role name. */
export function isRoleName(v: string): v is Role {
  return isRole(v);
}
