/** Builds the OpenAPI 3.1 document from the routes declared with `defineRoute` (one source: their zod schemas). */
import { type ZodType, z } from 'zod';
import type { RouteDoc } from './route.js';

function schemaOf(s: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  try {
    const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return rest;
  } catch {
    return {};
  }
}

function parameters(s: ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!s) return [];
  const json = schemaOf(s, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema,
  }));
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
};

/** The document. */
export function openApiDocument(routes: readonly RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [String(r.status)]: {
        description: 'success',
        ...(r.response || r.produces.length
          ? {
              content: {
                ...(r.response ? { 'application/json': { schema: schemaOf(r.response, 'output') } } : {}),
                ...Object.fromEntries(r.produces.map((m) => [m, { schema: { type: 'string' } }])),
              },
            }
          : {}),
      },
      default: { description: 'error', content: { 'application/json': { schema: errorSchema } } },
    };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      'x-access': r.access,
      ...(r.scopes.length ? { 'x-token-scopes': r.scopes } : {}),
      ...(r.access === 'public' ? { security: [] } : {}),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version,
      description: 'Live calls, call control, history and administration of Asterisk PBXs.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}
