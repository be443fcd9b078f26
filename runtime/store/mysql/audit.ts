/**
 * The audit hash chain with several writers. An append is one packet (BEGIN ... COMMIT) that
 * locks the chain's head row, chains the entries after it inside the server (SHA2 over the same
 * bytes as runtime/audit/chain.ts: prev hash, newline, canonical JSON of the entry), inserts them
 * and moves the head. The head lock, which every instance of a cluster queues on, is therefore
 * held only while the server runs that packet, never across the network. The client computes
 * the same chain from the head it is told and checks that both agree.
 */
import { chainEntries, dataText, entryBody } from '../../audit/chain.js';
import { canonicalJson } from '../../json/canonical.js';
import { toAuditEntry, toCheckpoint, type AuditRow, type CheckpointRow } from '../rows.js';
import { StoreError, type AuditCheckpoint, type AuditEntry, type AuditInput, type AuditLink } from '../types.js';
import type { Db, Statement, Tx } from './connection.js';

export async function appendAudit(db: Db, inputs: AuditInput[]): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  const results = await db.atomic(appendStatements(inputs));
  return chainedEntries(db, results, inputs);
}

/**
 * The statements that append `inputs` (for a caller that sends them inside its own transaction);
 * their results go to `chainedEntries`, which needs the last one's.
 */
export function appendStatements(inputs: AuditInput[]): Statement[] {
  const statements: Statement[] = [
    { sql: 'SELECT seq, hash INTO @kss_seq0, @kss_h0 FROM kss_audit_head WHERE singleton = 1 FOR UPDATE' },
    { sql: 'SET @kss_seq = @kss_seq0, @kss_h = @kss_h0' },
  ];
  for (const e of inputs) {
    const data = dataText(e);
    statements.push(
      { sql: 'SET @kss_p = @kss_h, @kss_h = SHA2(CONCAT(@kss_h, ?, ?), 256), @kss_seq = @kss_seq + 1', params: ['\n', entryBody(e, data)] },
      {
        sql: 'INSERT INTO kss_audit (seq, at, kind, actor, data, prev_hash, hash) VALUES (@kss_seq, ?, ?, ?, ?, @kss_p, @kss_h)',
        params: [e.at, e.kind, e.actor, data],
      },
    );
  }
  statements.push(
    { sql: 'UPDATE kss_audit_head SET seq = @kss_seq, hash = @kss_h WHERE singleton = 1' },
    { sql: 'SELECT @kss_seq0 AS seq0, @kss_h0 AS h0, @kss_h AS h' },
  );
  return statements;
}

/** The entries as kss chains them from the head the server read, checked against the server's chain. */
export function chainedEntries(db: Db, results: unknown[], inputs: AuditInput[]): AuditEntry[] {
  const [head] = results[results.length - 1] as Array<{ seq0: number | string; h0: string; h: string }>;
  const entries = chainEntries(String(head!.h0), Number(head!.seq0), inputs);
  if (entries[entries.length - 1]!.hash !== String(head!.h)) {
    throw new StoreError('corrupt', `the database ${db.location} computed another audit hash than kss (character set of the connection?); run \`kss keyserver audit --verify\``);
  }
  return entries;
}

export async function readAudit(db: Db, afterSeq: number, limit: number, kind?: string): Promise<AuditEntry[]> {
  const max = Math.max(0, Math.floor(limit));
  const rows = kind === undefined
    ? await db.query<AuditRow>('SELECT seq, at, kind, actor, data, prev_hash, hash FROM kss_audit WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, max])
    : await db.query<AuditRow>('SELECT seq, at, kind, actor, data, prev_hash, hash FROM kss_audit WHERE seq > ? AND kind = ? ORDER BY seq LIMIT ?', [afterSeq, kind, max]);
  return rows.map(toAuditEntry);
}

export async function lastAudit(db: Db): Promise<AuditEntry | null> {
  const rows = await db.query<AuditRow>('SELECT seq, at, kind, actor, data, prev_hash, hash FROM kss_audit ORDER BY seq DESC LIMIT 1');
  return rows[0] ? toAuditEntry(rows[0]) : null;
}

export async function readLinks(db: Db, afterSeq: number, limit: number): Promise<AuditLink[]> {
  const rows = await db.query<{ seq: number; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM kss_audit WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, Math.max(0, Math.floor(limit))]);
  return rows.map((r) => ({ seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash }));
}

export async function addCheckpoint(db: Db, c: AuditCheckpoint): Promise<void> {
  await db.execute('INSERT IGNORE INTO kss_audit_checkpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)', [c.seq, c.hash, c.at, c.signature]);
}

export async function readCheckpoints(db: Db, afterSeq: number, limit: number): Promise<AuditCheckpoint[]> {
  const rows = await db.query<CheckpointRow>('SELECT seq, hash, at, signature FROM kss_audit_checkpoint WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, Math.max(0, Math.floor(limit))]);
  return rows.map(toCheckpoint);
}

export async function lastCheckpoint(db: Db): Promise<AuditCheckpoint | null> {
  const rows = await db.query<CheckpointRow>('SELECT seq, hash, at, signature FROM kss_audit_checkpoint ORDER BY seq DESC LIMIT 1');
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/** Entries as they are, seq and hashes included (appendAudit, and clone-db copying a chain). */
export async function insertAuditRows(tx: Tx, entries: AuditEntry[]): Promise<void> {
  for (const st of auditInserts(entries)) await tx.execute(st.sql, st.params);
}

function auditInserts(entries: AuditEntry[]): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < entries.length; i += 200) {
    const chunk = entries.slice(i, i + 200);
    out.push({
      sql: `INSERT INTO kss_audit (seq, at, kind, actor, data, prev_hash, hash) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      params: chunk.flatMap((e) => [e.seq, e.at, e.kind, e.actor, canonicalJson(e.data), e.prevHash, e.hash]),
    });
  }
  return out;
}
