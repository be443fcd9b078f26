/**
 * The HTTP API: one table, one line per endpoint. Each handler translates and delegates to
 * runtime/admin or the runtime and returns the JSON answer (or sets the reply itself). The
 * schemas are the request schemas the server validates with and the OpenAPI document shows
 * (openapi.ts); `docs` adds what only the document needs.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setEnabled as setKeyserverEnabled } from '../admin/keyserver.js';
import { ApprovalError, approvePending, listPending, requiredApprovals } from '../admin/approvals.js';
import { describeLoad, loadPolicy, refused, serverZone } from '../admin/policy.js';
import { profileIdProblem } from '../admin/profile-id.js';
import { listQuota } from '../admin/quota.js';
import requestSchema from '../../schemas/request.schema.json' with { type: 'json' };
import decisionSchema from '../../schemas/decision.schema.json' with { type: 'json' };
import { instantFromMs } from '../time/index.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import type { KssRequest } from '../evaluator/types.js';
import type { TokenRecord } from '../store/types.js';
import { CompileLimitError, compileInWorker, type CompileLimits } from './compile-in-worker.js';
import { HttpError } from './errors.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { requestProblem } from './request-checks.js';
import type { KeyserverRuntime, SignedDecision } from './runtime.js';
import { decisionJson } from './decision-json.js';
import * as consoleApi from './console-api.js';
import type { CustodyAnswer, CustodyInput } from '../custody/common.js';
import { onboardProfile } from '../custody/onboard.js';
import { releaseShard } from '../custody/release.js';
import { addDevice } from '../custody/devices.js';
import { encryptionKeyFor } from '../identity/encryption.js';
import { DEVICE_SIGNATURE_HEADER } from '../../protocol/messages.js';
import { HPKE_SUITE_NAME } from '../../protocol/hpke.js';

export interface RouteContext {
  rt: KeyserverRuntime;
  metrics: Metrics;
  log: Logger;
  version: string;
  /** How many processes serve the port (`kss serve --workers N`); /v1/status says it. */
  workers?: number;
  /** false while shutting down: /healthz says so and new decisions get 503. */
  accepting: () => boolean;
  compileLimits: CompileLimits;
  /** `kss serve --require-signed-requests`: only device-signed requests (custody) are decided. */
  requireSignedRequests?: boolean;
}

export type Handler = (ctx: RouteContext, req: FastifyRequest, reply: FastifyReply, token: TokenRecord | null) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  auth: 'none' | 'client' | 'admin';
  /** How the body is read: strict JSON (runtime/json/parse.ts), raw bytes, or none. */
  body?: 'json' | 'raw';
  summary: string;
  schema?: { body?: object; querystring?: object };
  /** For the OpenAPI document: the answers, by status. */
  responses: Record<number, string | { description: string; schema: object }>;
  /** Checked after authentication and before the body is read (refuse early, without reading 1 MiB). */
  ready?: (ctx: RouteContext) => void;
  handler: Handler;
}

const QUOTA_QUERY = {
  type: 'object',
  properties: { profile: { type: 'string', description: 'A profile id (hex).' }, rule_id: { type: 'string' }, all: { enum: ['true', 'false'] } },
};

const APPROVE_QUERY = { type: 'object', properties: { pending: { type: 'string', description: 'The pending policy (`GET /v1/policy/pending`).' } } };

export const ROUTES: Route[] = [
  {
    method: 'POST', url: '/v1/requests', auth: 'client', body: 'json', summary: 'Decide a request (SPEC 6) and answer with a signed decision.',
    schema: { body: requestSchema }, ready: decisionReady, handler: decide,
    responses: { 200: { description: 'The signed decision.', schema: decisionSchema }, 400: 'Invalid request (field and reason in `error`).', 401: 'No, unknown or revoked token.', 413: 'Body over 1 MiB.', 503: 'Disabled, no policy, shutting down, or store unavailable.' },
  },
  {
    method: 'POST', url: '/v1/profiles', auth: 'client', body: 'raw', summary: 'Onboard a profile and its device (device-signed; a create_profile decision), answered with a profile certificate (docs/custody.md).',
    ready: custodyReady, handler: custody(onboardProfile),
    responses: { 200: 'The signed decision plus `certificate` (null when denied) and `keyserver {keyserver_id, public_key, encryption_public_key}`.', 400: 'Malformed body.', 401: 'No token, or a bad device signature.', 403: 'Revoked profile.', 503: 'Disabled, no policy, or store unavailable.' },
  },
  {
    method: 'POST', url: '/v1/shards', auth: 'client', body: 'raw', summary: "Ask for the keyserver's shard of a file key (device-signed; decided as a decrypt request), re-sealed to the device (docs/custody.md).",
    ready: custodyReady, handler: custody(releaseShard),
    responses: { 200: 'The signed decision plus `shard` (null when denied), `released_at`, `release_signature`.', 400: 'Malformed body or request.', 401: 'No token, or a bad device signature.', 403: 'Certificate not from this keyserver, revoked profile, or a request that is not the certificate\'s.', 422: 'The sealed shard does not open for this request.', 503: 'Disabled, no policy, or store unavailable.' },
  },
  {
    method: 'POST', url: '/v1/devices', auth: 'client', body: 'raw', summary: "Add a device to a profile (signed by an existing device, with the new device's proof of its key; a change_profile decision), answered with the new device's certificate (docs/custody.md).",
    ready: custodyReady, handler: custody(addDevice),
    responses: { 200: 'The signed decision plus `certificate` (null when denied).', 400: 'Malformed body.', 401: "No token, a bad device signature or a bad `device_proof`.", 403: 'Certificate not from this keyserver, or a revoked profile or device.', 503: 'Disabled, no policy, or store unavailable.' },
  },
  { method: 'GET', url: '/v1/status', auth: 'none', summary: 'The keyserver id, public key, enabled flag and running policy (every worker catches up with a change before it answers the next request).', handler: status, responses: { 200: '`{keyserver_id, public_key, signature_algorithm, enabled, policy, version, tz, workers}`' } },
  { method: 'GET', url: '/healthz', auth: 'none', summary: 'Health.', handler: health, responses: { 200: '`{status: "ok"}`', 503: '`{status: "degraded"}`: the store cannot be read or written, or the server is stopping.' } },
  { method: 'GET', url: '/metrics', auth: 'none', summary: 'Prometheus metrics (of all workers: counters summed, `kss_enabled` and `kss_policy_version` per `worker`).', handler: metrics, responses: { 200: 'Prometheus text exposition.' } },
  { method: 'GET', url: '/v1/openapi.json', auth: 'none', summary: 'This document.', handler: async () => (await import('./openapi.js')).openApiDocument(), responses: { 200: 'OpenAPI 3.1.' } },
  { method: 'GET', url: '/v1/quota', auth: 'admin', summary: 'Quota counters.', schema: { querystring: QUOTA_QUERY }, handler: quotaGet, responses: { 200: '`{entries: [...]}`' } },
  { method: 'DELETE', url: '/v1/quota', auth: 'admin', summary: 'Clear quota counters (`?profile=ID` or `?all=true`, optionally `&rule_id=R`).', schema: { querystring: QUOTA_QUERY }, handler: quotaDelete, responses: { 200: '`{cleared}`', 400: 'No selection, or a profile id that is not hex.' } },
  { method: 'GET', url: '/v1/policy', auth: 'admin', summary: 'The active policy with its source.', handler: policyGet, responses: { 200: '`{version, sha256, file, loaded_at, loaded_by, source}`', 404: 'No policy is loaded.' } },
  { method: 'PUT', url: '/v1/policy', auth: 'admin', body: 'raw', summary: 'Load a policy (the body is the YAML).', handler: policyPut, responses: { 200: '`{version, sha256, unchanged, diagnostics, message}`', 400: 'The policy has errors (`diagnostics`).', 422: 'Compiling the policy went over the memory or time limit (named in `error`).' } },
  {
    method: 'GET', url: '/v1/policy/pending', auth: 'admin', summary: 'The policies waiting for a second admin (`policy_approvals: 2`).', handler: policyPending,
    responses: { 200: '`{policy_approvals, pending: [{id, sha256, file, proposed_by, proposed_at}]}`' },
  },
  {
    method: 'POST', url: '/v1/policy/approve', auth: 'admin', summary: 'Activate a pending policy another admin loaded (`?pending=N`).', schema: { querystring: APPROVE_QUERY }, handler: policyApprove,
    responses: { 200: '`{version, sha256, carried, reset, message}`', 400: 'No `pending`, or the pending policy no longer compiles (`diagnostics`).', 409: 'This token proposed it, or there is no such pending policy.' },
  },
  { method: 'POST', url: '/v1/enable', auth: 'admin', summary: 'Enable the keyserver.', handler: (c, _q, _r, t) => setEnabled(c, t, true), responses: { 200: '`{enabled: true}`' } },
  { method: 'POST', url: '/v1/disable', auth: 'admin', summary: 'Disable the keyserver.', handler: (c, _q, _r, t) => setEnabled(c, t, false), responses: { 200: '`{enabled: false}`' } },
  // What the web console reads beyond the CLI's endpoints (console-api.ts).
  { method: 'GET', url: '/v1/instances', auth: 'admin', summary: 'Every instance that sent a heartbeat, Online or Offline, with the policy version it runs.', handler: (c) => consoleApi.instances(c.rt), responses: { 200: '`{instances: [{id, host, version, policy_version, started_at, last_heartbeat, status}]}`' } },
  { method: 'GET', url: '/v1/policies', auth: 'admin', summary: 'The policy versions, newest first; `?version=N`: that one with its source.', schema: { querystring: consoleApi.POLICIES_QUERY }, handler: (c, q) => consoleApi.policies(c.rt, q.query as consoleApi.Query), responses: { 200: '`{versions: [{version, sha256, file, loaded_at, loaded_by, active}]}`, or one version with `source`', 404: 'No such version.' } },
  {
    method: 'GET', url: '/v1/policies/diff', auth: 'admin', summary: 'What policy version `to` decides differently from version `from` (as `kss diff --format json`), and the line diff of their sources.',
    schema: { querystring: consoleApi.DIFF_QUERY }, handler: (c, q) => consoleApi.policyDiff(c.rt, q.query as consoleApi.Query, c.compileLimits),
    responses: { 200: '`{from, to, changes, may_change, counters, source_diff: [{old_start, old_lines, new_start, new_lines, lines: [{op, text}]}] | null}`', 400: 'A missing or bad `from` or `to`.', 404: 'No such version.', 422: 'A version does not compile in the server zone, or the comparison went over the memory or time limit.' },
  },
  { method: 'GET', url: '/v1/audit', auth: 'admin', summary: 'The newest audit entries first, optionally of one profile or kind.', schema: { querystring: consoleApi.AUDIT_QUERY }, handler: (c, q) => consoleApi.audit(c.rt, q.query as consoleApi.Query), responses: { 200: '`{entries: [...], truncated}`', 400: 'A bad `limit`, `before` or profile id.' } },
  { method: 'POST', url: '/v1/audit/verify', auth: 'admin', summary: 'Check the whole audit hash chain.', handler: (c) => consoleApi.auditVerify(c.rt), responses: { 200: '`{ok, count, problems}`' } },
  {
    method: 'POST', url: '/v1/explain', auth: 'admin', body: 'json', summary: 'Decide a request with the running policy and explain it rule set by rule set, recording nothing.',
    schema: { body: consoleApi.EXPLAIN_BODY }, handler: (c, q) => consoleApi.explain(c.rt, q.body),
    responses: { 200: '`{approved, rule_set, rule_ids, trace, text}`', 400: 'Invalid request or `at`.', 503: 'No policy is loaded.' },
  },
];

function decisionReady(ctx: RouteContext): void {
  custodyReady(ctx);
  if (ctx.requireSignedRequests) throw new HttpError(403, 'this keyserver decides device-signed requests only (`--require-signed-requests`): use `POST /v1/shards` with a profile certificate');
}

/** Decisions need a running, enabled keyserver with a policy. */
function custodyReady(ctx: RouteContext): void {
  if (!ctx.accepting()) throw new HttpError(503, 'the keyserver is shutting down');
  if (!ctx.rt.enabled) throw new HttpError(503, 'the keyserver is disabled (run `kss keyserver enable`)');
  if (!ctx.rt.hasPolicy) throw new HttpError(503, 'no policy is loaded (run `kss keyserver policy --load FILE`)');
}

async function decide(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply, token: TokenRecord | null): Promise<unknown> {
  const answer = await decideRequest(ctx, req.body as KssRequest, req.rawBody!, token!);
  // Set once the answer exists: an error answered before it still goes through fastify's serializer.
  // (A custom serializer leaves the content type to the route: the one fastify gives JSON.)
  reply.header('content-type', 'application/json; charset=utf-8').serializer(decisionJson);
  return answer;
}

/**
 * A request that passed the schema, decided: for the fastify route above and the lean path
 * (lean-decisions.ts). The duration metric runs from here, the body read and parsed.
 */
export async function decideRequest(ctx: RouteContext, request: KssRequest, rawBody: Buffer, token: TokenRecord): Promise<SignedDecision> {
  const started = process.hrtime.bigint();
  const problem = requestProblem(request);
  if (problem) throw new HttpError(400, problem);
  const answer = await ctx.rt.decide(request, rawBody, token.id, token.role);
  ctx.metrics.decision(request.request_type, answer.approved, Number(process.hrtime.bigint() - started) / 1e9);
  return answer;
}

/** A custody endpoint (runtime/custody): a plain function of body, device signature and token to status and body. */
function custody(fn: (input: CustodyInput) => Promise<CustodyAnswer>): Handler {
  return async (ctx, req, reply, token) => {
    const header = req.headers[DEVICE_SIGNATURE_HEADER];
    const out = await fn({ rt: ctx.rt, body: req.rawBody ?? Buffer.alloc(0), signature: typeof header === 'string' ? header : undefined, tokenId: token!.id, role: token!.role });
    reply.code(out.status);
    return out.body;
  };
}

async function status(ctx: RouteContext): Promise<unknown> {
  // Caught up first, so that whichever worker answers shows what the store says is active now.
  await ctx.rt.caughtUp().catch(() => undefined);
  return {
    keyserver_id: ctx.rt.identity.id, public_key: ctx.rt.identity.publicKey, signature_algorithm: 'ed25519',
    encryption_public_key: (await encryptionKeyFor(ctx.rt.identity)).publicKey, encryption_algorithm: HPKE_SUITE_NAME,
    enabled: ctx.rt.enabled, policy: ctx.rt.loaded, version: ctx.version, tz: ctx.rt.zone.name, workers: ctx.workers ?? 1,
  };
}

async function health(ctx: RouteContext, _q: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  let store = 'ok';
  try {
    await ctx.rt.caughtUp();
  } catch {
    store = 'unavailable';
  }
  const failing = ctx.rt.failing;
  const ok = store === 'ok' && failing === null && ctx.accepting();
  reply.code(ok ? 200 : 503);
  return { status: ok ? 'ok' : 'degraded', store, enabled: ctx.rt.enabled, policy_loaded: ctx.rt.hasPolicy, ...(failing ? { decisions: 'failing', reason: failing } : {}) };
}

async function metrics(ctx: RouteContext, _q: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  let text;
  try {
    text = await ctx.metrics.render();
  } catch (e) {
    throw new HttpError(503, (e as Error).message); // a worker whose primary did not answer (cluster-metrics.ts)
  }
  reply.type(ctx.metrics.contentType);
  return text;
}

function quotaFilter(req: FastifyRequest): { profileId?: string; ruleId?: string; all: boolean } {
  const q = req.query as { profile?: string; rule_id?: string; all?: string };
  return { profileId: q.profile?.toLowerCase(), ruleId: q.rule_id, all: q.all === 'true' };
}

async function quotaGet(ctx: RouteContext, req: FastifyRequest): Promise<unknown> {
  const { profileId, ruleId } = quotaFilter(req);
  return { entries: await listQuota(ctx.rt.store, { at: instantFromMs(Date.now()), zone: ctx.rt.zone, own: ctx.rt.quota.ownMemory, filter: { profileId, ruleId } }) };
}

async function quotaDelete(ctx: RouteContext, req: FastifyRequest, _r: FastifyReply, token: TokenRecord | null): Promise<unknown> {
  const { profileId, ruleId, all } = quotaFilter(req);
  if (profileId === undefined && !all) throw new HttpError(400, 'say which counters to clear: `?profile=ID` or `?all=true` (optionally `&rule_id=R`)');
  const problem = profileId === undefined ? null : profileIdProblem(profileId);
  if (problem) throw new HttpError(400, problem);
  return { cleared: await ctx.rt.quota.clear({ profileId, ruleId }, `api:${token!.id}`) };
}

async function policyGet(ctx: RouteContext): Promise<unknown> {
  const p = await ctx.rt.store.activePolicy();
  if (!p) throw new HttpError(404, 'no policy is loaded');
  return { version: p.version, sha256: p.sha256, file: p.file, loaded_at: p.loadedAt, loaded_by: p.loadedBy, source: p.source };
}

async function policyPut(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply, token: TokenRecord | null): Promise<unknown> {
  // The body as bytes: a policy that is not UTF-8 is refused with the place of its first bad byte.
  const inWorker = (src: Buffer | Uint8Array | string, file: string, zone: ZoneInfo) => compileInWorker(src, file, zone, ctx.compileLimits);
  let result;
  try {
    result = await loadPolicy(ctx.rt.store, req.rawBody ?? Buffer.alloc(0), 'keyserver.yml', `api:${token!.id}`, serverZone(ctx.rt.zone.name), inWorker);
  } catch (e) {
    if (e instanceof CompileLimitError) throw new HttpError(422, e.message);
    throw e;
  }
  if (refused(result)) {
    reply.code(400);
    return { error: 'the policy has errors and was not loaded', diagnostics: result.diagnostics };
  }
  await ctx.rt.refresh();
  const message = describeLoad(result).trimEnd();
  if (result.pending) {
    reply.code(202);
    return { pending: result.pending.id, sha256: result.pending.sha256, diagnostics: result.diagnostics, message };
  }
  if (result.unchanged) {
    const v = result.unchanged;
    return { version: v.version, sha256: v.sha256, unchanged: true, diagnostics: result.diagnostics, message };
  }
  const a = result.activation!;
  return { version: a.policy.version, sha256: a.policy.sha256, unchanged: false, carried: a.carried, reset: a.reset, diagnostics: result.diagnostics, message };
}

async function setEnabled(ctx: RouteContext, token: TokenRecord | null, enabled: boolean): Promise<unknown> {
  await setKeyserverEnabled(ctx.rt.store, enabled, `api:${token!.id}`);
  await ctx.rt.refresh();
  return { enabled };
}

/** Four eyes (runtime/admin/approvals.ts): another admin token activates a pending policy. */
async function policyApprove(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply, token: TokenRecord | null): Promise<unknown> {
  const id = Number((req.query as { pending?: string }).pending);
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(400, 'say which pending policy: `?pending=N` (GET /v1/policy/pending lists them)');
  let result;
  try {
    result = await approvePending(ctx.rt.store, id, `api:${token!.id}`, serverZone(ctx.rt.zone.name));
  } catch (e) {
    if (e instanceof ApprovalError) throw new HttpError(409, e.message);
    throw e;
  }
  if (!result.activation) {
    reply.code(400);
    return { error: 'the pending policy no longer compiles and was not activated', diagnostics: result.diagnostics };
  }
  await ctx.rt.refresh();
  const a = result.activation;
  return { version: a.policy.version, sha256: a.policy.sha256, carried: a.carried, reset: a.reset, message: describeLoad(result).trimEnd() };
}

async function policyPending(ctx: RouteContext): Promise<unknown> {
  const pending = (await listPending(ctx.rt.store)).map(({ source: _s, note: _n, ...p }) => p);
  return { policy_approvals: await requiredApprovals(ctx.rt.store), pending };
}
