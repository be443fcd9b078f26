/**
 * `/metrics` of `kss serve --workers N`: whichever worker a scrape reaches asks the primary, which
 * collects every worker's series over IPC (prom-client's `getMetricsAsJSON`) and merges them with
 * prom-client's `AggregatorRegistry.aggregate`: counters and histograms summed, each series by
 * its own aggregator (event loop lag averaged, ...), and the gauges that describe one process's
 * state (`PER_WORKER`) kept apart under a `worker` label. Nothing runs per decision: the work is
 * done only when /metrics is scraped.
 */
import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Metrics } from './metrics.js';

/** Summing these would say nothing (two enabled workers are not "2 enabled"). */
const PER_WORKER = new Set(['kss_enabled', 'kss_policy_version']);
/** A worker that does not answer within this is left out of the scrape (it is dying or stuck). */
const COLLECT_TIMEOUT_MS = 2000;
/** A worker waits this long for the primary's answer before the scrape fails. */
const SCRAPE_TIMEOUT_MS = 5000;

type Series = MetricObjectWithValues<MetricValue<string>>[];

/** Between a worker and the primary (process.send / worker.send). */
export type MetricsMessage =
  | { kss: 'scrape'; id: number }
  | { kss: 'scraped'; id: number; text?: string; error?: string }
  | { kss: 'collect'; id: number }
  | { kss: 'collected'; id: number; series: Series };

/** Answers awaited by message id, each given up after a time: one for each side of the channel. */
class Replies<T> {
  private seq = 0;
  private readonly waiting = new Map<number, (v: T) => void>();

  /** Sends with a fresh id; the answer, or `fallback` after `ms` or when `send` could not send. */
  ask(send: (id: number) => boolean, ms: number, fallback: T): Promise<T> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      const done = (v: T) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(v);
      };
      const timer = setTimeout(() => done(fallback), ms);
      this.waiting.set(id, done);
      if (!send(id)) done(fallback);
    });
  }

  answer(id: number, v: T): void {
    this.waiting.get(id)?.(v);
  }
}

/** In the primary: answers the workers' scrapes from the series of every live worker. */
export class MetricsGatherer {
  private readonly replies = new Replies<Series | null>();

  constructor(private readonly live: () => Iterable<Worker>) {}

  /** Call for every message a worker sends; true when it was one of these. */
  handle(from: Worker, m: MetricsMessage | undefined): boolean {
    if (m?.kss === 'collected') {
      this.replies.answer(m.id, m.series);
      return true;
    }
    if (m?.kss !== 'scrape') return false;
    this.gather().then(
      (text) => send(from, { kss: 'scraped', id: m.id, text }),
      (error: Error) => send(from, { kss: 'scraped', id: m.id, error: error.message }),
    );
    return true;
  }

  async gather(): Promise<string> {
    const workers = [...this.live()].filter((w) => w.isConnected());
    const parts = await Promise.all(workers.map(async (w) => ({ worker: w.id, series: await this.replies.ask((id) => send(w, { kss: 'collect', id }), COLLECT_TIMEOUT_MS, null) })));
    const answered = parts.filter((p): p is { worker: number; series: Series } => p.series !== null);
    return AggregatorRegistry.aggregate(answered.map((p) => perWorker(p.series, p.worker))).metrics();
  }
}

function send(w: Worker, m: MetricsMessage): boolean {
  if (!w.isConnected()) return false;
  try {
    w.send(m); // false means queued behind others, not lost
    return true;
  } catch {
    return false; // the channel closed between the check and the send
  }
}

/** The per-process gauges with a `worker` label, so that aggregation keeps one line per worker. */
function perWorker(series: Series, worker: number): Series {
  return series.map((m) => (PER_WORKER.has(m.name) ? { ...m, values: m.values.map((v) => ({ ...v, labels: { ...v.labels, worker: String(worker) } })) } : m));
}

/**
 * In a worker: answers the primary's collections with this process's series, and makes
 * `metrics.render()` ask the primary for all workers' (the caller's own series included).
 * Returns the function that stops listening.
 */
export function joinClusterMetrics(metrics: Metrics): () => void {
  const replies = new Replies<{ text?: string; error?: string }>();
  const onMessage = (m: MetricsMessage | undefined) => {
    if (m?.kss === 'collect') {
      void metrics.registry.getMetricsAsJSON().then((series) => process.send?.({ kss: 'collected', id: m.id, series } satisfies MetricsMessage));
    } else if (m?.kss === 'scraped') {
      replies.answer(m.id, m);
    }
  };
  process.on('message', onMessage);
  metrics.gather = async () => {
    if (!process.send || !process.connected) throw new Error("cannot gather the workers' metrics: no channel to the primary process");
    const sendScrape = (id: number) => {
      process.send!({ kss: 'scrape', id } satisfies MetricsMessage); // false means queued, not lost
      return true;
    };
    const m = await replies.ask(sendScrape, SCRAPE_TIMEOUT_MS, { error: `the primary process did not answer within ${SCRAPE_TIMEOUT_MS} ms` });
    if (m.text !== undefined) return m.text;
    throw new Error(`cannot gather the workers' metrics: ${m.error}`);
  };
  return () => {
    process.off('message', onMessage);
    metrics.gather = null;
  };
}
