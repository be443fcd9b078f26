/**
 * The audit log's hash chain, shared by every store so SQLite and MySQL chains verify alike.
 * hash = sha-256 hex of `prevHash \n canonical-json({at, kind, actor, data})`.
 * Editing, deleting or reordering any entry breaks the chain at that entry.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from '../json/canonical.js';
import { jsonString } from '../json/string.js';
import type { AuditEntry, AuditInput } from '../store/types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The canonical form of a row an older kss wrote, or null when the text is not such a row. */
export function legacyToCanonical(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text ? canonicalJson(value) : null;
  } catch {
    return null;
  }
}

export function auditHash(prevHash: string, entry: AuditInput): string {
  return linkHash(prevHash, entryBody(entry, canonicalJson(entry.data)));
}

/**
 * canonicalJson({at, kind, actor, data}) from the canonical text of `data`, which the stores also
 * write as the row's data column: one serialisation of an entry instead of two. Canonical order of
 * the four keys is actor, at, data, kind.
 */
export function entryBody(entry: AuditInput, dataJson: string): string {
  const { at, kind, actor } = entry;
  // Only strings and a present data are spelled here; anything else (undefined is dropped) goes the general way.
  if (typeof at !== 'string' || typeof kind !== 'string' || typeof actor !== 'string' || entry.data === undefined) return canonicalJson({ at, kind, actor, data: entry.data });
  return `{"actor":${jsonString(actor)},"at":${jsonString(at)},"data":${dataJson},"kind":${jsonString(kind)}}`;
}

function linkHash(prevHash: string, body: string): string {
  // One string, one hash call: the same UTF-8 bytes as updating with the three parts in turn.
  return hash('sha256', `${prevHash}\n${body}`, 'hex');
}

/** The canonical text of an input's data: the one its writer spelled, or canonicalJson's. */
export function dataText(input: AuditInput): string {
  return input.dataJson ?? canonicalJson(input.data);
}

/** Entries chained after `prevHash`/`lastSeq`, with each one's `data` as canonical JSON (the stored text). */
export interface ChainedRows {
  entries: AuditEntry[];
  dataJson: string[];
}

/** Chains `inputs` after `prevHash`/`lastSeq` (the caller reads those inside its transaction). */
export function chainRows(prevHash: string, lastSeq: number, inputs: AuditInput[]): ChainedRows {
  const entries: AuditEntry[] = [];
  const dataJson: string[] = [];
  let prev = prevHash;
  let seq = lastSeq;
  for (const input of inputs) {
    const data = dataText(input);
    const link = linkHash(prev, entryBody(input, data));
    // The four fields named: an input's dataJson stays out of the entry.
    entries.push({ at: input.at, kind: input.kind, actor: input.actor, data: input.data, seq: ++seq, prevHash: prev, hash: link });
    dataJson.push(data);
    prev = link;
  }
  return { entries, dataJson };
}

export function chainEntries(prevHash: string, lastSeq: number, inputs: AuditInput[]): AuditEntry[] {
  return chainRows(prevHash, lastSeq, inputs).entries;
}

export interface ChainProblem {
  seq: number;
  message: string;
}

export interface ChainVerifier {
  /** Feed entries in seq order, page by page. */
  add(entries: AuditEntry[]): void;
  readonly count: number;
  /** The last entry fed, or null before any. */
  readonly last: AuditEntry | null;
  readonly problems: ChainProblem[];
}

/**
 * Checks that the entries are numbered on from `from` without gaps, that each row's data is
 * canonical JSON, that each hash matches its content, and that each links to the one before.
 * `from` is where the caller starts reading: the chain's beginning, or an entry a checkpoint signed.
 */
export function chainVerifier(from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainVerifier {
  let prev = from.hash;
  let seq = from.seq;
  let count = 0;
  let last: AuditEntry | null = null;
  const problems: ChainProblem[] = [];
  const problem = (at: number, message: string) => problems.push({ seq: at, message });
  return {
    add(entries) {
      for (const e of entries) {
        count++;
        if (e.seq !== seq + 1) problem(e.seq, `entry ${e.seq} follows entry ${seq} (entries renumbered or deleted)`);
        if (e.rawData !== undefined) problem(e.seq, `entry ${e.seq}'s data is not canonical JSON (duplicate or reordered keys: edited in the database)`);
        if (e.prevHash !== prev) problem(e.seq, `entry ${e.seq} does not link to the entry before it (deleted or reordered entry)`);
        if (auditHash(e.prevHash, e) !== e.hash) problem(e.seq, `entry ${e.seq} was modified after it was written (hash mismatch)`);
        prev = e.hash;
        seq = e.seq;
        last = e;
      }
    },
    get count() {
      return count;
    },
    get last() {
      return last;
    },
    problems,
  };
}
