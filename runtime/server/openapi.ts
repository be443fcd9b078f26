/**
 * The OpenAPI 3.1 document, generated from the route table (routes.ts): the same request schemas
 * the server validates with. Served at `/v1/openapi.json` and checked in as docs/openapi.json
 * (`node scripts/openapi.mjs` rewrites it; test/server/openapi.test.ts fails when they differ).
 */
import { ROUTES, type Route } from './routes.js';

const ERROR = { type: 'object', required: ['error'], properties: { error: { type: 'string', description: 'What is wrong (the field and the reason) and what to do.' } } };

function responses(route: Route): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const all: Route['responses'] = { ...route.responses };
  if (route.auth !== 'none') all[401] = 'No, unknown or revoked token.';
  if (route.auth === 'admin') all[403] = 'A client token on an admin endpoint.';
  for (const [status, r] of Object.entries(all)) {
    const text = typeof r === 'string' ? r : r.description;
    const schema = typeof r === 'string' ? (Number(status) >= 400 ? ERROR : undefined) : r.schema;
    out[status] = { description: text, ...(schema ? { content: { 'application/json': { schema } } } : {}) };
  }
  return out;
}

function parameters(route: Route): unknown[] | undefined {
  const q = route.schema?.querystring as { properties?: Record<string, object> } | undefined;
  if (!q?.properties) return undefined;
  return Object.entries(q.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
}

function operation(route: Route): Record<string, unknown> {
  const body = route.body === 'json'
    ? { required: true, content: { 'application/json': { schema: route.schema?.body ?? {} } } }
    : route.body === 'raw' ? { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } } : undefined;
  const params = parameters(route);
  return {
    summary: route.summary,
    ...(route.auth === 'none' ? { security: [] } : {}),
    ...(route.auth === 'admin' ? { 'x-kss-token': 'admin' } : route.auth === 'client' ? { 'x-kss-token': 'client or admin' } : {}),
    ...(params ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route),
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) (paths[r.url] ??= {})[r.method.toLowerCase()] = operation(r);
  return {
    openapi: '3.1.0',
    info: { title: 'kss keyserver API', version: '1', description: 'The HTTP API of `kss serve`; see docs/api.md.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `kss keyserver token create`.' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
