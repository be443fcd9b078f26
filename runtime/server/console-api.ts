/**
 * The admin endpoints the web console reads beyond the CLI's: instances, policy versions, the
 * audit log and its verification, and the simulator. Each takes the parsed query and body and
 * answers data (or throws HttpError), so the route table only adapts them to the HTTP layer.
 */
import { verifyAudit } from '../admin/audit.js';
import { MAX_AUDIT_PAGE, recentAudit } from '../admin/audit-recent.js';
import { profileIdProblem } from '../admin/profile-id.js';
import { listInstanceStatus } from '../cluster/instances.js';
import type { KssRequest } from '../evaluator/types.js';
import { instantFromMs, parseInstant } from '../time/index.js';
import { CompileLimitError, diffInWorker, type CompileLimits } from './compile-in-worker.js';
import requestSchema from '../../schemas/request.schema.json' with { type: 'json' };
import { HttpError } from './errors.js';
import { requestProblem } from './request-checks.js';
import type { KeyserverRuntime } from './runtime.js';

// Checked by the handlers, whose messages say what a positive integer is.
const POSITIVE = { type: 'string' };
export const POLICIES_QUERY = { type: 'object', properties: { version: { ...POSITIVE, description: 'A policy version.' } } };
export const DIFF_QUERY = {
  type: 'object', required: ['from', 'to'],
  properties: { from: { ...POSITIVE, description: 'The old policy version.' }, to: { ...POSITIVE, description: 'The new policy version.' } },
};
export const AUDIT_QUERY = {
  type: 'object',
  properties: {
    limit: { ...POSITIVE, description: 'At most this many entries (1 to 500, default 100).' },
    profile: { type: 'string', description: 'Only entries of this profile id (hex).' },
    kind: { type: 'string', description: 'Only entries of this kind (`decision`, `policy.load`, ...).' },
    before: { ...POSITIVE, description: 'Only entries older than this seq (the next page).' },
  },
};
// The request schema inside another: without its own $id, which ajv holds once.
const { $id: _id, $schema: _schema, ...requestShape } = requestSchema as Record<string, unknown>;
export const EXPLAIN_BODY = {
  type: 'object', required: ['request'], additionalProperties: false,
  properties: { request: requestShape, at: { type: 'string', description: 'ISO-8601 arrival time (default now; without an offset, in the server zone).' } },
};

export async function instances(rt: KeyserverRuntime): Promise<unknown> {
  return { instances: await listInstanceStatus(rt.store) };
}

/** Every version, newest first, without their sources (`?version=N` answers one with its source). */
/** A query string as the HTTP layer hands it over (fastify's `req.query`, or the entries of a URL's). */
export type Query = Record<string, string | undefined>;

export async function policies(rt: KeyserverRuntime, query: Query): Promise<unknown> {
  const all = await rt.store.listPolicies();
  const active = (await rt.store.changeStamp()).policyVersion;
  const wanted = query.version;
  if (wanted !== undefined) {
    const p = all.find((v) => String(v.version) === wanted);
    if (!p) throw new HttpError(404, `no policy version \`${wanted}\` (versions are 1 to ${all.length})`);
    return { version: p.version, sha256: p.sha256, file: p.file, loaded_at: p.loadedAt, loaded_by: p.loadedBy, active: p.version === active, source: p.source };
  }
  const list = all.map((p) => ({ version: p.version, sha256: p.sha256, file: p.file, loaded_at: p.loadedAt, loaded_by: p.loadedBy, active: p.version === active }));
  return { versions: list.sort((a, b) => b.version - a.version) };
}

/**
 * `?from=V1&to=V2`: what version V2 decides differently from V1 (`kss diff --format json`'s
 * report: changes with witnesses, "may change", counters) and the line diff of their sources,
 * computed in the worker thread under the compile limits (a large policy takes seconds).
 */
export async function policyDiff(rt: KeyserverRuntime, query: Query, limits: CompileLimits): Promise<unknown> {
  const all = await rt.store.listPolicies();
  const [from, to] = (['from', 'to'] as const).map((name) => {
    const v = positiveInt(query, name, undefined);
    if (v === undefined) throw new HttpError(400, `say which versions to compare: \`?from=V1&to=V2\` (\`${name}\` is missing)`);
    const p = all.find((x) => x.version === v);
    if (!p) throw new HttpError(404, `no policy version \`${v}\` (versions are 1 to ${all.length})`);
    return p;
  });
  const r = await diffInWorker(from!.source, to!.source, rt.zone.name, limits).catch((e: unknown) => {
    throw e instanceof CompileLimitError ? new HttpError(422, e.message) : e;
  });
  if ('error' in r) throw new HttpError(422, r.error);
  return { from: { version: from!.version, sha256: from!.sha256 }, to: { version: to!.version, sha256: to!.sha256 }, ...r };
}

function positiveInt(query: Query, name: string, fallback: number | undefined): number | undefined {
  const text = query[name];
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new HttpError(400, `\`${name}\` must be a positive integer, not \`${text}\``);
  return Number(text);
}

export async function audit(rt: KeyserverRuntime, query: Query): Promise<unknown> {
  const limit = positiveInt(query, 'limit', 100)!;
  if (limit > MAX_AUDIT_PAGE) throw new HttpError(400, `\`limit\` is at most ${MAX_AUDIT_PAGE}`);
  const profileId = query.profile?.toLowerCase() || undefined;
  const problem = profileId === undefined ? null : profileIdProblem(profileId);
  if (problem) throw new HttpError(400, problem);
  const kind = query.kind || undefined;
  return recentAudit(rt.store, { limit, profileId, kind, beforeSeq: positiveInt(query, 'before', undefined) });
}

export async function auditVerify(rt: KeyserverRuntime): Promise<unknown> {
  const r = await verifyAudit(rt.store);
  return { ok: r.problems.length === 0, ...r };
}

/**
 * Body `{request, at?}` (parsed JSON): `at` an ISO-8601 moment (one without an offset is in the
 * server zone), default now.
 */
export async function explain(rt: KeyserverRuntime, value: unknown): Promise<unknown> {
  if (!rt.hasPolicy) throw new HttpError(503, 'no policy is loaded (run `kss keyserver policy --load FILE`)');
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('request' in value)) {
    throw new HttpError(400, 'the body must be a JSON object `{"request": {...}, "at": "2026-03-15T14:30:00+01:00"}` (`at` optional)');
  }
  const { request, at } = value as { request: unknown; at?: unknown };
  const problem = requestProblem(request as KssRequest);
  if (problem) throw new HttpError(400, problem);
  const instant = at === undefined || at === null || at === '' ? instantFromMs(Date.now()) : typeof at === 'string' ? parseInstant(at, rt.zone) : null;
  if (instant === null) throw new HttpError(400, `\`at\` must be an ISO-8601 moment such as 2026-03-15T14:30:00+01:00, not \`${String(at)}\``);
  const { decision, text } = rt.explain(request as KssRequest, instant);
  return { approved: decision.approved, rule_set: decision.rule_set, rule_ids: decision.rule_ids, trace: decision.trace ?? [], text };
}
