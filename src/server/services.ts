/** Room services started with the server (history recorder, webhook delivery, gateway, log sources…), in order. */
import { gatewayService } from '../feeds/gateway/service.js';
import type { ServerService } from './context.js';
import { feedsService } from './rooms/feeds.js';
import { historyServerService } from './rooms/history.js';
import { webhooksService } from './rooms/webhooks.js';
import { logsService } from './routes/logs.js';
import { provisioningService } from './routes/provisioning.js';
import { trunkHistoryService } from './routes/trunks.js';

/** The services; each room adds its own with one line. Closed in reverse order on shutdown. */
export const services: readonly ServerService[] = [
  historyServerService,
  provisioningService,
  logsService,
  trunkHistoryService,
  feedsService(),
  webhooksService(),
  gatewayService,
];
