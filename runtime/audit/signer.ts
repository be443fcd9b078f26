/**
 * Signs checkpoints of the audit chain's head (runtime/audit/checkpoint.ts): a running keyserver
 * every CHECKPOINT_INTERVAL_MS while entries are appended and when it stops, an admin command
 * after it appended. It signs only a head that follows, link by link, from the newest checkpoint
 * it can trust (the database's or the data directory's copy, whichever is newer and correctly
 * signed): a signer must never bless a chain from which an attacker deleted, renumbered or
 * rewrote rows. It reads the links alone (seq, prev hash, hash), not the entries: an entry whose
 * content was edited keeps failing its own hash in `audit --verify`, signed or not, and reading
 * links costs a fraction of parsing and hashing every entry (bench/audit.bench.mjs).
 */
import type { KeyObject } from 'node:crypto';
import { privateKeyObject } from '../identity/keys.js';
import type { AuditCheckpoint, AuditLink, KeyserverIdentity, KssStore } from '../store/types.js';
import { GENESIS_HASH } from './chain.js';
import { CHECKPOINT_INTERVAL_MS, checkpointSigned, readHeadFile, signCheckpoint, writeHeadFile } from './checkpoint.js';

const PAGE = 1000;

export class AuditSigner {
  private readonly key: KeyObject;
  private signedSeq = -1;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private lastRefusal = '';

  /** `onRefuse` hears why a head was not signed (the same reason once, not every interval). */
  constructor(
    private readonly store: KssStore,
    private readonly identity: KeyserverIdentity,
    private readonly dataDir: string | undefined,
    private readonly onRefuse: (reason: string) => void = () => undefined,
  ) {
    this.key = privateKeyObject(identity);
  }

  /** Signs the current head when it moved since the last checkpoint; null when nothing was signed. */
  checkpoint(now: () => Date = () => new Date()): Promise<AuditCheckpoint | null> {
    // One at a time: the timer and a stop must not sign the same head twice at once.
    const next = this.running.then(() => this.signHead(now));
    this.running = next.catch(() => undefined);
    return next;
  }

  start(intervalMs = CHECKPOINT_INTERVAL_MS, onError: (e: Error) => void = () => undefined): void {
    this.timer = setInterval(() => void this.checkpoint().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async signHead(now: () => Date): Promise<AuditCheckpoint | null> {
    const head = await this.store.lastAudit();
    if (!head || head.seq === this.signedSeq) return null;
    const base = await this.trustedBase();
    if (typeof base === 'string') return this.refuse(base);
    const links = await this.linksAfter(base ?? { seq: 0, hash: GENESIS_HASH }, head.seq);
    if (typeof links === 'string') return this.refuse(links);
    const last = links.last;
    if (last === null && base && (head.seq !== base.seq || head.hash !== base.hash)) return this.refuse(`the chain does not reach checkpoint ${base.seq}`);
    if (last === null) {
      this.signedSeq = head.seq;
      return null;
    }
    const checkpoint = signCheckpoint(this.key, this.identity.id, last, now());
    await this.store.addCheckpoint(checkpoint);
    if (this.dataDir !== undefined) writeHeadFile(this.dataDir, this.identity.id, checkpoint);
    this.signedSeq = last.seq;
    this.lastRefusal = '';
    return checkpoint;
  }

  /**
   * The newest link after `from`, up to `upTo`, when every one joins the one before; a string says
   * where one does not. Two seconds of traffic are tens of thousands of links, and a SQLite read
   * holds the event loop: requests are let in between pages (the bound keeps it from chasing the
   * entries appended meanwhile; the next checkpoint covers them).
   */
  private async linksAfter(from: { seq: number; hash: string }, upTo: number): Promise<{ last: AuditLink | null } | string> {
    let prev = from;
    let last: AuditLink | null = null;
    for (;;) {
      if (prev.seq >= upTo) return { last };
      if (last !== null) await new Promise<void>((resolve) => setImmediate(resolve));
      const page = await this.store.readAuditLinks(prev.seq, Math.min(PAGE, upTo - prev.seq));
      if (page.length === 0) return { last };
      for (const l of page) {
        if (l.seq !== prev.seq + 1) return `entry ${l.seq} follows entry ${prev.seq}`;
        if (l.prevHash !== prev.hash) return `entry ${l.seq} does not link to entry ${prev.seq}`;
        prev = l;
        last = l;
      }
    }
  }

  /** The newest checkpoint of the database and the data directory's copy; a string says why none is trusted. */
  private async trustedBase(): Promise<AuditCheckpoint | null | string> {
    const candidates = [await this.store.lastCheckpoint(), this.dataDir === undefined ? null : readHeadFile(this.dataDir)];
    let best: AuditCheckpoint | null = null;
    for (const c of candidates) {
      if (c === null) continue;
      if (!checkpointSigned(this.identity.publicKey, this.identity.id, c)) {
        return `checkpoint ${c.seq} is not signed by this keyserver`;
      }
      if (best === null || c.seq > best.seq) best = c;
    }
    return best;
  }

  private refuse(reason: string): null {
    if (reason !== this.lastRefusal) this.onRefuse(`the audit chain is broken (${reason}): no checkpoint signed; run \`kss keyserver audit --verify\``);
    this.lastRefusal = reason;
    return null;
  }
}

/**
 * After an admin command: when it appended entries and this store can sign (SQLite, or a cluster
 * instance's data directory with the key), signs the new head, so that a keyserver that is not
 * running leaves no unsigned entries. Resolves to why it did not sign, or null.
 */
export async function signAfterCommand(store: KssStore, dataDir: string, headBefore: number): Promise<string | null> {
  const head = await store.lastAudit();
  if (head === null || head.seq <= headBefore) return null;
  const identity = await store.getIdentity();
  if (identity?.privateKey === undefined) return null;
  let refused: string | null = null;
  await new AuditSigner(store, identity, dataDir, (reason) => (refused = reason)).checkpoint();
  return refused;
}
