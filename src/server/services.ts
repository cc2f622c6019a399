/** Room services started with the server (history recorder, webhook delivery, gateway, log sources…), in order. */
import { historyServerService } from '../history/service.js';
import type { ServerService } from './context.js';

/** The services; each room adds its own with one line. Closed in reverse order on shutdown. */
export const services: readonly ServerService[] = [historyServerService];
