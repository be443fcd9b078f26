/** Policy: the active source highlighted, the versions, the diff between two of them, and loading a new one with its diagnostics inline. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.js';
import { ErrorText, Notice, Section } from '../components.js';
import { highlight } from '../lib/yaml-highlight.js';
import { diagnosticLabel, shortSha, type DiagnosticView } from '../lib/view.js';
import { Compare } from './policy-diff.js';

interface Version {
  version: number;
  sha256: string;
  loaded_at: string;
  loaded_by: string;
  active: boolean;
}

/** The source with line numbers; lines named in `marks` are flagged with their diagnostics. */
export function Source(props: { text: string; label: string; marks?: Map<number, string> }) {
  return (
    <pre class="source" aria-label={props.label} tabIndex={0}><code>
      {highlight(props.text).map((tokens, i) => {
        const mark = props.marks?.get(i + 1);
        return (
          <span class={mark ? 'line marked' : 'line'} key={i} title={mark}>
            <span class="ln" aria-hidden="true">{i + 1}</span>
            {tokens.map((t, j) => <span class={`t-${t.cls}`} key={j}>{t.text}</span>)}
            {'\n'}
          </span>
        );
      })}
    </code></pre>
  );
}

function LoadForm(props: { api: Api; onLoaded: () => void }) {
  const [text, setText] = useState('');
  const [diagnostics, setDiagnostics] = useState<DiagnosticView[]>([]);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    setError(null);
    try {
      const r = await props.api.send('PUT', '/v1/policy', text, 'application/yaml');
      setDiagnostics(r.diagnostics ?? []);
      setResult(r.message ?? `loaded as version ${r.version}`);
      props.onLoaded();
    } catch (err) {
      const body = err instanceof ApiError ? (err.body as { diagnostics?: DiagnosticView[] }) : null;
      setDiagnostics(body?.diagnostics ?? []);
      setError((err as Error).message);
    }
  };
  const jump = (d: DiagnosticView) => {
    const offset = d.range?.start?.offset;
    if (area.current && offset !== undefined) {
      area.current.focus();
      area.current.setSelectionRange(offset, offset);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Load a new policy">
      <label for="new-policy">New policy (keyserver.yml)</label>
      <textarea id="new-policy" ref={area} rows={14} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      <button type="submit">Check and load</button>
      <ErrorText error={error} />
      <Notice text={result} />
      {diagnostics.length > 0 && (
        <ul class="diagnostics" aria-label="Diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i} class={`sev-${d.severity}`}>
              <button type="button" class="link" onClick={() => jump(d)}>{diagnosticLabel(d)}</button>
              {d.help && <div class="help">{d.help}</div>}
            </li>
          ))}
        </ul>
      )}
      {diagnostics.length > 0 && text && (
        <Source text={text} label="New policy with its diagnostics" marks={new Map(diagnostics.filter((d) => d.range?.start).map((d) => [d.range!.start!.line, diagnosticLabel(d)]))} />
      )}
    </form>
  );
}

export function Policy(props: { api: Api }) {
  const { api } = props;
  const [active, setActive] = useState<{ version: number; sha256: string; source: string } | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [shown, setShown] = useState<{ version: number; source: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setVersions((await api.get('/v1/policies')).versions);
      setActive(await api.get('/v1/policy'));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => void load(), [api]);
  const view = async (v: number) => {
    try {
      setShown(await api.get(`/v1/policies?version=${v}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div>
      <h1>Policy</h1>
      <ErrorText error={error} />
      <Section title="Active policy">
        {active ? <><p data-testid="active-version">version {active.version} <code>{shortSha(active.sha256)}</code></p><Source text={active.source} label="Active policy source" /></> : <p>no policy is loaded</p>}
      </Section>
      <Section title="Versions">
        <table>
          <thead><tr><th scope="col">Version</th><th scope="col">sha-256</th><th scope="col">Loaded</th><th scope="col">By</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} class={v.active ? 'active' : ''}>
                <td>{v.version}{v.active ? ' (active)' : ''}</td><td><code>{shortSha(v.sha256)}</code></td><td>{v.loaded_at}</td><td>{v.loaded_by}</td>
                <td><button type="button" onClick={() => view(v.version)}>View version {v.version}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown && <Source text={shown.source} label={`Policy version ${shown.version}`} />}
      </Section>
      <Section title="Compare versions">
        <Compare api={api} versions={versions} />
      </Section>
      <Section title="Load a new policy">
        <LoadForm api={api} onLoaded={load} />
      </Section>
    </div>
  );
}
