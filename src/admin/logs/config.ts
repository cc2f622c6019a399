/** Log sources of one PBX (`pbx[].logs`) and the ring size (`logs:`). */
import { z } from 'zod';

/** `pbx[].logs`: a local file to follow and/or a syslog receiver. */
export const pbxLogsSchema = z
  .object({
    /** e.g. `/var/log/asterisk/messages` or `full` (when Switchboard runs on the PBX host). */
    file: z.string().min(1).optional(),
    /** Read the file from its start instead of its end. */
    fromStart: z.boolean().default(false),
    syslog: z
      .object({
        host: z.string().default('0.0.0.0'),
        udp: z.number().int().min(0).max(65535).optional(),
        tcp: z.number().int().min(0).max(65535).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The validated per-PBX section. */
export type PbxLogsConfig = z.output<typeof pbxLogsSchema>;

/** `logs:` — shared settings of the log console. */
export const logsSchema = z
  .object({
    /** Lines kept in memory per PBX. */
    ringSize: z.number().int().min(100).max(1_000_000).default(5000),
    /** File poll interval in ms. */
    pollInterval: z.number().int().min(50).max(60_000).default(500),
    /** Bytes queued for one WebSocket client (not yet taken by its connection) before it is dropped as too slow. */
    maxBufferedBytes: z.number().int().min(1024).default(1_048_576),
  })
  .strict();

/** The validated `logs:` section. */
export type LogsConfig = z.output<typeof logsSchema>;

/** Defaults of `logs:`. */
export const LOGS_DEFAULTS: LogsConfig = { ringSize: 5000, pollInterval: 500, maxBufferedBytes: 1_048_576 };
