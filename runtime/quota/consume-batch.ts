/**
 * Group commit for a server's quota uses. Each decision that reaches a rule set with throttles
 * checks and counts them in the store; one write transaction each makes every such decision pay
 * for its own commit (WAL frames, and the write lock that several worker processes contend for).
 * So the uses asked for in one turn of the event loop go into one transaction at the next: each
 * request is still checked and counted on its own, all or nothing (KssStore.tryConsumeMany), in
 * the order asked, and each caller resumes only after the commit that holds its uses.
 */
import type { ConsumeRequest, KssStore } from '../store/types.js';
import type { QuotaWindow, ThrottleUse } from './types.js';

/** Requests per transaction: bounds how long one commit holds the write lock. */
export const MAX_CONSUME_BATCH = 512;

interface Waiting extends ConsumeRequest {
  resolve: (ok: boolean) => void;
  reject: (error: unknown) => void;
}

export class ConsumeBatcher {
  private queue: Waiting[] = [];

  constructor(private readonly store: KssStore) {}

  consume(uses: ThrottleUse[], window: QuotaWindow, shared?: string): Promise<boolean> {
    // A store that cannot group (MySQL sends each use as one packet already) is asked directly.
    if (this.store.tryConsumeMany === undefined) return this.store.tryConsume(uses, window, shared);
    return new Promise((resolve, reject) => {
      if (this.queue.push({ uses, window, shared, resolve, reject }) === 1) setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_CONSUME_BATCH);
      try {
        const results = await this.store.tryConsumeMany!(batch);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        batch.forEach((w) => w.reject(error));
      }
    }
  }
}
