/**
 * Shadow policies (`policy --load FILE --shadow`, `--promote`, `--drop-shadow`). A shadow runs
 * beside the active policy on every request without quota effects (runtime/server/shadow.ts); it
 * lives, as pending policies do, in the audit log: one `policy.shadow` entry starts it (with the
 * compiled artifact, so servers need not compile) and another ends it, so every store and every
 * instance of a cluster share it.
 */
import { compilePolicy } from '../../compiler/compile.js';
import type { PolicySource } from '../../compiler/analyze.js';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import type { AuditEntry, KssStore } from '../store/types.js';
import { loadPolicy, serverZone, type LoadResult } from './policy.js';
import { auditOfKind } from './versions.js';

export const SHADOW_KIND = 'policy.shadow';

export class ShadowError extends Error {}

export interface ShadowStart {
  action: 'start';
  sha256: string;
  file: string;
  source: string;
  artifact_json: string;
}

export interface ShadowEnd {
  action: 'end';
  /** The seq of the entry that started it. */
  shadow: number;
  how: 'promoted' | 'dropped';
}

/** The shadow in force after `entries` (policy.shadow entries in order): its start entry, or null. */
export function shadowAfter(entries: AuditEntry[], current: AuditEntry | null = null): AuditEntry | null {
  let shadow = current;
  for (const e of entries) {
    if (e.kind !== SHADOW_KIND) continue;
    const d = e.data as unknown as ShadowStart | ShadowEnd;
    if (d.action === 'start') shadow = e;
    else if (shadow && d.shadow === shadow.seq) shadow = null;
  }
  return shadow;
}

export async function currentShadow(store: KssStore): Promise<AuditEntry | null> {
  return shadowAfter(await auditOfKind(store, SHADOW_KIND));
}

/** Starts a shadow (replacing one in force); refused with the diagnostics when it has errors. */
export async function startShadow(store: KssStore, source: PolicySource, file: string, actor: string, zone: ZoneInfo = serverZone()): Promise<{ diagnostics: Diagnostic[]; entry: AuditEntry | null }> {
  const { artifact, diagnostics, text } = compilePolicy(source, file, { zone });
  if (!artifact || diagnostics.some((d) => d.severity === 'error')) return { diagnostics, entry: null };
  const data: ShadowStart = { action: 'start', sha256: artifact.sha256, file, source: text, artifact_json: JSON.stringify(artifact) };
  const [entry] = await store.appendAudit([{ at: new Date().toISOString(), kind: SHADOW_KIND, actor, data: { ...data } }]);
  return { diagnostics, entry: entry! };
}

async function endShadow(store: KssStore, actor: string, how: ShadowEnd['how']): Promise<AuditEntry> {
  const shadow = await currentShadow(store);
  if (!shadow) throw new ShadowError('no shadow policy is running (start one with `kss keyserver policy --load FILE --shadow`)');
  const data: ShadowEnd = { action: 'end', shadow: shadow.seq, how };
  await store.appendAudit([{ at: new Date().toISOString(), kind: SHADOW_KIND, actor, data: { ...data } }]);
  return shadow;
}

export async function dropShadow(store: KssStore, actor: string): Promise<AuditEntry> {
  return endShadow(store, actor, 'dropped');
}

/** Loads the shadow's text as the active policy (four eyes applies: it may be pending) and ends the shadow. */
export async function promoteShadow(store: KssStore, actor: string, zone: ZoneInfo = serverZone()): Promise<LoadResult> {
  const shadow = await currentShadow(store);
  if (!shadow) throw new ShadowError('no shadow policy is running (start one with `kss keyserver policy --load FILE --shadow`)');
  const d = shadow.data as unknown as ShadowStart;
  const result = await loadPolicy(store, d.source, d.file, actor, zone, undefined, { shadow: shadow.seq });
  if (result.activation || result.pending || result.unchanged) await endShadow(store, actor, 'promoted');
  return result;
}
