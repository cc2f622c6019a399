/** Click-to-dial and call control (filled in next). */
import type { RoutePlugin } from '../context.js';

/** Control routes. */
export const controlRoutes: RoutePlugin = () => {};
