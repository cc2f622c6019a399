/** Every route plugin of the server, in registration order. Each area adds its plugin here with one line. */
import type { RoutePlugin } from '../context.js';
import { webRoutes } from '../web.js';
import { controlRoutes } from './control.js';
import { feedRoutes } from './feeds.js';
import { gatewayRoutes } from './gateway.js';
import { historyRoutes } from './history.js';
import { logRoutes } from './logs.js';
import { phoneRoutes } from './phones.js';
import { provisioningRoutes } from './provisioning.js';
import { routingRoutes } from './routing.js';
import { sessionRoutes } from './session.js';
import { softwareRoutes } from './software.js';
import { stateRoutes } from './state.js';
import { systemRoutes } from './system.js';
import { trunkRoutes } from './trunks.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

/** The plugins. */
export const routePlugins: readonly RoutePlugin[] = [
  systemRoutes,
  sessionRoutes,
  userRoutes,
  stateRoutes,
  controlRoutes,
  trunkRoutes,
  softwareRoutes,
  historyRoutes,
  phoneRoutes,
  feedRoutes,
  gatewayRoutes,
  webhookRoutes,
  provisioningRoutes,
  routingRoutes,
  logRoutes,
  webRoutes, // last: the UI's catch-all GET must not shadow any API route
];
