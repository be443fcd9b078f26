/**
 * A data directory in cluster mode: `<dataDir>/cluster.json` names the shared database, so
 * `kss serve --data-dir D` and every admin command on D use MySQL instead of `D/kss.db`.
 * Written by `keyserver create --db-uri`, `initialize` and `clone-db`. It may hold the password
 * (mode 0600, like the rest of the data directory); without one, KSS_DB_PASSWORD supplies it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../types.js';

export const MARKER_FILE = 'cluster.json';

export interface ClusterMarker {
  dbUri: string;
  /** Which keyserver the database must hold: an instance never serves a different one. */
  keyserverId: string;
}

export function readClusterMarker(dataDir: string): ClusterMarker | null {
  const file = join(dataDir, MARKER_FILE);
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as ClusterMarker;
    if (typeof v.dbUri !== 'string' || typeof v.keyserverId !== 'string') throw new Error('shape');
    return v;
  } catch {
    throw new StoreError('corrupt', `\`${file}\` is not a valid cluster file; write it again with \`kss keyserver initialize --db-uri URI --backup-key PATH\``);
  }
}

export function writeClusterMarker(dataDir: string, marker: ClusterMarker): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
}
