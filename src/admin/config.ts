/** The `phones:` config section: how phones are written to Asterisk. */
import { z } from 'zod';

const word = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, . _ - only');

/** `phones:` — defaults for new phones and where their Asterisk categories go. */
export const phonesSchema = z
  .object({
    /** `auto` asks the PBX (ModuleCheck res_pjsip_config_wizard.so, then chan_sip.so). */
    driver: z.enum(['auto', 'pjsip', 'chan_sip']).default('auto'),
    /** PJSIP transport of the wizard categories. */
    transport: word.default('transport-udp'),
    /** chan_sip: the file peers are written to — `sip.conf` itself, or a file of ours it `#include`s. */
    sipFile: word.default('sip.conf'),
    /** Default context, codecs and language of new phones. */
    context: word.default('default'),
    codecs: z
      .array(z.string().regex(/^[a-z0-9_]{1,20}$/))
      .min(1)
      .default(['ulaw', 'alaw']),
    language: z
      .string()
      .regex(/^[a-z]{2}(_[A-Z]{2})?$/)
      .optional(),
    /** Key that seals phone secrets in the database (AES-256-GCM); without it they are stored readable. */
    secretKey: z.string().min(16).optional(),
  })
  .strict();

/** The validated `phones:` section. */
export type PhonesConfig = z.output<typeof phonesSchema>;

/** The section's defaults (a missing section validates to these). */
export const PHONES_DEFAULTS: PhonesConfig = {
  driver: 'auto',
  transport: 'transport-udp',
  sipFile: 'sip.conf',
  context: 'default',
  codecs: ['ulaw', 'alaw'],
};
