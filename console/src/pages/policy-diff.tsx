/** The policy page's comparison: two versions picked, what the newer decides differently (with witnesses) and the source line diff. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ErrorText } from '../components.js';
import { defaultPair, diffPath, diffRows, diffSummary, ROW_LABEL, witnessText, type DiffHunk, type VersionChoice, type WitnessView } from '../lib/diff.js';

interface Change {
  request_type: string;
  description: string;
  witnesses: WitnessView[];
}

interface Report {
  from: { version: number };
  to: { version: number };
  changes: Change[];
  may_change: Array<{ request_type: string; reason: string }>;
  counters: { kept: string[]; reset: string[]; fresh: string[] };
  source_diff: DiffHunk[] | null;
  source_diff_note?: string;
}

function VersionSelect(props: { id: string; label: string; versions: VersionChoice[]; value: number; onChange: (v: number) => void }) {
  return (
    <span class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={String(props.value)} onChange={(e) => props.onChange(Number((e.target as HTMLSelectElement).value))}>
        {props.versions.map((v) => <option key={v.version} value={String(v.version)}>{`version ${v.version}${v.active ? ' (active)' : ''}`}</option>)}
      </select>
    </span>
  );
}

export function SourceDiff(props: { hunks: DiffHunk[]; label: string }) {
  return (
    <pre class="source diff" aria-label={props.label} tabIndex={0}><code>
      {diffRows(props.hunks).map((r, i) => (
        <span class={`line ${r.kind}`} key={i}>
          <span class="ln" aria-hidden="true">{r.old ?? ''}</span>
          <span class="ln" aria-hidden="true">{r.new ?? ''}</span>
          <span class="sr-only">{`${ROW_LABEL[r.kind]}${r.new !== null ? ` ${r.new}` : r.old !== null ? ` ${r.old}` : ''}: `}</span>
          <span aria-hidden="true">{r.kind === 'removed' ? '- ' : r.kind === 'added' ? '+ ' : r.kind === 'same' ? '  ' : ''}</span>
          {r.text}
          {'\n'}
        </span>
      ))}
    </code></pre>
  );
}

function Counters(props: { counters: Report['counters'] }) {
  const { kept, reset, fresh } = props.counters;
  if (kept.length + reset.length + fresh.length === 0) return null;
  return (
    <p data-testid="diff-counters">
      quota counters on switching: kept {kept.join(', ') || 'none'}; reset {reset.join(', ') || 'none'}; fresh {fresh.join(', ') || 'none'}
    </p>
  );
}

export function Compare(props: { api: Api; versions: VersionChoice[] }) {
  const [chosen, setPair] = useState<{ from: number; to: number } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A new version listed (one just loaded): back to comparing the active one with the one before.
  const newest = props.versions[0]?.version;
  useEffect(() => setPair(null), [newest]);
  const pair = chosen ?? defaultPair(props.versions);
  if (!pair) return <p>{props.versions.length === 0 ? 'no policy versions yet' : 'one version only: load another to compare'}</p>;
  const compare = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setReport(await props.api.get(diffPath(pair.from, pair.to)));
    } catch (err) {
      setReport(null);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <form onSubmit={compare} aria-label="Compare two policy versions" class="compare">
        <VersionSelect id="diff-from" label="From version" versions={props.versions} value={pair.from} onChange={(from) => setPair({ ...pair, from })} />
        <VersionSelect id="diff-to" label="To version" versions={props.versions} value={pair.to} onChange={(to) => setPair({ ...pair, to })} />
        <button type="submit" disabled={busy}>{busy ? 'Comparing…' : 'Compare'}</button>
      </form>
      <ErrorText error={error} />
      {report && (
        <div aria-live="polite">
          <h3>{`Version ${report.from.version} → version ${report.to.version}: `}<span data-testid="diff-summary">{diffSummary(report)}</span></h3>
          <ul class="changes" aria-label="Decision changes">
            {report.changes.map((c, i) => (
              <li key={i}>
                <strong>{c.request_type}</strong>: {c.description}
                <ul aria-label="Witness requests">
                  {c.witnesses.map((w, j) => <li key={j}><code>{witnessText(w)}</code></li>)}
                </ul>
              </li>
            ))}
          </ul>
          {report.may_change.length > 0 && (
            <ul aria-label="May change">
              {report.may_change.map((m, i) => <li key={i}><strong>{m.request_type}</strong> may change: {m.reason}</li>)}
            </ul>
          )}
          <Counters counters={report.counters} />
          <h3>Source</h3>
          {report.source_diff === null ? <p>{report.source_diff_note}</p> : report.source_diff.length === 0 ? <p>the sources are the same</p> : <SourceDiff hunks={report.source_diff} label={`Source changes from version ${report.from.version} to version ${report.to.version}`} />}
        </div>
      )}
    </div>
  );
}
