/** Audit: recent entries (decisions with their reasons), filter by profile, verify the hash chain. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ErrorText, Notice } from '../components.js';
import { auditSummary, profileFilterProblem, type AuditRow } from '../lib/view.js';

export function Audit(props: { api: Api }) {
  const { api } = props;
  const [entries, setEntries] = useState<AuditRow[]>([]);
  const [profile, setProfile] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<string | null>(null);
  const load = async (p: string) => {
    const problem = profileFilterProblem(p);
    if (problem) return setError(problem);
    try {
      const q = p.trim() ? `&profile=${encodeURIComponent(p.trim())}` : '';
      setEntries((await api.get(`/v1/audit?limit=100${q}`)).entries);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => void load(''), [api]);
  const verify = async () => {
    setVerdict(null);
    try {
      const r = await api.send('POST', '/v1/audit/verify');
      setError(null);
      if (r.ok) setVerdict(`audit chain ok: ${r.count} entries verified`);
      else setError(`the audit chain is broken: ${r.problems.map((p: { message: string }) => p.message).join('; ')}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div>
      <h1>Audit log</h1>
      <ErrorText error={error} />
      <Notice text={verdict} />
      <form class="filters" onSubmit={(e) => (e.preventDefault(), void load(profile))}>
        <label for="audit-profile">Profile id</label>
        <input id="audit-profile" value={profile} onInput={(e) => setProfile((e.target as HTMLInputElement).value)} placeholder="32 hex digits" />
        <button type="submit">Filter</button>
        <button type="button" onClick={verify}>Verify chain</button>
      </form>
      <table aria-label="Audit entries">
        <thead><tr><th scope="col">#</th><th scope="col">At</th><th scope="col">Kind</th><th scope="col">Actor</th><th scope="col">Profile</th><th scope="col">What</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td><td>{e.at}</td><td>{e.kind}</td><td>{e.actor}</td>
              <td>{typeof e.data.profile_id === 'string' ? <code>{e.data.profile_id}</code> : ''}</td><td>{auditSummary(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p>no entry matches</p>}
    </div>
  );
}
