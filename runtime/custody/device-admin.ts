/**
 * `kss keyserver profile devices ID` and `profile revoke-device ID`: the devices of a profile (the
 * one that onboarded it and those added with `kss client device add`), read from the audit log,
 * and the revocation of one device while the profile's other devices keep working.
 */
import { entriesOf } from '../admin/profiles.js';
import { StoreError, type KssStore } from '../store/types.js';
import { DEVICE_ADD_KIND, DEVICE_REVOKE_KIND, ONBOARD_KIND } from './revocations.js';

export interface DeviceSummary {
  device_id: string;
  name: string;
  /** The device that added it; null for the device that onboarded the profile. */
  added_by: string | null;
  added_at: string;
  revoked_at: string | null;
}

const HEX32 = /^[0-9a-f]{32}$/;

function hexId(id: string, what: string): string {
  const lower = id.toLowerCase();
  if (!HEX32.test(lower)) throw new StoreError('not-found', `\`${id}\` is not a ${what} id (32 hex digits, as \`kss keyserver profile devices\` shows)`);
  return lower;
}

export async function listDevices(store: KssStore, profileId: string): Promise<DeviceSummary[]> {
  const id = hexId(profileId, 'profile');
  const devices = new Map<string, DeviceSummary>();
  for (const e of await entriesOf(store, ONBOARD_KIND)) {
    if (e.data.profile_id === id) devices.set(String(e.data.device_id), { device_id: String(e.data.device_id), name: String(e.data.name), added_by: null, added_at: e.at, revoked_at: null });
  }
  for (const e of await entriesOf(store, DEVICE_ADD_KIND)) {
    if (e.data.profile_id === id) devices.set(String(e.data.device_id), { device_id: String(e.data.device_id), name: String(e.data.name), added_by: String(e.data.added_by), added_at: e.at, revoked_at: null });
  }
  for (const e of await entriesOf(store, DEVICE_REVOKE_KIND)) {
    const d = devices.get(String(e.data.device_id));
    if (d && d.revoked_at === null) d.revoked_at = e.at;
  }
  return [...devices.values()].sort((a, b) => a.added_at.localeCompare(b.added_at));
}

/**
 * Revokes one device id, known here or not (as for profiles: a keyserver recovered without its
 * database must still be able to refuse a lost laptop). false when it was revoked already.
 */
export async function revokeDevice(store: KssStore, deviceId: string, actor: string): Promise<boolean> {
  const id = hexId(deviceId, 'device');
  if ((await entriesOf(store, DEVICE_REVOKE_KIND)).some((e) => e.data.device_id === id)) return false;
  await store.appendAudit([{ at: new Date().toISOString(), kind: DEVICE_REVOKE_KIND, actor, data: { device_id: id } }]);
  return true;
}
