/**
 * Four eyes on policy changes. The keyserver setting `policy_approvals` (1 by default; 2 asks for a
 * second admin) and the pending policies live in the audit log, which every store keeps (SQLite
 * and the cluster's MySQL alike) as one hash chain: a pending policy is a `policy.pending` entry
 * (its text with it), its approval the `policy.load` entry of the version it became, naming both
 * the proposer and the approver. Nothing here needs a table of its own, and tampering with a
 * pending text breaks the chain (`kss keyserver audit --verify`).
 */
import { compilePolicy } from '../../compiler/compile.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import type { KssStore } from '../store/types.js';
import { activateArtifact, serverZone, type LoadResult } from './policy.js';
import { auditOfKind } from './versions.js';

export const SETTINGS_KIND = 'settings.policy_approvals';

export class ApprovalError extends Error {}

/** How many admins must agree on a policy change: 1 (the loader alone) or 2. */
export async function requiredApprovals(store: KssStore): Promise<number> {
  const last = (await auditOfKind(store, SETTINGS_KIND)).at(-1);
  const n = last?.data.policy_approvals;
  return typeof n === 'number' ? n : 1;
}

export async function setRequiredApprovals(store: KssStore, n: number, actor: string): Promise<void> {
  if (n !== 1 && n !== 2) throw new ApprovalError(`policy_approvals is 1 (the loader alone) or 2 (another admin approves), not ${n}`);
  await store.appendAudit([{ at: new Date().toISOString(), kind: SETTINGS_KIND, actor, data: { policy_approvals: n } }]);
}

export interface PendingPolicy {
  /** The seq of its `policy.pending` audit entry: what `policy --approve` takes. */
  id: number;
  sha256: string;
  file: string;
  proposed_by: string;
  proposed_at: string;
}

interface PendingData {
  sha256: string;
  file: string;
  source: string;
  note?: Record<string, unknown>;
}

/** Records a pending policy; the same text pending already (a restart re-reading keyserver.yml) is that one. */
export async function proposePolicy(store: KssStore, p: { text: string; file: string; sha256: string; actor: string; note: Record<string, unknown> }): Promise<PendingPolicy> {
  const same = (await listPending(store)).find((x) => x.sha256 === p.sha256 && x.proposed_by === p.actor);
  if (same) return { id: same.id, sha256: same.sha256, file: same.file, proposed_by: same.proposed_by, proposed_at: same.proposed_at };
  const data: PendingData = { sha256: p.sha256, file: p.file, source: p.text, ...(Object.keys(p.note).length ? { note: p.note } : {}) };
  const [entry] = await store.appendAudit([{ at: new Date().toISOString(), kind: 'policy.pending', actor: p.actor, data: { ...data } }]);
  return { id: entry!.seq, sha256: p.sha256, file: p.file, proposed_by: p.actor, proposed_at: entry!.at };
}

/** Pending policies not yet approved, oldest first. */
export async function listPending(store: KssStore): Promise<Array<PendingPolicy & { source: string; note: Record<string, unknown> }>> {
  const [proposals, loads] = await Promise.all([auditOfKind(store, 'policy.pending'), auditOfKind(store, 'policy.load')]);
  const done = new Set(loads.map((e) => e.data.pending));
  return proposals
    .filter((e) => !done.has(e.seq))
    .map((e) => {
      const d = e.data as unknown as PendingData;
      return { id: e.seq, sha256: d.sha256, file: d.file, proposed_by: e.actor, proposed_at: e.at, source: d.source, note: d.note ?? {} };
    });
}

/**
 * Activates pending policy `id` when `actor` is not the one who proposed it. Its text is compiled
 * again (in the approver's zone); the `policy.load` entry names both.
 */
export async function approvePending(store: KssStore, id: number, actor: string, zone: ZoneInfo = serverZone()): Promise<LoadResult> {
  const pending = (await listPending(store)).find((p) => p.id === id);
  if (!pending) throw new ApprovalError(`there is no pending policy ${id}; \`kss keyserver policy list\` shows the pending ones`);
  if (pending.proposed_by === actor) throw new ApprovalError(`pending policy ${id} was loaded by ${actor}: another admin must approve it`);
  const { artifact, diagnostics, text } = compilePolicy(pending.source, pending.file, { zone });
  if (!artifact || diagnostics.some((d) => d.severity === 'error')) return { text, diagnostics, activation: null, unchanged: null };
  const note = { ...pending.note, pending: id, proposed_by: pending.proposed_by, approved_by: actor };
  return { text, diagnostics, activation: await activateArtifact(store, artifact, text, pending.file, actor, note), unchanged: null };
}

export function describePending(p: PendingPolicy): string {
  return `policy pending approval as ${p.id} (sha256 ${p.sha256}); nothing is active yet: another admin runs \`kss keyserver policy --approve ${p.id}\` (or POST /v1/policy/approve?pending=${p.id})\n`;
}
