/**
 * `policy --load FILE --dry-run`: what a candidate policy would change, with nothing activated.
 * Two answers: which quota counters the load would keep or reset (the same split activation makes,
 * runtime/quota/rule.ts), and a replay of the most recent decisions from the audit log through the
 * candidate, at the moments they were taken, compared with what the keyserver answered then.
 * Throttles are replayed on fresh in-memory counters, in order: their state before the replayed
 * span is not in the log, so a throttled decision can differ for that reason alone.
 */
import { compilePolicy } from '../../compiler/compile.js';
import type { PolicySource } from '../../compiler/analyze.js';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { loadProgram, MemoryQuota, type DecisionProgram } from '../evaluator/index.js';
import type { KssRequest } from '../evaluator/types.js';
import { explainDenial, type DenialReason } from '../evaluator/reasons.js';
import { splitCounters } from '../quota/rule.js';
import type { AuditEntry, KssStore } from '../store/types.js';
import { instantFromMs, type Zone } from '../time/index.js';
import { auditOfKind } from './versions.js';

export interface ReplayedChange {
  seq: number;
  at: string;
  request: KssRequest;
  before: { approved: boolean; rule_set: number | null };
  after: { approved: boolean; rule_set: number | null; reasons?: DenialReason[] };
}

export interface DryRun {
  diagnostics: Diagnostic[];
  /** null when the candidate has errors (nothing else was looked at). */
  sha256: string | null;
  active_version: number | null;
  counters: { kept: string[]; reset: string[] };
  replay: { decisions: number; changed: number; from: string | null; to: string | null; examples: ReplayedChange[] };
}

export interface DryRunOptions {
  /** How many of the most recent decisions to replay. */
  last: number;
  examples: number;
  zoneInfo: ZoneInfo;
  zone: Zone;
}

export async function dryRun(store: KssStore, source: PolicySource, file: string, o: DryRunOptions): Promise<DryRun> {
  const { artifact, diagnostics } = compilePolicy(source, file, { zone: o.zoneInfo });
  const empty = { decisions: 0, changed: 0, from: null, to: null, examples: [] };
  if (!artifact || diagnostics.some((d) => d.severity === 'error')) return { diagnostics, sha256: null, active_version: null, counters: { kept: [], reset: [] }, replay: empty };
  const program = loadProgram(artifact);
  const counted = [...(await store.listQuota()).map((c) => c.ruleId), ...(await store.listMemoryQuota()).map((c) => c.ruleId)];
  const { carried, reset } = splitCounters(counted, program.ruleIds);
  const active = await store.activePolicy();
  const entries = await recentDecisions(store, o.last);
  return { diagnostics, sha256: artifact.sha256, active_version: active?.version ?? null, counters: { kept: carried, reset }, replay: replay(program, entries, o) };
}

function replay(program: DecisionProgram, entries: AuditEntry[], o: DryRunOptions): DryRun['replay'] {
  const quota = new MemoryQuota();
  const examples: ReplayedChange[] = [];
  let changed = 0;
  for (const e of entries) {
    const request = requestOf(e.data);
    const ctx = { at: instantFromMs(Date.parse(e.at)), zone: o.zone };
    const d = program.decide(request, ctx, quota);
    const before = { approved: e.data.approved === true, rule_set: typeof e.data.rule_set === 'number' ? e.data.rule_set : null };
    if (d.approved === before.approved && d.rule_set === before.rule_set) continue;
    changed++;
    if (examples.length < o.examples) {
      const after = { approved: d.approved, rule_set: d.rule_set, ...(d.approved ? {} : { reasons: explainDenial(program, request, ctx) }) };
      examples.push({ seq: e.seq, at: e.at, request, before, after });
    }
  }
  return { decisions: entries.length, changed, from: entries[0]?.at ?? null, to: entries.at(-1)?.at ?? null, examples };
}

/**
 * The request a decision entry describes. The entry's field names are SPEC 6's (request_type,
 * device_id, cryptographic_id, auth_meta, nonce, profile_id, profile_words); entries written before
 * the audit kept the request fields lack auth_meta, and replay as such.
 */
function requestOf(data: Record<string, unknown>): KssRequest {
  const req: Record<string, unknown> = { request_type: data.request_type };
  for (const f of ['device_id', 'cryptographic_id', 'auth_meta', 'nonce']) if (data[f] !== undefined) req[f] = data[f];
  const profile: Record<string, unknown> = {};
  if (typeof data.profile_id === 'string') profile.profile_id = data.profile_id;
  if (data.profile_words !== undefined) profile.profile_words = data.profile_words;
  if (Object.keys(profile).length > 0) req.profile = profile;
  return req as KssRequest;
}

/** The last `n` decision entries, oldest first, reading back from the end of the log in growing steps. */
async function recentDecisions(store: KssStore, n: number): Promise<AuditEntry[]> {
  const last = await store.lastAudit();
  if (!last || n <= 0) return [];
  for (let span = n * 2; ; span *= 4) {
    const from = Math.max(0, last.seq - span);
    const found = await auditOfKind(store, 'decision', from);
    if (found.length >= n || from === 0) return found.slice(-n);
  }
}
