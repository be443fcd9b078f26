/** Quotas: the counters in the current window, who is at quota, a filter, clearing one profile. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { Confirm, ErrorText, Notice } from '../components.js';
import { filterQuota, profilesOf, type QuotaRow } from '../lib/view.js';

export function Quotas(props: { api: Api }) {
  const { api } = props;
  const [rows, setRows] = useState<QuotaRow[]>([]);
  const [filter, setFilter] = useState('');
  const [atQuotaOnly, setAtQuotaOnly] = useState(false);
  const [clearing, setClearing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = async () => {
    try {
      setRows((await api.get('/v1/quota')).entries);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => void load(), [api]);
  const clear = async (profile: string) => {
    setClearing(null);
    try {
      const r = await api.send('DELETE', `/v1/quota?profile=${encodeURIComponent(profile)}`);
      setNotice(`cleared ${r.cleared} counter${r.cleared === 1 ? '' : 's'} of profile ${profile}`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const shown = filterQuota(rows, filter, atQuotaOnly);
  const atQuota = rows.filter((r) => r.at_quota).length;
  return (
    <div>
      <h1>Quotas</h1>
      <ErrorText error={error} />
      <Notice text={notice} />
      <p>{rows.length} counter{rows.length === 1 ? '' : 's'} in the current window, <strong>{atQuota} at quota</strong>.</p>
      <div class="filters">
        <label for="quota-filter">Filter by profile or rule id</label>
        <input id="quota-filter" type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <label class="inline"><input type="checkbox" checked={atQuotaOnly} onChange={(e) => setAtQuotaOnly((e.target as HTMLInputElement).checked)} /> only at quota</label>
        <button type="button" onClick={load}>Refresh</button>
      </div>
      <table aria-label="Quota counters">
        <thead><tr><th scope="col">Profile</th><th scope="col">Rule id</th><th scope="col">This hour</th><th scope="col">Today</th><th scope="col">At quota</th><th scope="col">Kind</th></tr></thead>
        <tbody>
          {shown.map((r) => (
            <tr key={`${r.profile_id} ${r.rule_id} ${r.instance ?? ''}`} class={r.at_quota ? 'at-quota' : ''}>
              <td><code>{r.profile_id}</code></td><td>{r.rule_id}</td><td>{r.hour_count}</td><td>{r.day_count}</td>
              <td>{r.at_quota ? 'yes' : 'no'}</td><td>{r.persistent ? 'persistent' : `memory${r.instance ? ` (${r.instance})` : ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p>no counter matches</p>}
      <h2>Clear a profile</h2>
      <ul class="profiles">
        {profilesOf(shown).map((p) => (
          <li key={p}><button type="button" class="danger" onClick={() => setClearing(p)}>Clear quota of {p}</button></li>
        ))}
      </ul>
      {clearing && <Confirm question={`Clear every quota counter of profile ${clearing}? Its requests count from zero again.`} action="Clear" onConfirm={() => clear(clearing)} onCancel={() => setClearing(null)} />}
    </div>
  );
}
