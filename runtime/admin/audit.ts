/** `audit --verify`: walks the whole chain page by page. */
import { chainVerifier, type ChainProblem } from '../audit/chain.js';
import type { AuditEntry, KssStore } from '../store/types.js';

export async function verifyAudit(store: KssStore): Promise<{ count: number; problems: ChainProblem[] }> {
  const v = chainVerifier();
  let after = 0;
  for (;;) {
    const page = await store.readAudit(after, 1000);
    if (page.length === 0) break;
    v.add(page);
    after = page[page.length - 1]!.seq;
  }
  return { count: v.count, problems: v.problems };
}

/** The newest entries (up to `limit`), oldest first, without reading the whole log. */
export async function tailAudit(store: KssStore, limit: number): Promise<AuditEntry[]> {
  const last = await store.lastAudit();
  if (!last) return [];
  return store.readAudit(Math.max(0, last.seq - limit), limit);
}
