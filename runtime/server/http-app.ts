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
    /** The matched route, set by its first hook (null for a request no route took: 404, 405). */
    kssRoute: RouteInfo | null;
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * What the hooks need of a route, kept on the request: fastify's `req.routeOptions` is a getter
 * that builds a dozen-field object on every read (issue 15: three reads per request).
 */
interface RouteInfo {
  method: string;
  url: string;
  body?: Route['body'];
  /** The metrics label `METHOD url`, spelled once. */
  label: string;
}

function routeInfo(method: string, url: string, body?: Route['body']): RouteInfo {
  return { method, url, body, label: `${method} ${url}` };
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
  app.decorateRequest('kssRoute', null);
  app.removeAllContentTypeParsers();
  // Whatever the content type (clients send JSON as text/plain too): the route says how to read it.
  // application/json is named as well: fastify finds a named type faster than the catch-all.
  const parse = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const bytes = body as Buffer;
    req.rawBody = bytes;
    if (req.kssRoute?.body !== 'json') return done(null, bytes);
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
  // Callback style, as the route hooks below: an async hook costs a promise per request and fastify's wait on it.
  app.addHook('onResponse', (req, reply, done) => {
    const r = req.kssRoute;
    // A HEAD request reaches a GET route (fastify's automatic HEAD routes) and is counted as HEAD.
    const route = r === null ? 'other' : req.method === r.method ? r.label : `${req.method} ${r.url}`;
    ctx.metrics.response(route, reply.statusCode);
    // Debug only: the reasons of 5xx answers are logged where they arise, at most once per few seconds.
    if (reply.statusCode >= 400) ctx.log('debug', 'request refused', { route: `${req.method} ${req.url.split('?')[0]}`, status: reply.statusCode });
    done();
  });
  for (const route of ROUTES) addRoute(app, ctx, route);
  // The web console's files: not API endpoints, so not in the route table (nor the OpenAPI document).
  for (const url of [CONSOLE_PATH, `${CONSOLE_PATH}/*`]) {
    const info = routeInfo('GET', url);
    const onRequest = (req: FastifyRequest, _reply: unknown, done: () => void) => {
      req.kssRoute = info;
      done();
    };
    app.get(url, { onRequest }, async (req, reply) => {
      const a = consoleAsset(req.url.split('?')[0]!);
      return reply.code(a.status).headers(a.headers).send(a.body);
    });
  }
  return app;
}

function addRoute(app: FastifyInstance, ctx: RouteContext, route: Route): void {
  const info = routeInfo(route.method, route.url, route.body);
  const ready = (done: (err?: Error) => void) => {
    try {
      route.ready?.(ctx);
    } catch (e) {
      return done(e as Error);
    }
    done();
  };
  const need = route.auth;
  app.route({
    method: route.method, url: route.url,
    ...(route.schema ? { schema: route.schema } : {}),
    onRequest: (req: FastifyRequest, _reply, done) => {
      req.kssRoute = info;
      if (need === 'none') return ready(done);
      authenticate(ctx, req, need).then((token) => {
        req.kssToken = token;
        ready(done);
      }, done);
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
