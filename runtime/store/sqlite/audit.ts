/**
 * The audit hash chain in SQLite. better-sqlite3 is synchronous, so an append (read the head,
 * chain, insert) is one transaction of one tick; SQLite's write lock orders it against other
 * processes (the CLI).
 */
import type Database from 'better-sqlite3';
import { chainRows, GENESIS_HASH } from '../../audit/chain.js';
import { toAuditEntry, toCheckpoint, type AuditRow, type CheckpointRow } from '../rows.js';
import type { AuditCheckpoint, AuditEntry, AuditInput, AuditLink } from '../types.js';

export class SqliteAudit {
  private readonly head: Database.Statement<[], { seq: number; hash: string }>;
  private readonly insert: Database.Statement;
  private readonly after: Database.Statement<[number, number], AuditRow>;
  private readonly afterOfKind: Database.Statement<[number, string, number], AuditRow>;
  private readonly last: Database.Statement<[], AuditRow>;
  private readonly links: Database.Statement<[number, number], { seq: number; prev_hash: string; hash: string }>;
  private readonly insertCheckpoint: Database.Statement;
  private readonly checkpointsAfter: Database.Statement<[number, number], CheckpointRow>;
  private readonly newestCheckpoint: Database.Statement<[], CheckpointRow>;
  private readonly appendTx: Database.Transaction<(inputs: AuditInput[]) => AuditEntry[]>;

  constructor(db: Database.Database) {
    this.head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare('INSERT INTO audit (seq, at, kind, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.after = db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
    this.afterOfKind = db.prepare('SELECT * FROM audit WHERE seq > ? AND kind = ? ORDER BY seq LIMIT ?');
    this.last = db.prepare('SELECT * FROM audit ORDER BY seq DESC LIMIT 1');
    this.links = db.prepare('SELECT seq, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
    this.insertCheckpoint = db.prepare('INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING');
    this.checkpointsAfter = db.prepare('SELECT * FROM audit_checkpoint WHERE seq > ? ORDER BY seq LIMIT ?');
    this.newestCheckpoint = db.prepare('SELECT * FROM audit_checkpoint ORDER BY seq DESC LIMIT 1');
    this.appendTx = db.transaction((inputs: AuditInput[]) => {
      const head = this.head.get();
      const { entries, dataJson } = chainRows(head ? head.hash : GENESIS_HASH, head ? head.seq : 0, inputs);
      entries.forEach((e, i) => this.insert.run(e.seq, e.at, e.kind, e.actor, dataJson[i], e.prevHash, e.hash));
      return entries;
    });
  }

  /** Appends in one transaction (a savepoint inside the caller's, when there is one). */
  append(inputs: AuditInput[]): AuditEntry[] {
    if (inputs.length === 0) return [];
    return this.appendTx.immediate(inputs);
  }

  read(afterSeq: number, limit: number, kind?: string): AuditEntry[] {
    const rows = kind === undefined ? this.after.all(afterSeq, limit) : this.afterOfKind.all(afterSeq, kind, limit);
    return rows.map(toAuditEntry);
  }

  lastEntry(): AuditEntry | null {
    const row = this.last.get();
    return row ? toAuditEntry(row) : null;
  }

  readLinks(afterSeq: number, limit: number): AuditLink[] {
    return this.links.all(afterSeq, limit).map((r) => ({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash }));
  }

  addCheckpoint(c: AuditCheckpoint): void {
    this.insertCheckpoint.run(c.seq, c.hash, c.at, c.signature);
  }

  checkpoints(afterSeq: number, limit: number): AuditCheckpoint[] {
    return this.checkpointsAfter.all(afterSeq, limit).map(toCheckpoint);
  }

  lastCheckpoint(): AuditCheckpoint | null {
    const row = this.newestCheckpoint.get();
    return row ? toCheckpoint(row) : null;
  }
}
