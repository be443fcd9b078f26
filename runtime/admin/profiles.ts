/** `kss keyserver profile list|revoke`: the onboarded profiles, read from the audit log. */
import { ONBOARD_KIND, REVOKE_KIND } from '../custody/revocations.js';
import type { AuditEntry, KssStore } from '../store/types.js';
import { StoreError } from '../store/types.js';

export interface ProfileSummary {
  profile_id: string;
  name: string;
  device_id: string;
  onboarded_at: string;
  revoked_at: string | null;
}

export async function entriesOf(store: KssStore, kind: string): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAudit(after, 1000, kind);
    all.push(...page);
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.seq;
  }
}

/** Onboarded profiles (the latest onboarding of each), and the revoked ones, by profile id. */
export async function listProfiles(store: KssStore): Promise<ProfileSummary[]> {
  const byId = new Map<string, ProfileSummary>();
  for (const e of await entriesOf(store, ONBOARD_KIND)) {
    const id = String(e.data.profile_id);
    byId.set(id, { profile_id: id, name: String(e.data.name), device_id: String(e.data.device_id), onboarded_at: e.at, revoked_at: null });
  }
  for (const e of await entriesOf(store, REVOKE_KIND)) {
    const id = String(e.data.profile_id);
    const known = byId.get(id) ?? { profile_id: id, name: '', device_id: '', onboarded_at: '', revoked_at: null };
    byId.set(id, { ...known, revoked_at: known.revoked_at ?? e.at });
  }
  return [...byId.values()].sort((a, b) => a.profile_id.localeCompare(b.profile_id));
}

const PROFILE_ID = /^[0-9a-f]{32}$/;

/**
 * Revokes a profile id, onboarded here or not (a keyserver recovered without its database has no
 * list, yet must be able to refuse a stolen workstation). false when it was revoked already.
 */
export async function revokeProfile(store: KssStore, profileId: string, actor: string): Promise<boolean> {
  const id = profileId.toLowerCase();
  if (!PROFILE_ID.test(id)) throw new StoreError('not-found', `\`${profileId}\` is not a profile id (32 hex digits, as \`kss keyserver profile list\` shows)`);
  if ((await entriesOf(store, REVOKE_KIND)).some((e) => e.data.profile_id === id)) return false;
  await store.appendAudit([{ at: new Date().toISOString(), kind: REVOKE_KIND, actor, data: { profile_id: id } }]);
  return true;
}
