/**
 * The config sections that application rooms add (`feeds`/`webhooks`/`gateway`, `provisioning`, `logs`…). Each
 * room exports its zod schema; it is listed here with one line, so the YAML file stays one document validated
 * at start.
 */
import type { z } from 'zod';

/** Extra top-level keys of the config, by name. */
export const configSections = {} satisfies Record<string, z.ZodType>;
