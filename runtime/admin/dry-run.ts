/**
 * `policy --load FILE --dry-run`: what a candidate policy would change, with nothing activated.
 * Two answers: which quota counters the load would keep or reset (the same split activation makes,
 * runtime/quota/rule.ts), and a replay of the most recent decisions from the audit log through the
 * candidate, at the moments they were taken, compared with what the keyserver answered then.
 * Throttles are replayed on fresh in-memory counters, in order: their state before the replayed
 * span is not in the log, so a throttled decision can differ for that reason alone. The request is
 * rebuilt by runtime/audit/decision-entry.ts, which wrote the entry; entries older than that
 * format are counted as not replayable rather than decided on a request missing its metas.
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
import { hasRequestFields, requestFromEntry } from '../audit/decision-entry.js';
import { auditOfKind } from './versions.js';

export interface ReplayedChange {
  seq: number;
  at: string;
  request: KssRequest;
  /** What the keyserver answered then, and what the candidate answers. */
  old: { approved: boolean; rule_set: number | null };
  new: { approved: boolean; rule_set: number | null; reasons?: DenialReason[] };
}

export interface Replay {
  /** Decision entries looked at: the last `--replay N` of the log. */
  total: number;
  /** Of those, the ones decided again (`total - not_replayable`). */
  replayed: number;
  /** Entries from before decision entries kept the request fields: not replayed, never guessed. */
  not_replayable: number;
  changed: number;
  from: string | null;
  to: string | null;
  examples: ReplayedChange[];
}

export interface DryRun {
  diagnostics: Diagnostic[];
  /** null when the candidate has errors (nothing else was looked at). */
  sha256: string | null;
  active_version: number | null;
  counters: { kept: string[]; reset: string[] };
  replay: Replay;
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
  const empty = { total: 0, replayed: 0, not_replayable: 0, changed: 0, from: null, to: null, examples: [] };
  if (!artifact || diagnostics.some((d) => d.severity === 'error')) return { diagnostics, sha256: null, active_version: null, counters: { kept: [], reset: [] }, replay: empty };
  const program = loadProgram(artifact);
  const counted = [...(await store.listQuota()).map((c) => c.ruleId), ...(await store.listMemoryQuota()).map((c) => c.ruleId)];
  const { carried, reset } = splitCounters(counted, program.ruleIds);
  const active = await store.activePolicy();
  const entries = await recentDecisions(store, o.last);
  return { diagnostics, sha256: artifact.sha256, active_version: active?.version ?? null, counters: { kept: carried, reset }, replay: replay(program, entries, o) };
}

function replay(program: DecisionProgram, entries: AuditEntry[], o: DryRunOptions): Replay {
  const quota = new MemoryQuota();
  const examples: ReplayedChange[] = [];
  let changed = 0;
  let notReplayable = 0;
  for (const e of entries) {
    if (!hasRequestFields(e.data)) {
      notReplayable++;
      continue;
    }
    const request = requestFromEntry(e.data);
    const ctx = { at: instantFromMs(Date.parse(e.at)), zone: o.zone };
    const d = program.decide(request, ctx, quota);
    const old = { approved: e.data.approved === true, rule_set: typeof e.data.rule_set === 'number' ? e.data.rule_set : null };
    if (d.approved === old.approved && d.rule_set === old.rule_set) continue;
    changed++;
    if (examples.length < o.examples) {
      const now = { approved: d.approved, rule_set: d.rule_set, ...(d.approved ? {} : { reasons: explainDenial(program, request, ctx) }) };
      examples.push({ seq: e.seq, at: e.at, request, old, new: now });
    }
  }
  const span = { from: entries[0]?.at ?? null, to: entries.at(-1)?.at ?? null };
  return { total: entries.length, replayed: entries.length - notReplayable, not_replayable: notReplayable, changed, ...span, examples };
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
