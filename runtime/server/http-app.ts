/**
 * The fastify application: the route table (routes.ts) with authentication, the strict JSON
 * parser, the 1 MiB body limit, schema validation with the project's ajv (JSON Schema 2020-12),
 * one error shape (errors.ts), the response counter and the log line of refused requests.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fastify, type FastifyInstance, type FastifyRequest } from 'fastify';
import { parseStrictJson } from '../json/parse.js';
import type { TokenRecord } from '../store/types.js';
import { errorHandler, MAX_BODY, validatorFor } from './errors.js';
import { ROUTES, type Route, type RouteContext } from './routes.js';
import { CONSOLE_PATH, consoleAsset } from './console-static.js';
import { leanDecisions } from './lean-decisions.js';
import { limitedLogger } from './limited-log.js';
import { authenticate, countResponse } from './request-steps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact body bytes (the signed answer carries their sha-256). */
    rawBody: Buffer | null;
    kssToken: TokenRecord | null;
    /** The matched route, set by its first hook (null for a request no route took: 404, 405). */
    kssRoute: RouteInfo | null;
  }
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
  /**
   * false: `POST /v1/requests` goes through fastify as every other route, not the lean path
   * (lean-decisions.ts). Internal: the test comparing both paths sets it. Default true.
   */
  leanDecisions?: boolean;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
/** What fastify gives a serverFactory: its request handler and its options (the timeouts below). */
interface ServerOptions { https?: object | true; keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number; maxRequestsPerSocket?: number | null }

export function buildHttp(ctx: RouteContext, opts: HttpOptions = {}): FastifyInstance {
  // One limited logger for both paths: a failure repeating on every request is logged once per window.
  const limited = limitedLogger(ctx.log);
  const decisions = ROUTES.find((r) => r.method === 'POST' && r.url === '/v1/requests')!;
  // The server fastify would make (node_modules/fastify/lib/server.js, getServerInstance), with the
  // lean decision path in front of fastify's handler.
  const serverFactory = (handler: Listener, o: ServerOptions) => {
    const listener = opts.leanDecisions === false ? handler : leanDecisions(ctx, decisions, limited, handler);
    const server = o.https ? createHttpsServer(o.https === true ? {} : o.https, listener) : createHttpServer(listener);
    server.keepAliveTimeout = o.keepAliveTimeout;
    server.requestTimeout = o.requestTimeout;
    server.setTimeout(o.connectionTimeout);
    if (o.maxRequestsPerSocket) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
    return server;
  };
  const app = fastify({
    ...(opts.https ? { https: opts.https } : {}),
    logger: false, bodyLimit: MAX_BODY, keepAliveTimeout: 5000, return503OnClosing: false,
    serverFactory: serverFactory as never,
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
  app.setErrorHandler(errorHandler(limited));
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
    countResponse(ctx, route, req.method, req.url, reply.statusCode);
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
      authenticate(ctx, req.headers.authorization, need).then((token) => {
        req.kssToken = token;
        ready(done);
      }, done);
    },
    handler: (req, reply) => route.handler(ctx, req, reply, req.kssToken),
  });
}
