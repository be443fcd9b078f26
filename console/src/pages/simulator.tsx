/** Simulator: a request as JSON, decided by the running policy and explained rule set by rule set (as `kss explain`). */
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ErrorText } from '../components.js';
import { readSimulatorInput } from '../lib/view.js';

const EXAMPLE = JSON.stringify({
  request_type: 'decrypt',
  profile: { profile_id: '00112233445566778899aabbccddeeff', profile_words: ['correct', 'horse', 'battery', 'staple'] },
  auth_meta: [{ meta: 'public/handbook.pdf', complete: true }],
}, null, 2);

interface Explained {
  approved: boolean;
  rule_set: number | null;
  trace: Array<{ ruleSet: number; approved: boolean; rules: Array<{ ruleId: string; kind: string; approved: boolean; reason: string }> }>;
  text: string;
}

export function Simulator(props: { api: Api }) {
  const [text, setText] = useState(EXAMPLE);
  const [at, setAt] = useState('');
  const [result, setResult] = useState<Explained | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    const input = readSimulatorInput(text, at);
    if ('problem' in input) return setError(input.problem);
    try {
      setResult(await props.api.send('POST', '/v1/explain', input.body));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div>
      <h1>Simulator</h1>
      <p>Decides a request with the running policy and says why, rule set by rule set. Nothing is recorded: no quota is used and no audit entry is written.</p>
      <form onSubmit={run} aria-label="Simulate a request">
        <label for="sim-request">Request (JSON, as sent to POST /v1/requests)</label>
        <textarea id="sim-request" rows={12} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <label for="sim-at">Arrival time (ISO-8601; empty: now)</label>
        <input id="sim-at" value={at} placeholder="2026-03-16T10:30:00+01:00" onInput={(e) => setAt((e.target as HTMLInputElement).value)} />
        <button type="submit">Explain</button>
      </form>
      <ErrorText error={error} />
      {result && (
        <section aria-label="Decision" aria-live="polite">
          <h2 data-testid="verdict" class={result.approved ? 'ok' : 'bad'}>{result.approved ? `Approved by rule set ${result.rule_set ?? 'default'}` : 'Denied'}</h2>
          {result.trace.map((set) => (
            <table key={set.ruleSet} aria-label={`Rule set ${set.ruleSet}`}>
              <caption>Rule set {set.ruleSet}: {set.approved ? 'approves' : 'does not approve'}</caption>
              <thead><tr><th scope="col">Result</th><th scope="col">Rule</th><th scope="col">Id</th><th scope="col">Why</th></tr></thead>
              <tbody>
                {set.rules.map((r) => (
                  <tr key={r.ruleId}><td class={r.approved ? 'ok' : 'bad'}>{r.approved ? 'pass' : 'FAIL'}</td><td>{r.kind}</td><td>{r.ruleId}</td><td>{r.reason}</td></tr>
                ))}
              </tbody>
            </table>
          ))}
          <details><summary>As text (kss explain)</summary><pre>{result.text}</pre></details>
        </section>
      )}
    </div>
  );
}
