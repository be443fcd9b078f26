/**
 * `POST /v1/requests` answered straight from node:http, in front of fastify (issue 15: fastify's
 * per-request pipeline, its Request/Reply objects, hooks, content-type parser, route lookup and
 * reply serializer, cost ~25-30 µs of server CPU a decision on the bench host). The steps are the
 * route's own, shared with it: authentication and the route's readiness (request-steps.ts,
 * routes.ts), strict JSON, the route's schema with the project's ajv, decideRequest, decisionJson,
 * errorAnswer, countResponse. Only requests whose headers are plain are taken here: a known
 * content length within MAX_BODY, no transfer-encoding, a JSON or text content type. Anything
 * else (chunked or oversized bodies, no or odd content types, other methods or paths) goes to
 * fastify before a byte of it is read, so its answers stay fastify's own.
 * test/server/lean-decisions.test.ts compares both paths answer for answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseStrictJson } from '../json/parse.js';
import { decisionJson } from './decision-json.js';
import { errorAnswer, HttpError, MAX_BODY, schemaMessage, validatorFor } from './errors.js';
import type { LimitedLogger } from './limited-log.js';
import { authenticate, countResponse } from './request-steps.js';
import { decideRequest, type Route, type RouteContext } from './routes.js';
import type { KssRequest } from '../evaluator/types.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Content types fastify reads with the same parser as any other valid one (http-app.ts): a subset, to be sure. */
const PLAIN_TYPE = /^(?:application\/json|text\/plain)(?:; ?charset=utf-8)?$/i;
const LENGTH = /^[1-9][0-9]{0,6}$/;

/** A request listener that answers `route` (POST /v1/requests) itself and hands the rest to `fallback` (fastify's). */
export function leanDecisions(ctx: RouteContext, route: Route, limited: LimitedLogger, fallback: Listener): Listener {
  const validate = validatorFor(route.schema!.body!);
  const label = `${route.method} ${route.url}`;
  const need = route.auth as 'client' | 'admin';

  const answer = (req: IncomingMessage, res: ServerResponse, status: number, body: string, close: boolean) => {
    // The headers fastify writes for a JSON answer, in its order; node adds date and connection.
    const headers: Record<string, string | number> = close ? { connection: 'close' } : {};
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = Buffer.byteLength(body);
    // Counted once the answer is out, as fastify's onResponse hook is: on the response's finish
    // or error (an answer whose connection was gone before it was written is not counted).
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      countResponse(ctx, label, req.method!, req.url!, status);
    };
    res.on('finish', count);
    res.on('error', count);
    res.writeHead(status, headers);
    res.end(body);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, length: number) => {
    let status = 200;
    let body: string;
    let close = false;
    // While the body is read and parsed: an error then closes the connection, as fastify's
    // content-type parser does (the client may still be sending).
    let parsing = false;
    try {
      const token = await authenticate(ctx, req.headers.authorization, need);
      route.ready?.(ctx);
      parsing = true;
      const raw = await readBody(req, length);
      const request = parseStrictJson(raw);
      parsing = false;
      if (!validate(request)) throw new HttpError(400, schemaMessage(validate.errors![0]!));
      body = decisionJson(await decideRequest(ctx, request as KssRequest, raw, token));
    } catch (e) {
      ({ status, body, close } = errorAnswer(e as Error, label, limited));
      close ||= parsing;
    }
    answer(req, res, status, body, close);
  };

  return (req, res) => {
    const length = plainLength(req, route);
    if (length === null) return fallback(req, res);
    // serve answers every error itself; a throw past that (a broken socket) ends the connection.
    serve(req, res, length).catch(() => res.destroy());
  };
}

/** The body length of a request this path takes, or null: the request goes to fastify. */
function plainLength(req: IncomingMessage, route: Route): number | null {
  if (req.method !== route.method) return null;
  const url = req.url!;
  const q = url.indexOf('?');
  if ((q === -1 ? url : url.slice(0, q)) !== route.url) return null;
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined) return null;
  const type = h['content-type'];
  if (type === undefined || !PLAIN_TYPE.test(type)) return null;
  const length = h['content-length'];
  if (length === undefined || !LENGTH.test(length)) return null;
  const n = Number(length);
  return n <= MAX_BODY ? n : null;
}

/** The body, as fastify's parser reads it (a stream error is the client's: 400 with its message). */
function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
    });
    req.on('end', () => {
      if (got !== length) return reject(Object.assign(new Error('content-length mismatch'), { code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' }));
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, got));
    });
    req.on('error', (e: Error & { statusCode?: number }) => reject(Object.assign(e, { statusCode: e.statusCode !== undefined && e.statusCode >= 400 ? e.statusCode : 400 })));
  });
}
