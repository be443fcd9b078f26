/**
 * Revoked profiles. A revocation is an audit entry (`profile.revoke`) in the store, so it is
 * durable, in the hash chain, and seen by every process on the store (each cluster instance,
 * after a restart): a shard request reads the entries appended since the last one it saw before
 * it is decided, so a revocation holds from the moment `profile revoke` returns.
 */
import type { KssStore } from '../store/types.js';

export const REVOKE_KIND = 'profile.revoke';
export const ONBOARD_KIND = 'profile.onboard';
const PAGE = 500;

export class RevocationList {
  private seq = 0;
  private readonly revoked = new Set<string>();

  constructor(private readonly store: KssStore) {}

  async isRevoked(profileId: string): Promise<boolean> {
    await this.catchUp();
    return this.revoked.has(profileId.toLowerCase());
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAudit(this.seq, PAGE, REVOKE_KIND);
      for (const e of page) this.revoked.add(String(e.data.profile_id).toLowerCase());
      if (page.length > 0) this.seq = Math.max(this.seq, page[page.length - 1]!.seq);
      if (page.length < PAGE) return;
    }
  }
}
