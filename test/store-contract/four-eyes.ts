/**
 * Four eyes on policy changes (runtime/admin/approvals.ts) over each store: the setting and the
 * pending policies live in the store's audit log, so a second connection (another instance of a
 * cluster) sees and approves what the first one proposed.
 */
import { expect, it } from 'vitest';
import { ApprovalError, approvePending, listPending, requiredApprovals, setRequiredApprovals } from '../../runtime/admin/approvals.js';
import { loadPolicy } from '../../runtime/admin/policy.js';
import { chainVerifier } from '../../runtime/audit/chain.js';
import type { KssStore } from '../../runtime/store/types.js';

const V1 = 'decrypt:\n- - rule: approve-rule\n';
const V2 = 'decrypt:\n- - rule: reject-rule\n- - rule: approve-rule\n';

export function fourEyesContract(fresh: () => Promise<KssStore>, reopen: (s: KssStore) => Promise<KssStore>): void {
  it('policy_approvals: 2 keeps a load pending until another admin approves it; the audit names both', async () => {
    const a = await fresh();
    expect(await requiredApprovals(a)).toBe(1);
    expect((await loadPolicy(a, V1, 'v1.yml', 'api:alice')).activation?.policy.version).toBe(1);
    await setRequiredApprovals(a, 2, 'cli:root@host');
    const load = await loadPolicy(a, V2, 'v2.yml', 'api:alice');
    expect(load.activation).toBeNull();
    const id = load.pending!.id;
    expect((await a.activePolicy())!.version).toBe(1);

    const b = await reopen(a); // another instance, another connection
    expect(await requiredApprovals(b)).toBe(2);
    expect((await listPending(b)).map((p) => [p.id, p.proposed_by])).toEqual([[id, 'api:alice']]);
    await expect(approvePending(b, id, 'api:alice')).rejects.toThrow(ApprovalError);
    await expect(approvePending(b, id + 1000, 'api:bob')).rejects.toThrow(/no pending policy/);
    const ok = await approvePending(b, id, 'api:bob');
    expect(ok.activation!.policy).toMatchObject({ version: 2, loadedBy: 'api:bob' });
    expect((await b.activePolicy())!.source).toBe(V2);
    expect(await listPending(b)).toEqual([]);
    await expect(approvePending(b, id, 'api:carol')).rejects.toThrow(/no pending policy/);

    const loads = await b.readAudit(0, 100, 'policy.load');
    expect(loads.at(-1)).toMatchObject({ actor: 'api:bob', data: { version: 2, pending: id, proposed_by: 'api:alice', approved_by: 'api:bob' } });
    const v = chainVerifier();
    v.add(await b.readAudit(0, 1000));
    expect(v.problems).toEqual([]);
  });
}
