/** Overview: identity, enabled, policy, zone, live decision rate, instances; enable/disable. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { Confirm, ErrorText, LineChart, Notice, Section } from '../components.js';
import { decisionSample, pushWindow, rateBetween, type Rate, type Sample } from '../lib/metrics.js';
import { shortSha } from '../lib/view.js';

const POLL_MS = 2000;
const WINDOW = 60;

interface Status {
  keyserver_id: string;
  enabled: boolean;
  policy: { version: number; sha256: string; loaded_at: string } | null;
  version: string;
  tz: string;
}

interface Instance {
  id: string;
  host: string;
  version: string;
  policy_version: number | null;
  last_heartbeat: string;
  status: 'Online' | 'Offline';
}

function useLiveRates(api: Api): Rate[] {
  const [rates, setRates] = useState<Rate[]>([]);
  useEffect(() => {
    let last: Sample | null = null;
    let stopped = false;
    const tick = async () => {
      try {
        const s = decisionSample(await api.text('/metrics'), Date.now());
        if (last && !stopped) setRates((r) => pushWindow(r, rateBetween(last!, s), WINDOW));
        last = s;
      } catch {
        /* a missed reading leaves a gap; the next one goes on */
      }
    };
    void tick();
    const t = setInterval(tick, POLL_MS);
    return () => ((stopped = true), clearInterval(t));
  }, [api]);
  return rates;
}

export function Overview(props: { api: Api }) {
  const { api } = props;
  const [status, setStatus] = useState<Status | null>(null);
  const [instances, setInstances] = useState<Instance[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const rates = useLiveRates(api);
  const load = async () => {
    try {
      setStatus(await api.get('/v1/status'));
      setInstances((await api.get('/v1/instances')).instances);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, [api]);
  const toggle = async () => {
    setAsking(false);
    const enable = !status!.enabled;
    try {
      await api.send('POST', enable ? '/v1/enable' : '/v1/disable');
      setNotice(enable ? 'the keyserver is enabled: it answers requests' : 'the keyserver is disabled: requests get 503');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const latest = rates[rates.length - 1];
  const approval = [...rates].reverse().find((r) => r.approval !== null)?.approval ?? null;
  return (
    <div>
      <h1>Overview</h1>
      <ErrorText error={error} />
      <Notice text={notice} />
      {status && (
        <Section title="Keyserver">
          <dl class="facts">
            <dt>Keyserver id</dt><dd data-testid="keyserver-id"><code>{status.keyserver_id}</code></dd>
            <dt>State</dt><dd data-testid="enabled" class={status.enabled ? 'ok' : 'bad'}>{status.enabled ? 'enabled' : 'disabled'}</dd>
            <dt>Policy</dt>
            <dd data-testid="policy-version">{status.policy ? <>version {status.policy.version} <code title={status.policy.sha256}>{shortSha(status.policy.sha256)}</code></> : 'none loaded'}</dd>
            <dt>Time zone</dt><dd>{status.tz}</dd>
            <dt>kss</dt><dd>{status.version}</dd>
          </dl>
          <button type="button" class={status.enabled ? 'danger' : ''} onClick={() => setAsking(true)}>{status.enabled ? 'Disable keyserver' : 'Enable keyserver'}</button>
          {asking && (
            <Confirm question={status.enabled ? 'Disable the keyserver? Every request will be refused (503) until it is enabled again.' : 'Enable the keyserver? It will answer requests with the active policy.'}
              action={status.enabled ? 'Disable' : 'Enable'} onConfirm={toggle} onCancel={() => setAsking(false)} />
          )}
        </Section>
      )}
      <Section title="Decisions">
        <div class="charts">
          <LineChart label="Decisions per second" unit="/s" values={rates.map((r) => r.perSecond)} latest={latest ? latest.perSecond.toFixed(1) : '…'} />
          <LineChart label="Approval rate" unit="%" max={100} values={rates.map((r) => (r.approval === null ? null : r.approval * 100))} latest={approval === null ? 'no decisions yet' : `${Math.round(approval * 100)}%`} />
        </div>
      </Section>
      <Section title="Instances">
        <table>
          <thead><tr><th scope="col">Instance</th><th scope="col">Host</th><th scope="col">Status</th><th scope="col">Policy version</th><th scope="col">kss</th><th scope="col">Last heartbeat</th></tr></thead>
          <tbody>
            {instances.map((i) => (
              <tr key={i.id}>
                <td><code>{i.id}</code></td><td>{i.host}</td><td class={i.status === 'Online' ? 'ok' : 'bad'}>{i.status}</td>
                <td>{i.policy_version ?? 'none'}</td><td>{i.version}</td><td>{i.last_heartbeat}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
