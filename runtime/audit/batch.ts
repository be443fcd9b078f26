/**
 * Group commit for audit appends. A server writes one entry per decision; appending them one
 * transaction each would make every decision wait for its own commit, and in a cluster every
 * instance queues on the chain's head row. So: entries queued in one turn of the event loop and
 * the next go into one append, at most one append is in flight, entries queued meanwhile go
 * together into the next one, and each caller resumes only after the commit that holds its entry.
 *
 * An append with nothing in flight waits for one more turn of the event loop: the requests read
 * from the sockets in that turn's poll phase join it (issue 15). On SQLite an append is synchronous,
 * so without that wait a batch held only the decisions of one poll phase, ~10 under the benchmark's
 * 32 connections; each append costs a transaction, the chain's head read, its WAL frames, and the
 * batch's one signature after it. With the wait, server CPU per decision went from a median of 63
 * to 54 µs stateless and 71 to 61 µs throttled, p99 about the same (bench/README.md, "Audit group
 * commit over two poll phases"). The quota's group commit (consume-batch.ts) gained nothing from
 * the same wait, and its callers wait on it before they decide: it has none.
 */
import type { AuditEntry, AuditInput } from '../store/types.js';

/** Entries per append (MySQL sends each append as one packet of two statements per entry). */
export const MAX_AUDIT_BATCH = 2000;

interface Waiting {
  input: AuditInput;
  resolve: (entry: AuditEntry) => void;
  reject: (error: unknown) => void;
}

export class AuditBatcher {
  private queue: Waiting[] = [];
  private inFlight: Promise<void> | null = null;
  private scheduled = false;

  constructor(
    private readonly append: (inputs: AuditInput[]) => Promise<AuditEntry[]>,
    private readonly maxBatch = MAX_AUDIT_BATCH,
  ) {}

  /** Resolves with the entry once the append that holds it has committed. */
  add(input: AuditInput): Promise<AuditEntry> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.scheduled && this.inFlight === null) {
        this.scheduled = true;
        // Two immediates: the drain runs a turn later than one would, after one more poll phase.
        setImmediate(() => setImmediate(() => this.drain()));
      }
    });
  }

  /** Waits until everything queued so far is committed (or has failed). */
  async flush(): Promise<void> {
    while (this.inFlight !== null || this.queue.length > 0) {
      if (this.inFlight === null) this.drain();
      await this.inFlight;
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.inFlight !== null || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight = this.append(batch.map((w) => w.input)).then(
      (entries) => batch.forEach((w, i) => w.resolve(entries[i]!)),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    ).finally(() => {
      this.inFlight = null;
      // What queued while this one was in flight goes next, together.
      if (this.queue.length > 0) this.drain();
    });
  }
}
