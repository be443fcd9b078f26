/**
 * `kss keyserver create`, and `enable --backup-path` on a data directory without a keyserver (the
 * older versions' spelling). The documented flow is to write the policy, then create: so the
 * keyserver comes up working, with its identity (and backup key), the data directory's
 * keyserver.yml as its first policy version when there is one, and enabled. A keyserver.yml with
 * errors stops it before anything is created.
 */
import { compilePolicy } from '../../compiler/compile.js';
import { createInCluster } from '../cluster/create.js';
import { readPolicyFile } from '../datadir/policy-file.js';
import { openStore } from '../store/open.js';
import type { KeyserverIdentity } from '../store/types.js';
import type { BackupTarget } from '../identity/backup-shares.js';
import { createKeyserver, setEnabled } from './keyserver.js';
import { loadPolicyText, PolicyRefused, type FileLoad } from './load-file.js';
import { serverZone } from './policy.js';

export interface SetUpOptions {
  dataDir: string;
  /** Cluster mode: the database gets the keyserver, `dataDir` this instance's key. */
  dbUri?: string;
  actor: string;
  backup?: BackupTarget;
}

export interface SetUpResult {
  identity: KeyserverIdentity;
  /** The load of keyserver.yml; null when the data directory has none. */
  policy: FileLoad | null;
}

export async function setUpKeyserver(o: SetUpOptions): Promise<SetUpResult> {
  const file = readPolicyFile(o.dataDir);
  if (file) {
    const { diagnostics } = file.problems ? { diagnostics: file.problems } : compilePolicy(file.text, file.path, { zone: serverZone() });
    if (diagnostics.some((d) => d.severity === 'error')) {
      throw new PolicyRefused(file, diagnostics, `\`${file.path}\` has errors; no keyserver was created (fix the file and run the command again)`);
    }
  }
  const identity = o.dbUri
    ? await createInCluster({ dataDir: o.dataDir, dbUri: o.dbUri, actor: o.actor, backup: o.backup })
    : await createKeyserver({ dataDir: o.dataDir }, o.actor, o.backup);
  const store = await openStore(o.dbUri ? { dbUri: o.dbUri, dataDir: o.dataDir } : { dataDir: o.dataDir });
  try {
    const policy = file ? await loadPolicyText(store, file, { actor: o.actor, dataDir: o.dataDir, copy: false }) : null;
    await setEnabled(store, true, o.actor);
    return { identity, policy };
  } finally {
    await store.close();
  }
}
