/**
 * Revoked profiles and devices. A revocation is an audit entry in the store (`profile.revoke`
 * for a whole profile, `device.revoke` for one device of it), so it is durable, in the hash chain,
 * and seen by every process on the store (each cluster instance, after a restart): a custody
 * request reads the entries appended since the last one it saw before it is decided, so a
 * revocation holds from the moment the command returns.
 */
import type { KssStore } from '../store/types.js';

export const REVOKE_KIND = 'profile.revoke';
export const ONBOARD_KIND = 'profile.onboard';
export const DEVICE_ADD_KIND = 'profile.device_add';
export const DEVICE_REVOKE_KIND = 'device.revoke';
const PAGE = 500;

/** The ids named by the `field` of every audit entry of one kind, read incrementally. */
class RevokedIds {
  private seq = 0;
  private readonly ids = new Set<string>();

  constructor(
    private readonly store: KssStore,
    private readonly kind: string,
    private readonly field: string,
  ) {}

  async has(id: string): Promise<boolean> {
    for (;;) {
      const page = await this.store.readAudit(this.seq, PAGE, this.kind);
      for (const e of page) this.ids.add(String(e.data[this.field]).toLowerCase());
      if (page.length > 0) this.seq = Math.max(this.seq, page[page.length - 1]!.seq);
      if (page.length < PAGE) break;
    }
    return this.ids.has(id.toLowerCase());
  }
}

export class RevocationList {
  private readonly profiles: RevokedIds;
  private readonly devices: RevokedIds;

  constructor(store: KssStore) {
    this.profiles = new RevokedIds(store, REVOKE_KIND, 'profile_id');
    this.devices = new RevokedIds(store, DEVICE_REVOKE_KIND, 'device_id');
  }

  isRevoked(profileId: string): Promise<boolean> {
    return this.profiles.has(profileId);
  }

  isDeviceRevoked(deviceId: string): Promise<boolean> {
    return this.devices.has(deviceId);
  }
}
