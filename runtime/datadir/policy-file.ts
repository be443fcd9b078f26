/**
 * `<dataDir>/keyserver.yml`, the administrator's policy file (as the vendor's keyserver keeps
 * keyserver.yml beside its data). `keyserver create` loads it, `policy --load` reloads it,
 * `policy --load PATH` and `serve --policy PATH` replace it with PATH once PATH was accepted, and
 * `kss serve` loads it at start when it was edited since kss last loaded or wrote it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import { decodePolicy } from '../../compiler/source/decode.js';
import { readLocalKey } from '../identity/local-key.js';
import { sha256Hex } from '../identity/sign.js';
import { readClusterMarker } from '../store/mysql/marker.js';
import { StoreError } from '../store/types.js';
import { writeFileAtomic } from './atomic.js';
import { readLocalState, updateLocalState } from './state.js';

export const POLICY_FILE = 'keyserver.yml';

export interface PolicyText {
  /** Where the text came from, as shown in messages and stored with the version. */
  path: string;
  text: string;
  /** Why the bytes are no policy text (not UTF-8): loading refuses it with these, before compiling. */
  problems?: Diagnostic[];
}

/** A policy file's bytes as the compiler decodes them: UTF-8 (a BOM dropped), or `problems` at the first bad byte. */
export function policyText(path: string, bytes: Uint8Array): PolicyText {
  const { text, diagnostics } = decodePolicy(bytes);
  return diagnostics.length > 0 ? { path, text, problems: diagnostics } : { path, text };
}

export function policyFilePath(dataDir: string): string {
  return join(dataDir, POLICY_FILE);
}

/** The data directory's keyserver.yml, or null when there is none. */
export function readPolicyFile(dataDir: string): PolicyText | null {
  const path = policyFilePath(dataDir);
  try {
    return policyText(path, readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError('unavailable', `cannot read \`${path}\` (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** True when keyserver.yml holds other text than kss last loaded from it or wrote to it. */
export function policyFileEdited(dataDir: string, text: string): boolean {
  return readLocalState(dataDir)?.policy_file_sha256 !== sha256Hex(text);
}

/** Records that keyserver.yml holds `text` as loaded; with `write`, replaces the file with it first. */
export function keepPolicyFile(dataDir: string, text: string, write: boolean): void {
  if (write) writeFileAtomic(policyFilePath(dataDir), text, { keepMode: true });
  updateLocalState(dataDir, { policy_file_sha256: sha256Hex(text) });
}

/**
 * The data directory whose keyserver.yml belongs to keyserver `keyserverId`, or null. Without
 * `--db-uri` the data directory is the keyserver's own (SQLite, or a joined cluster instance).
 * With `--db-uri` it is only when it is an instance of that keyserver (its cluster.json or signing
 * key names it): an admin workstation's default `./.kss` must not receive a cluster's policy.
 */
export function policyDirFor(target: { dataDir: string; dbUri?: string }, keyserverId: string): string | null {
  if (target.dbUri === undefined) return target.dataDir;
  const marker = readClusterMarker(target.dataDir);
  if (marker?.keyserverId === keyserverId || readLocalKey(target.dataDir)?.id === keyserverId) return target.dataDir;
  return null;
}
