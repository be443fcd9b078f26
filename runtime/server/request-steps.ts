/**
 * The steps of a request that fastify's routes (http-app.ts) and the lean decision path
 * (lean-decisions.ts) both take, in one place: the token check, and counting and logging the answer.
 */
import type { TokenRecord } from '../store/types.js';
import { HttpError } from './errors.js';
import type { RouteContext } from './routes.js';

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** The token of `Authorization: Bearer <token>`, if it is valid and has the role the route needs. */
export async function authenticate(ctx: RouteContext, authorization: string | undefined, need: 'client' | 'admin'): Promise<TokenRecord> {
  const text = bearerToken(authorization);
  const token = text ? await ctx.rt.authenticate(text) : null;
  if (!token) throw new HttpError(401, 'a valid token is required (header `Authorization: Bearer <token>`)');
  if (need === 'admin' && token.role !== 'admin') throw new HttpError(403, 'this endpoint needs an admin token');
  return token;
}

/** The response counter (`route` is its label, `METHOD url`) and, debug only, the log line of a refused request. */
export function countResponse(ctx: RouteContext, route: string, method: string, url: string, status: number): void {
  ctx.metrics.response(route, status);
  // Debug only: the reasons of 5xx answers are logged where they arise, at most once per few seconds.
  if (status >= 400) ctx.log('debug', 'request refused', { route: `${method} ${url.split('?')[0]}`, status });
}
