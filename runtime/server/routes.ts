/** The HTTP API. Each handler translates and delegates to runtime/admin or the runtime. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setEnabled as setKeyserverEnabled } from '../admin/keyserver.js';
import { describeLoad, loadPolicy, refused, serverZone } from '../admin/policy.js';
import { profileIdProblem } from '../admin/profile-id.js';
import { listQuota } from '../admin/quota.js';
import { instantFromMs } from '../time/index.js';
import type { KssRequest } from '../evaluator/types.js';
import type { TokenRecord } from '../store/types.js';
import { bearerToken, HttpError, parseJson, readBody, sendJson, sendText } from './http.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { KeyserverRuntime } from './runtime.js';
import { validateRequest } from './validate.js';

export interface RouteContext {
  rt: KeyserverRuntime;
  metrics: Metrics;
  log: Logger;
  version: string;
  /** false while shutting down: /healthz says so and new decisions get 503. */
  accepting: () => boolean;
}

type Handler = (ctx: RouteContext, req: IncomingMessage, res: ServerResponse, url: URL, token: TokenRecord | null) => Promise<void>;

interface Route {
  auth: 'none' | 'client' | 'admin';
  handler: Handler;
}

const ROUTES: Record<string, Route> = {
  'POST /v1/requests': { auth: 'client', handler: decide },
  'GET /v1/status': { auth: 'none', handler: status },
  'GET /healthz': { auth: 'none', handler: health },
  'GET /metrics': { auth: 'none', handler: async (c, _q, res) => sendText(res, 200, c.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8') },
  'GET /v1/quota': { auth: 'admin', handler: quotaGet },
  'DELETE /v1/quota': { auth: 'admin', handler: quotaDelete },
  'GET /v1/policy': { auth: 'admin', handler: policyGet },
  'PUT /v1/policy': { auth: 'admin', handler: policyPut },
  'POST /v1/enable': { auth: 'admin', handler: (c, q, r, u, t) => setEnabled(c, r, t, true) },
  'POST /v1/disable': { auth: 'admin', handler: (c, q, r, u, t) => setEnabled(c, r, t, false) },
};

const KNOWN_PATHS = new Set(Object.keys(ROUTES).map((k) => k.split(' ')[1]));

export async function handle(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kss');
  const key = `${req.method} ${url.pathname}`;
  const route = ROUTES[key];
  let status = 500;
  try {
    if (!route) {
      if (KNOWN_PATHS.has(url.pathname)) throw new HttpError(405, `method ${req.method} is not allowed on ${url.pathname}`);
      throw new HttpError(404, `no such endpoint ${url.pathname}`);
    }
    let token: TokenRecord | null = null;
    if (route.auth !== 'none') {
      const text = bearerToken(req);
      token = text ? await ctx.rt.authenticate(text) : null;
      if (!token) throw new HttpError(401, 'a valid token is required (header `Authorization: Bearer <token>`)');
      if (route.auth === 'admin' && token.role !== 'admin') throw new HttpError(403, 'this endpoint needs an admin token');
    }
    await route.handler(ctx, req, res, url, token);
    status = res.statusCode;
  } catch (err) {
    if (err instanceof HttpError) {
      status = err.status;
      // After a 413 the rest of the body is not read: close the connection rather than drain it.
      sendJson(res, err.status, { error: err.message }, err.status === 413 ? { connection: 'close' } : {});
    } else {
      status = 500;
      ctx.log('error', 'request failed', { route: key, error: (err as Error).message });
      if (!res.headersSent) sendJson(res, 503, { error: 'the keyserver cannot answer right now; try again' });
      status = 503;
    }
  }
  ctx.metrics.response(route ? key : 'other', status);
  if (status >= 400) ctx.log(status >= 500 ? 'warn' : 'debug', 'request refused', { route: key, status });
}

async function decide(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, _u: URL, token: TokenRecord | null): Promise<void> {
  const started = process.hrtime.bigint();
  if (!ctx.accepting()) throw new HttpError(503, 'the keyserver is shutting down');
  if (!ctx.rt.enabled) throw new HttpError(503, 'the keyserver is disabled (run `kss keyserver enable`)');
  if (!ctx.rt.hasPolicy) throw new HttpError(503, 'no policy is loaded (run `kss keyserver policy --load FILE`)');
  const body = await readBody(req);
  const parsed = parseJson(body);
  const problem = validateRequest(parsed);
  if (problem) throw new HttpError(400, problem);
  const request = parsed as KssRequest;
  const answer = await ctx.rt.decide(request, body, token!.id);
  ctx.metrics.decision(request.request_type, answer.approved, Number(process.hrtime.bigint() - started) / 1e9);
  sendJson(res, 200, answer);
}

async function status(ctx: RouteContext, _q: IncomingMessage, res: ServerResponse): Promise<void> {
  sendJson(res, 200, {
    keyserver_id: ctx.rt.identity.id,
    public_key: ctx.rt.identity.publicKey,
    signature_algorithm: 'ed25519',
    enabled: ctx.rt.enabled,
    policy: ctx.rt.loaded,
    version: ctx.version,
    tz: ctx.rt.zone.name,
  });
}

async function health(ctx: RouteContext, _q: IncomingMessage, res: ServerResponse): Promise<void> {
  let store = 'ok';
  try {
    await ctx.rt.store.changeStamp();
  } catch {
    store = 'unavailable';
  }
  const ok = store === 'ok' && ctx.accepting();
  sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', store, enabled: ctx.rt.enabled, policy_loaded: ctx.rt.hasPolicy });
}

async function quotaGet(ctx: RouteContext, _q: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const profileId = url.searchParams.get('profile')?.toLowerCase() ?? undefined;
  const ruleId = url.searchParams.get('rule_id') ?? undefined;
  const own = { instanceId: ctx.rt.instanceId, memory: ctx.rt.quota.memory };
  const entries = await listQuota(ctx.rt.store, { at: instantFromMs(Date.now()), zone: ctx.rt.zone, own, filter: { profileId, ruleId } });
  sendJson(res, 200, { entries });
}

async function quotaDelete(ctx: RouteContext, _q: IncomingMessage, res: ServerResponse, url: URL, token: TokenRecord | null): Promise<void> {
  const profileId = url.searchParams.get('profile')?.toLowerCase() ?? undefined;
  const ruleId = url.searchParams.get('rule_id') ?? undefined;
  const all = url.searchParams.get('all') === 'true';
  if (profileId === undefined && !all) throw new HttpError(400, 'say which counters to clear: `?profile=ID` or `?all=true` (optionally `&rule_id=R`)');
  const problem = profileId === undefined ? null : profileIdProblem(profileId);
  if (problem) throw new HttpError(400, problem);
  const cleared = await ctx.rt.quota.clear({ profileId, ruleId }, `api:${token!.id}`);
  sendJson(res, 200, { cleared });
}

async function policyGet(ctx: RouteContext, _q: IncomingMessage, res: ServerResponse): Promise<void> {
  const p = await ctx.rt.store.activePolicy();
  if (!p) throw new HttpError(404, 'no policy is loaded');
  sendJson(res, 200, { version: p.version, sha256: p.sha256, file: p.file, loaded_at: p.loadedAt, loaded_by: p.loadedBy, source: p.source });
}

async function policyPut(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, _u: URL, token: TokenRecord | null): Promise<void> {
  // The body as bytes: a policy that is not UTF-8 is refused with the place of its first bad byte.
  const result = await loadPolicy(ctx.rt.store, await readBody(req), 'keyserver.yml', `api:${token!.id}`, serverZone(ctx.rt.zone.name));
  if (refused(result)) {
    sendJson(res, 400, { error: 'the policy has errors and was not loaded', diagnostics: result.diagnostics });
    return;
  }
  await ctx.rt.refresh();
  const message = describeLoad(result).trimEnd();
  if (result.unchanged) {
    const v = result.unchanged;
    sendJson(res, 200, { version: v.version, sha256: v.sha256, unchanged: true, diagnostics: result.diagnostics, message });
    return;
  }
  const a = result.activation!;
  sendJson(res, 200, { version: a.policy.version, sha256: a.policy.sha256, unchanged: false, carried: a.carried, reset: a.reset, diagnostics: result.diagnostics, message });
}

async function setEnabled(ctx: RouteContext, res: ServerResponse, token: TokenRecord | null, enabled: boolean): Promise<void> {
  await setKeyserverEnabled(ctx.rt.store, enabled, `api:${token!.id}`);
  await ctx.rt.refresh();
  sendJson(res, 200, { enabled });
}
