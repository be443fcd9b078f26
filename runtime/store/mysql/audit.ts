/**
 * The audit hash chain with several writers: an append locks the chain's head row, chains its
 * entries after it, inserts them and moves the head, in one transaction. Appenders on every
 * instance therefore queue on that one row and the chain stays single; callers batch entries
 * (appendAudit takes a list) so the queue is short.
 */
import { chainEntries } from '../../audit/chain.js';
import type { AuditEntry, AuditInput } from '../types.js';
import type { Db, Tx } from './connection.js';

interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export async function appendAudit(db: Db, inputs: AuditInput[]): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  return db.tx(async (tx) => {
    const [head] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM kss_audit_head WHERE singleton = 1 FOR UPDATE');
    const entries = chainEntries(head!.hash, Number(head!.seq), inputs);
    await insertAuditRows(tx, entries);
    const last = entries[entries.length - 1]!;
    await tx.execute('UPDATE kss_audit_head SET seq = ?, hash = ? WHERE singleton = 1', [last.seq, last.hash]);
    return entries;
  });
}

export async function readAudit(db: Db, afterSeq: number, limit: number): Promise<AuditEntry[]> {
  const rows = await db.query<AuditRow>(
    'SELECT seq, at, kind, actor, data, prev_hash, hash FROM kss_audit WHERE seq > ? ORDER BY seq LIMIT ?',
    [afterSeq, Math.max(0, Math.floor(limit))],
  );
  return rows.map(toEntry);
}

export async function lastAudit(db: Db): Promise<AuditEntry | null> {
  const rows = await db.query<AuditRow>('SELECT seq, at, kind, actor, data, prev_hash, hash FROM kss_audit ORDER BY seq DESC LIMIT 1');
  return rows[0] ? toEntry(rows[0]) : null;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind,
    actor: r.actor,
    data: parseData(r.data),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Entries as they are, seq and hashes included (appendAudit, and clone-db copying a chain). */
export async function insertAuditRows(tx: Tx, entries: AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 200) {
    const chunk = entries.slice(i, i + 200);
    await tx.execute(
      `INSERT INTO kss_audit (seq, at, kind, actor, data, prev_hash, hash) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((e) => [e.seq, e.at, e.kind, e.actor, JSON.stringify(e.data), e.prevHash, e.hash]),
    );
  }
}

function parseData(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    // An edited row that is no longer JSON: keep the text so `audit --verify` reports the entry.
    return { unreadable: text };
  }
}
