/** `policy --load` / `PUT /v1/policy`: check, refuse on errors, activate, report counters kept/reset. */
import { compilePolicy, type CompileResult } from '../../compiler/compile.js';
import type { PolicySource } from '../../compiler/analyze.js';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import type { CompiledArtifact } from '../../compiler/emit/artifact.js';
import type { KssStore, PolicyActivation, PolicyVersion } from '../store/types.js';
import { describePending, proposePolicy, requiredApprovals, type PendingPolicy } from './approvals.js';
import { describeZone, machineZone } from '../time/index.js';

/** Refused (errors): all null. Same text as the active version: `unchanged`. Awaiting a second admin: `pending`. Otherwise `activation`. */
export interface LoadResult {
  /** The policy's text as decoded (UTF-8, without a byte order mark): what is stored and shown. */
  text: string;
  diagnostics: Diagnostic[];
  /** The new version; null when the policy was refused, is the active one already, or waits for approval. */
  activation: PolicyActivation | null;
  /** The active version, when its text is exactly this one: no new version was made. */
  unchanged: PolicyVersion | null;
  /** With `policy_approvals: 2` (approvals.ts): the load is pending until another admin approves it. */
  pending?: PendingPolicy | null;
}

export function refused(result: LoadResult): boolean {
  return result.activation === null && result.unchanged === null && !result.pending;
}

/** What the compiler may know of the server zone `tz` (default the machine's, as kss serve's), today. */
export function serverZone(tz: string = machineZone()): ZoneInfo {
  return describeZone(tz, Date.now());
}

/**
 * `source` as read (bytes from a file or a request body are decoded by the compiler: UTF-8 or an
 * error), checked in the server's zone (the checks that depend on it are exact at load, SPEC 4.3).
 * With `policy_approvals: 2` the policy is recorded as pending instead of activated. `note` joins
 * the audit entry's data (a rollback says which version it came back to).
 */
export type Compile = (source: PolicySource, file: string, zone: ZoneInfo) => CompileResult | Promise<CompileResult>;

const compileHere: Compile = (source, file, zone) => compilePolicy(source, file, { zone });

/** `compile`: the server passes one that runs in a worker thread with limits (runtime/server/compile-in-worker.ts). */
export async function loadPolicy(store: KssStore, source: PolicySource, file: string, actor: string, zone: ZoneInfo = serverZone(), compile: Compile = compileHere, note: Record<string, unknown> = {}): Promise<LoadResult> {
  const { artifact, diagnostics, text } = await compile(source, file, zone);
  if (!artifact || diagnostics.some((d) => d.severity === 'error')) return { text, diagnostics, activation: null, unchanged: null };
  // Loading the active text again must not make a version (nor touch counters): restarts and
  // reloads of an unedited file are common, and each version is an audit entry.
  const active = await store.activePolicy();
  if (active && active.source === text) return { text, diagnostics, activation: null, unchanged: active };
  if (await requiredApprovals(store) > 1) {
    return { text, diagnostics, activation: null, unchanged: null, pending: await proposePolicy(store, { text, file, sha256: artifact.sha256, actor, note }) };
  }
  return { text, diagnostics, activation: await activateArtifact(store, artifact, text, file, actor, note), unchanged: null };
}

/** Makes a compiled policy the active version and writes its `policy.load` audit entry. */
export async function activateArtifact(store: KssStore, artifact: CompiledArtifact, text: string, file: string, actor: string, note: Record<string, unknown>): Promise<PolicyActivation> {
  const activation = await store.activatePolicy({
    source: text,
    file,
    artifactJson: JSON.stringify(artifact),
    sha256: artifact.sha256,
    ruleIds: Object.values(artifact.ruleIds).flat(2),
    loadedBy: actor,
  });
  await store.appendAudit([{
    at: activation.policy.loadedAt, kind: 'policy.load', actor,
    data: { version: activation.policy.version, sha256: artifact.sha256, file, carried: activation.carried, reset: activation.reset, ...note },
  }]);
  return activation;
}

/** What a load did, in the words the CLI prints and PUT /v1/policy answers. */
export function describeLoad(result: LoadResult): string {
  if (result.pending) return describePending(result.pending);
  if (result.unchanged) {
    const v = result.unchanged;
    return `policy version ${v.version} is already active with this text (sha256 ${v.sha256}); no new version\n`;
  }
  return result.activation ? describeActivation(result.activation) : '';
}

export function describeActivation(a: PolicyActivation): string {
  const lines = [`policy version ${a.policy.version} active (sha256 ${a.policy.sha256})`];
  lines.push(a.carried.length ? `quota counters kept (rule_id unchanged): ${a.carried.join(', ')}` : 'quota counters kept: none');
  lines.push(a.reset.length ? `quota counters reset (rule_id no longer in the policy): ${a.reset.join(', ')}` : 'quota counters reset: none');
  return lines.join('\n') + '\n';
}
