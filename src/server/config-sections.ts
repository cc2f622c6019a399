/**
 * The config sections that application rooms add (`feeds`/`webhooks`/`gateway`, `provisioning`, `logs`…). Each
 * room exports its zod schema; it is listed here with one line, so the YAML file stays one document validated
 * at start.
 */
import type { z } from 'zod';
import { PHONES_DEFAULTS, phonesSchema } from '../admin/config.js';
import { LOGS_DEFAULTS, logsSchema } from '../admin/logs/config.js';
import { PROVISIONING_DEFAULTS, provisioningSchema } from '../admin/provisioning/config.js';
import { GATEWAY_DEFAULTS, gatewaySchema } from '../feeds/gateway/config.js';
import { WEBHOOKS_DEFAULTS, webhooksSchema } from '../feeds/webhooks/config.js';

/** Extra top-level keys of the config, by name. */
export const configSections = {
  phones: phonesSchema.default(PHONES_DEFAULTS),
  provisioning: provisioningSchema.default(PROVISIONING_DEFAULTS),
  logs: logsSchema.default(LOGS_DEFAULTS),
  webhooks: webhooksSchema.default(WEBHOOKS_DEFAULTS),
  gateway: gatewaySchema.default(GATEWAY_DEFAULTS),
} satisfies Record<string, z.ZodType>;
