/**
 * Loading a policy the way the administrator's file works: check and activate it (or find that it
 * is the active text already), then let the data directory's keyserver.yml hold it. A refused
 * policy never reaches keyserver.yml, so a broken file cannot replace the working one.
 */
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { keepPolicyFile, policyFilePath, type PolicyText } from '../datadir/policy-file.js';
import type { KssStore } from '../store/types.js';
import { loadPolicy, refused, type LoadResult } from './policy.js';

export interface FileLoad extends LoadResult {
  /** The keyserver.yml that holds the loaded text now; null without a data directory. */
  kept: string | null;
}

/** A policy with errors, refused; the CLI prints its diagnostics as `kss check` does. */
export class PolicyRefused extends Error {
  constructor(
    readonly source: PolicyText,
    readonly diagnostics: Diagnostic[],
    message = `\`${source.path}\` has errors; it was not loaded (the active policy is unchanged)`,
  ) {
    super(message);
  }
}

export interface FileLoadOptions {
  actor: string;
  /** The data directory whose keyserver.yml follows the load (null: the store only). */
  dataDir: string | null;
  /** Copy the text into keyserver.yml (false when it was read from there). */
  copy: boolean;
  /** The server's zone (default the machine's): the checks that depend on it are exact. */
  zone?: ZoneInfo;
}

/** Throws PolicyRefused for a policy with errors (keyserver.yml is then left as it was). */
export async function loadPolicyText(store: KssStore, source: PolicyText, o: FileLoadOptions): Promise<FileLoad> {
  if (source.problems) throw new PolicyRefused(source, source.problems);
  const result = await loadPolicy(store, source.text, source.path, o.actor, o.zone);
  if (refused(result)) throw new PolicyRefused(source, result.diagnostics);
  // A pending policy is not the working one yet: keyserver.yml keeps what is active.
  if (o.dataDir === null || result.pending) return { ...result, kept: null };
  keepPolicyFile(o.dataDir, source.text, o.copy);
  return { ...result, kept: policyFilePath(o.dataDir) };
}
