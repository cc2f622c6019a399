/** Prometheus metrics of the server (prom-client, one registry per server so tests do not share counters). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The server's metrics. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly amiUp = new Gauge({
    name: 'switchboard_ami_connected',
    help: '1 when the AMI link of the PBX is logged in',
    labelNames: ['pbx'] as const,
    registers: [this.registry],
  });
  readonly amiEvents = new Counter({
    name: 'switchboard_ami_events_total',
    help: 'AMI events received per PBX (rate() gives events per second)',
    labelNames: ['pbx'] as const,
    registers: [this.registry],
  });
  readonly amiActions = new Counter({
    name: 'switchboard_ami_actions_total',
    help: 'AMI actions sent by the API per PBX, action and outcome',
    labelNames: ['pbx', 'action', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly liveCalls = new Gauge({
    name: 'switchboard_live_calls',
    help: 'Calls in progress per PBX',
    labelNames: ['pbx'] as const,
    registers: [this.registry],
  });
  readonly liveChannels = new Gauge({
    name: 'switchboard_live_channels',
    help: 'Channels per PBX',
    labelNames: ['pbx'] as const,
    registers: [this.registry],
  });
  readonly wsClients = new Gauge({
    name: 'switchboard_websocket_clients',
    help: 'Connected WebSocket clients by endpoint',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });
  readonly wsDropped = new Counter({
    name: 'switchboard_websocket_dropped_total',
    help: 'WebSocket clients disconnected for being too slow',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });
  readonly historyWrites = new Counter({
    name: 'switchboard_history_writes_total',
    help: 'Call records written to the history',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
  }
}
