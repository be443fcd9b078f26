/**
 * `audit --verify`: the whole chain (numbered from 1 without gaps, canonical rows, each hash and
 * link), every checkpoint's signature and that the entry it names has its hash, the data
 * directory's copy of the newest checkpoint, and the entries after the last checkpoint.
 */
import type { AuditCheckpoint, AuditEntry, KssStore } from '../store/types.js';
import { chainVerifier, type ChainProblem } from './chain.js';
import { checkpointSigned, HeadFileError, readHeadFile, UNSIGNED_TAIL_GRACE_MS } from './checkpoint.js';

const PAGE = 1000;

export interface AuditReport {
  /** Entries read. */
  count: number;
  problems: ChainProblem[];
  /** Checkpoints in the database. */
  checkpoints: number;
  /** Whether the data directory holds a copy of the newest checkpoint (it is checked when it does). */
  headFile: boolean;
  /** The newest entry a correctly signed checkpoint covers, and when that checkpoint was signed. */
  signedUpTo: { seq: number; at: string; signedAt: string } | null;
  /** Entries after `signedUpTo` (not signed yet). */
  unsigned: { from: number; to: number; firstAt: string; lastAt: string } | null;
}

export interface VerifyKey {
  keyserverId: string;
  publicKey: string;
}

export async function verifyAuditLog(store: KssStore, key: VerifyKey, dataDir?: string, now = new Date()): Promise<AuditReport> {
  const v = chainVerifier();
  const cps = new CheckpointCursor(store);
  const file = headFileCheckpoint(dataDir, v.problems);
  let signed: { seq: number; at: string; signedAt: string } | null = null;
  const accept = (c: AuditCheckpoint, e: AuditEntry | undefined, what: string) => {
    if (!checkpointSigned(key.publicKey, key.keyserverId, c)) v.problems.push({ seq: c.seq, message: `${what} ${c.seq} does not carry the keyserver's signature (forged or edited)` });
    else if (e === undefined) v.problems.push({ seq: c.seq, message: `${what} ${c.seq} (signed ${c.at}) names an entry the log does not have: entries were deleted or renumbered` });
    else if (e.hash !== c.hash) v.problems.push({ seq: c.seq, message: `entry ${c.seq} is not the entry ${what} ${c.seq} signed (signed ${c.at}): the chain was rewritten` });
    else if (signed === null || c.seq > signed.seq) signed = { seq: c.seq, at: e.at, signedAt: c.at };
  };
  for (let after = 0; ;) {
    const page = await store.readAudit(after, PAGE);
    const end = page.length === 0 ? Infinity : page[page.length - 1]!.seq;
    v.add(page);
    const bySeq = new Map(page.map((e) => [e.seq, e]));
    for (const c of await cps.upTo(end)) accept(c, bySeq.get(c.seq), 'checkpoint');
    if (file && file.seq > after && file.seq <= end) accept(file, bySeq.get(file.seq), "the data directory's checkpoint");
    if (page.length === 0) break;
    after = end;
  }
  if (file && cps.newest < file.seq) {
    v.problems.push({ seq: file.seq, message: `the database's newest checkpoint is ${cps.newest}, the data directory's is ${file.seq} (signed ${file.at}): checkpoints were deleted from the database` });
  }
  const unsigned = await unsignedTail(store, signed, now, v.problems);
  return { count: v.count, problems: v.problems, checkpoints: cps.count, headFile: file !== null, signedUpTo: signed, unsigned };
}

function headFileCheckpoint(dataDir: string | undefined, problems: ChainProblem[]): AuditCheckpoint | null {
  if (dataDir === undefined) return null;
  try {
    return readHeadFile(dataDir);
  } catch (e) {
    if (!(e instanceof HeadFileError)) throw e;
    problems.push({ seq: 0, message: e.message });
    return null;
  }
}

/** The database's checkpoints in seq order, read a page at a time as the entries get there. */
class CheckpointCursor {
  count = 0;
  newest = 0;
  private buffer: AuditCheckpoint[] = [];
  private done = false;

  constructor(private readonly store: KssStore) {}

  /** The checkpoints not handed out yet with seq <= `seq`. */
  async upTo(seq: number): Promise<AuditCheckpoint[]> {
    while (!this.done && (this.buffer.length === 0 || this.buffer[this.buffer.length - 1]!.seq < seq)) {
      const page = await this.store.readCheckpoints(this.newest, PAGE);
      if (page.length === 0) this.done = true;
      this.buffer.push(...page);
      if (page.length) this.newest = page[page.length - 1]!.seq;
    }
    const n = this.buffer.findIndex((c) => c.seq > seq);
    const out = this.buffer.splice(0, n === -1 ? this.buffer.length : n);
    this.count += out.length;
    return out;
  }
}

/**
 * Entries after the newest signed checkpoint are accepted while written within the grace after
 * it (a keyserver killed between two checkpoints) or within the grace before now (one running).
 */
async function unsignedTail(
  store: KssStore, signed: { seq: number; signedAt: string } | null, now: Date, problems: ChainProblem[],
): Promise<AuditReport['unsigned']> {
  const from = signed?.seq ?? 0;
  const signedAt = signed ? Date.parse(signed.signedAt) : -Infinity;
  let first: AuditEntry | null = null;
  let last: AuditEntry | null = null;
  let late: AuditEntry | null = null;
  for (let after = from; ;) {
    const page = await store.readAudit(after, PAGE);
    if (page.length === 0) break;
    for (const e of page) {
      first ??= e;
      last = e;
      const at = Date.parse(e.at);
      const ok = at <= signedAt + UNSIGNED_TAIL_GRACE_MS || at >= now.getTime() - UNSIGNED_TAIL_GRACE_MS;
      if (!ok) late ??= e;
    }
    after = page[page.length - 1]!.seq;
  }
  if (first === null || last === null) return null;
  if (late !== null) {
    const since = signed ? `the last checkpoint (entry ${signed.seq}, signed ${signed.signedAt})` : 'any checkpoint (none was signed)';
    problems.push({
      seq: late.seq,
      message: `entries ${first.seq}-${last.seq} are not signed, and entry ${late.seq} (at ${late.at}) was written more than ${UNSIGNED_TAIL_GRACE_MS / 1000} s after ${since}: ` +
        'appended without the keyserver\'s key (database access), or by a kss without checkpoints; if they are genuine, `kss serve` signs them',
    });
  }
  return { from: first.seq, to: last.seq, firstAt: first.at, lastAt: last.at };
}
