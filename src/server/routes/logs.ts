/**
 * The Asterisk log console: the `logs` service follows each PBX's log file and/or receives its syslog
 * (`pbx[].logs`) into a bounded ring per PBX; `GET /api/v1/logs` queries it and `/api/v1/logs/live` streams new
 * lines over a WebSocket with the filters applied server side (a client whose connection does not keep up is
 * closed with 4008, like `/api/v1/live`). Admins and supervisors only.
 */
import { isAbsolute, resolve } from 'node:path';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import {
  FileFollower,
  type LogEntry,
  type LogFilter,
  LogRing,
  matches,
  parseLogLine,
  SyslogReceiver,
  syslogToLine,
} from '../../admin/index.js';
import type { RoutePlugin, ServerContext, ServerService } from '../context.js';
import { HttpError } from '../errors.js';
import { CLOSE_SHUTDOWN, CLOSE_SLOW } from '../live.js';
import { authorize, defineRoute, type RouteDoc, routeDocs } from '../route.js';

/** What the `logs` service exposes in `ctx.rooms`. */
export interface LogsRoom {
  ring: LogRing;
  /** The syslog ports bound per PBX (ephemeral ports resolved). */
  syslogPorts: Record<string, { udp?: number; tcp?: number }>;
  close(): Promise<void>;
}

/** Starts every PBX's log sources. */
export const logsService: ServerService = {
  name: 'logs',
  async start(ctx) {
    const ring = new LogRing(ctx.config.logs.ringSize);
    const followers: FileFollower[] = [];
    const receivers: SyslogReceiver[] = [];
    const syslogPorts: LogsRoom['syslogPorts'] = {};
    const clients = new Set<WebSocket>();
    const room: LogsRoom & { clients: Set<WebSocket> } = {
      ring,
      syslogPorts,
      clients,
      async close() {
        for (const c of clients) c.close(CLOSE_SHUTDOWN, 'server shutting down');
        await Promise.all([...followers.map((f) => f.close()), ...receivers.map((r) => r.close())]);
      },
    };
    try {
      for (const p of ctx.config.pbx) {
        const id = p.id ?? 'pbx1';
        const logs = p.logs;
        if (!logs) continue;
        if (logs.file) {
          const path = isAbsolute(logs.file) ? logs.file : resolve(ctx.configDir, logs.file);
          const f = new FileFollower(path, (line) => ring.add(id, 'file', parseLogLine(line)), {
            interval: ctx.config.logs.pollInterval,
            fromStart: logs.fromStart,
          });
          await f.start();
          followers.push(f);
        }
        if (logs.syslog && (logs.syslog.udp !== undefined || logs.syslog.tcp !== undefined)) {
          const r = new SyslogReceiver((raw) => ring.add(id, 'syslog', syslogToLine(raw)), {
            host: logs.syslog.host,
            ...(logs.syslog.udp !== undefined ? { udp: logs.syslog.udp } : {}),
            ...(logs.syslog.tcp !== undefined ? { tcp: logs.syslog.tcp } : {}),
          });
          await r.start();
          receivers.push(r);
          syslogPorts[id] = r.ports;
        }
      }
    } catch (err) {
      await room.close();
      throw err;
    }
    return room;
  },
};

const levels = z.enum([
  'ERROR',
  'WARNING',
  'NOTICE',
  'VERBOSE',
  'DEBUG',
  'error',
  'warning',
  'notice',
  'verbose',
  'debug',
]);
const filterQuery = z
  .object({
    pbx: z.string().max(32).optional(),
    level: levels.optional(),
    q: z.string().max(200).optional(),
    callid: z
      .string()
      .regex(/^C-[0-9a-fA-F]{1,16}$/, 'a call id such as C-00000001')
      .optional(),
    since: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(200),
  })
  .strict();

function toFilter(q: z.output<typeof filterQuery>): LogFilter {
  const f: LogFilter = {};
  if (q.pbx !== undefined) f.pbx = q.pbx;
  if (q.level !== undefined) f.level = q.level;
  if (q.q !== undefined) f.q = q.q;
  if (q.callid !== undefined) f.callId = q.callid;
  if (q.since !== undefined) f.since = q.since;
  return f;
}

/** The logs room of a server (an empty ring when the service is not running, e.g. in other rooms' tests). */
function roomOf(ctx: ServerContext): LogsRoom & { clients?: Set<WebSocket> } {
  const r = ctx.rooms.get('logs') as (LogsRoom & { clients?: Set<WebSocket> }) | undefined;
  if (r) return r;
  const empty: LogsRoom = { ring: new LogRing(100), syslogPorts: {}, close: async () => {} };
  ctx.rooms.set('logs', empty);
  return empty;
}

/** Log routes. */
export const logRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/logs',
      access: 'supervisor',
      tag: 'logs',
      summary:
        'Asterisk log lines, oldest first: ?pbx&level (minimum)&q (text)&callid (C-…)&since (seq)&limit',
      query: filterQuery,
    },
    ({ query }) => {
      if (query.pbx !== undefined) ctx.pbx.pick(query.pbx);
      return roomOf(ctx).ring.query(toFilter(query), query.limit);
    },
  );

  routeDocs(app).push({
    method: 'GET',
    url: '/api/v1/logs/live',
    access: 'supervisor',
    scopes: [],
    summary:
      'WebSocket: {type:"snapshot",lines:[…]} (the latest ?limit lines) then {type:"line",line} for each new line passing the filters; close 4008 = too slow',
    tag: 'logs',
    query: filterQuery,
    status: 101,
    produces: [],
  } satisfies RouteDoc);
  app.get(
    '/api/v1/logs/live',
    {
      websocket: true,
      config: { access: 'supervisor' },
      preValidation: async (req) => authorize(req.principal, 'supervisor', []),
    },
    (socket, req) => {
      try {
        authorize(req.principal, 'supervisor', []);
        const q = filterQuery.safeParse(req.query);
        if (!q.success) throw new HttpError(400, 'BAD_REQUEST', 'bad query', 'query');
        if (q.data.pbx !== undefined) ctx.pbx.pick(q.data.pbx);
        const filter = toFilter(q.data);
        const room = roomOf(ctx);
        const max = ctx.config.logs.maxBufferedBytes;
        const send = (text: string): boolean => {
          if (socket.readyState !== socket.OPEN) return false;
          if (socket.bufferedAmount > max) {
            socket.close(CLOSE_SLOW, 'too slow');
            return false;
          }
          socket.send(text);
          return true;
        };
        send(JSON.stringify({ type: 'snapshot', lines: room.ring.query(filter, q.data.limit) }));
        const off = room.ring.subscribe((e: LogEntry) => {
          if (matches(e, filter)) send(JSON.stringify({ type: 'line', line: e }));
        });
        room.clients?.add(socket);
        socket.on('message', () => {});
        socket.on('close', () => {
          off();
          room.clients?.delete(socket);
        });
        socket.on('error', () => socket.terminate());
      } catch (err) {
        socket.close(1008, (err as Error).message.slice(0, 100));
      }
    },
  );
};
