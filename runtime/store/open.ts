/** Opens the store a command or server uses: SQLite in a data directory, or MySQL for a cluster. */
import { SqliteStore } from './sqlite/store.js';
import { StoreError, type KssStore } from './types.js';

export interface StoreTarget {
  /**
   * Data directory holding `kss.db` (default `./.kss`); in cluster mode, the instance's own
   * directory (cluster.json, the signing key file), also when `dbUri` is given.
   */
  dataDir?: string;
  /** `mysql:host=H,...` or `mysql://U:W@H:P/D`: cluster mode; takes precedence over dataDir. */
  dbUri?: string;
  /** Create the data directory / tables when missing (keyserver create, recovery). */
  create?: boolean;
}

export const DEFAULT_DATA_DIR = './.kss';

export function isMysqlUri(uri: string): boolean {
  return uri.startsWith('mysql:') || uri.startsWith('mysql://');
}

export async function openStore(target: StoreTarget): Promise<KssStore> {
  if (target.dbUri !== undefined) {
    if (isMysqlUri(target.dbUri)) {
      const { MysqlStore } = await import('./mysql/store.js');
      // This instance's signing key lives in its data directory (the database has the public key).
      return MysqlStore.open(target.dbUri, { create: target.create ?? false, keyDir: target.dataDir ?? DEFAULT_DATA_DIR });
    }
    throw new StoreError('not-found', `unsupported database URI \`${target.dbUri}\` (expected \`mysql:...\`)`);
  }
  // A data directory that joined a cluster (cluster.json) uses the shared database.
  const { readClusterMarker } = await import('./mysql/marker.js');
  const marker = readClusterMarker(target.dataDir ?? DEFAULT_DATA_DIR);
  if (marker) {
    const { MysqlStore } = await import('./mysql/store.js');
    return MysqlStore.open(marker.dbUri, { expectId: marker.keyserverId, keyDir: target.dataDir ?? DEFAULT_DATA_DIR });
  }
  return SqliteStore.open(target.dataDir ?? DEFAULT_DATA_DIR, { create: target.create ?? false });
}
