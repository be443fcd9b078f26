/**
 * The policy `kss serve` starts with. `--policy FILE` is loaded and, once accepted, becomes the
 * data directory's keyserver.yml, as `kss keyserver policy --load FILE` does. Without it,
 * keyserver.yml is loaded when someone edited it since kss last loaded or wrote it: an unedited
 * file never undoes a policy loaded since elsewhere (`policy --load` on another machine of a
 * cluster, `PUT /v1/policy`). The active text again makes no new version. A policy with errors
 * stops the start: serving the old policy would hide that the edit was refused.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadPolicyText, PolicyRefused, type FileLoad } from '../admin/load-file.js';
import { policyFileEdited, policyText, readPolicyFile, type PolicyText } from '../datadir/policy-file.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import type { KssStore } from '../store/types.js';
import type { Logger } from './log.js';

/** A reason `kss serve` cannot start, said to the administrator (exit status 1). */
export class ServeError extends Error {}

export async function loadStartupPolicy(store: KssStore, dataDir: string, policyPath: string | undefined, log: Logger, zone: ZoneInfo): Promise<void> {
  const source = policyPath === undefined ? readPolicyFile(dataDir) : readGiven(policyPath);
  if (!source || (policyPath === undefined && !policyFileEdited(dataDir, source.text))) return;
  let result: FileLoad;
  try {
    result = await loadPolicyText(store, source, { actor: `serve@${hostname()}`, dataDir, copy: policyPath !== undefined, zone });
  } catch (error) {
    if (!(error instanceof PolicyRefused)) throw error;
    throw new PolicyRefused(source, error.diagnostics, `the policy \`${source.path}\` has errors and was not loaded, so the server did not start (the active policy is unchanged)`);
  }
  if (result.pending) log('warn', 'policy is pending: another admin must approve it; serving the active version', { file: source.path, pending: result.pending.id });
  else if (result.unchanged) log('info', 'policy is the active version already; no new version', { file: source.path, policy_version: result.unchanged.version });
  else log('info', 'policy loaded', { file: source.path, policy_version: result.activation!.policy.version });
}

function readGiven(path: string): PolicyText {
  try {
    return policyText(path, readFileSync(path));
  } catch (e) {
    throw new ServeError(`cannot read the policy \`${path}\`: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
