/**
 * The fastify application: the route table (routes.ts) with authentication, the strict JSON
 * parser, the 1 MiB body limit, schema validation with the project's ajv (JSON Schema 2020-12),
 * one error shape (errors.ts), the response counter and the log line of refused requests.
 */
import { fastify, type FastifyInstance, type FastifyRequest } from 'fastify';
import { parseStrictJson } from '../json/parse.js';
import type { TokenRecord } from '../store/types.js';
import { errorHandler, HttpError, MAX_BODY, validatorFor } from './errors.js';
import { ROUTES, type Route, type RouteContext } from './routes.js';
import { CONSOLE_PATH, consoleAsset } from './console-static.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact body bytes (the signed answer carries their sha-256). */
    rawBody: Buffer | null;
    kssToken: TokenRecord | null;
  }
  interface FastifyContextConfig {
    body?: Route['body'];
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export interface HttpOptions {
  https?: { cert: Buffer; key: Buffer };
}

export function buildHttp(ctx: RouteContext, opts: HttpOptions = {}): FastifyInstance {
  const app = fastify({
    ...(opts.https ? { https: opts.https } : {}),
    logger: false, bodyLimit: MAX_BODY, keepAliveTimeout: 5000, return503OnClosing: false,
  }) as unknown as FastifyInstance;
  // Fastify's own ajv reads draft-07; the project's schemas are 2020-12.
  app.setValidatorCompiler(({ schema }) => validatorFor(schema as object));
  app.decorateRequest('rawBody', null);
  app.decorateRequest('kssToken', null);
  app.removeAllContentTypeParsers();
  // Whatever the content type (clients send JSON as text/plain too): the route says how to read it.
  // application/json is named as well: fastify finds a named type faster than the catch-all.
  const parse = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const bytes = body as Buffer;
    req.rawBody = bytes;
    if (req.routeOptions.config.body !== 'json') return done(null, bytes);
    try {
      done(null, parseStrictJson(bytes));
    } catch (e) {
      done(e as Error, undefined);
    }
  };
  for (const type of ['application/json', '*']) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_BODY }, parse);
  app.setErrorHandler(errorHandler(ctx.log));
  const paths = new Set(ROUTES.map((r) => r.url));
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    if (paths.has(path)) return reply.code(405).send({ error: `method ${req.method} is not allowed on ${path}` });
    return reply.code(404).send({ error: `no such endpoint ${path}` });
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ? `${req.method} ${req.routeOptions.url}` : 'other';
    ctx.metrics.response(route, reply.statusCode);
    // Debug only: the reasons of 5xx answers are logged where they arise, at most once per few seconds.
    if (reply.statusCode >= 400) ctx.log('debug', 'request refused', { route: `${req.method} ${req.url.split('?')[0]}`, status: reply.statusCode });
  });
  for (const route of ROUTES) addRoute(app, ctx, route);
  // The web console's files: not API endpoints, so not in the route table (nor the OpenAPI document).
  for (const url of [CONSOLE_PATH, `${CONSOLE_PATH}/*`]) {
    app.get(url, async (req, reply) => {
      const a = consoleAsset(req.url.split('?')[0]!);
      return reply.code(a.status).headers(a.headers).send(a.body);
    });
  }
  return app;
}

function addRoute(app: FastifyInstance, ctx: RouteContext, route: Route): void {
  app.route({
    method: route.method, url: route.url, config: { body: route.body },
    ...(route.schema ? { schema: route.schema } : {}),
    onRequest: async (req: FastifyRequest) => {
      if (route.auth !== 'none') req.kssToken = await authenticate(ctx, req, route.auth);
      route.ready?.(ctx);
    },
    handler: (req, reply) => route.handler(ctx, req, reply, req.kssToken),
  });
}

async function authenticate(ctx: RouteContext, req: FastifyRequest, need: 'client' | 'admin'): Promise<TokenRecord> {
  const text = bearerToken(req.headers.authorization);
  const token = text ? await ctx.rt.authenticate(text) : null;
  if (!token) throw new HttpError(401, 'a valid token is required (header `Authorization: Bearer <token>`)');
  if (need === 'admin' && token.role !== 'admin') throw new HttpError(403, 'this endpoint needs an admin token');
  return token;
}
