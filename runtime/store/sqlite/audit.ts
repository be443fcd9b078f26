/**
 * The audit hash chain in SQLite. better-sqlite3 is synchronous, so an append (read the head,
 * chain, insert) is one transaction of one tick; SQLite's write lock orders it against other
 * processes (the CLI).
 */
import type Database from 'better-sqlite3';
import { chainRows, GENESIS_HASH } from '../../audit/chain.js';
import { toAuditEntry, toCheckpoint, type AuditRow, type CheckpointRow } from '../rows.js';
import type { AuditCheckpoint, AuditEntry, AuditInput, AuditLink } from '../types.js';

/** Row counts of the multi-row INSERTs, largest first (7 parameters a row; SQLite allows 32,766). */
const ROW_BUCKETS = [256, 64, 16, 4, 1];

export class SqliteAudit {
  private readonly head: Database.Statement<[], { seq: number; hash: string }>;
  private readonly after: Database.Statement<[number, number], AuditRow>;
  private readonly afterOfKind: Database.Statement<[number, string, number], AuditRow>;
  private readonly last: Database.Statement<[], AuditRow>;
  private readonly links: Database.Statement<[number, number], { seq: number; prev_hash: string; hash: string }>;
  private readonly insertCheckpoint: Database.Statement;
  private readonly checkpointsAfter: Database.Statement<[number, number], CheckpointRow>;
  private readonly newestCheckpoint: Database.Statement<[], CheckpointRow>;
  private readonly appendTx: Database.Transaction<(inputs: AuditInput[]) => AuditEntry[]>;
  /** Multi-row INSERTs by row count (insertRows), prepared on first use. */
  private readonly inserts = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
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
      this.insertRows(entries, dataJson);
      return entries;
    });
  }

  /**
   * The rows of one append, a multi-row INSERT per ROW_BUCKETS size (largest first, e.g. 37 rows
   * as 16 + 16 + 4 + 1): a server's group commit holds tens of entries, and each statement run
   * costs a native call, a reset and a step of its own (issue 15).
   */
  private insertRows(entries: AuditEntry[], dataJson: string[]): void {
    let i = 0;
    for (const size of ROW_BUCKETS) {
      for (; entries.length - i >= size; i += size) {
        const params = new Array<unknown>(size * 7);
        for (let r = 0, p = 0; r < size; r++) {
          const e = entries[i + r]!;
          params[p++] = e.seq; params[p++] = e.at; params[p++] = e.kind; params[p++] = e.actor;
          params[p++] = dataJson[i + r]; params[p++] = e.prevHash; params[p++] = e.hash;
        }
        this.insertOf(size).run(params);
      }
    }
  }

  private insertOf(rows: number): Database.Statement {
    let st = this.inserts.get(rows);
    if (!st) this.inserts.set(rows, (st = this.db.prepare(`INSERT INTO audit (seq, at, kind, actor, data, prev_hash, hash) VALUES ${new Array(rows).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`)));
    return st;
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
