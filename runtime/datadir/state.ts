/**
 * `<dataDir>/instance.json`: what a data directory keeps for itself beside the store. The
 * instance id (one per data directory, so a restarted server is the same instance in `instance
 * list`), and the sha-256 of the keyserver.yml it last loaded or wrote (so `kss serve` loads the
 * file at start only when someone edited it since).
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { StoreError } from '../store/types.js';
import { writeFileAtomic } from './atomic.js';

export const STATE_FILE = 'instance.json';

export interface LocalState {
  instance_id: string;
  /** sha-256 hex of keyserver.yml as last loaded or written by kss; absent before the first. */
  policy_file_sha256?: string;
}

export function readLocalState(dataDir: string): LocalState | null {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as LocalState;
    if (typeof v.instance_id !== 'string' || v.instance_id === '') throw new Error('shape');
    if (v.policy_file_sha256 !== undefined && typeof v.policy_file_sha256 !== 'string') throw new Error('shape');
    return v;
  } catch {
    throw new StoreError('corrupt', `\`${file}\` is damaged; remove it (this data directory then gets a new instance id and loads its keyserver.yml at the next start)`);
  }
}

/** This data directory's instance id, made on first use. */
export function instanceId(dataDir: string): string {
  return (readLocalState(dataDir) ?? updateLocalState(dataDir, {})).instance_id;
}

export function updateLocalState(dataDir: string, change: Partial<Omit<LocalState, 'instance_id'>>): LocalState {
  const next: LocalState = { ...(readLocalState(dataDir) ?? { instance_id: randomUUID() }), ...change };
  writeFileAtomic(join(dataDir, STATE_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
