/**
 * The overview's live chart: reads the decision counters from the Prometheus text of `/metrics`
 * and turns two readings into a rate. Pure functions: the browser polls, these compute.
 */

export interface Sample {
  /** When the reading was taken (ms). */
  at: number;
  approved: number;
  denied: number;
}

export interface Rate {
  at: number;
  /** Decisions per second between two readings. */
  perSecond: number;
  /** Share approved (0..1) of the decisions between two readings; null when there were none. */
  approval: number | null;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample line of the exposition text (comments and blank lines skipped). */
export function parsePrometheus(text: string): Series[] {
  const out: Series[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** The decision totals of every request type, approved and denied. */
export function decisionSample(text: string, at: number): Sample {
  const s: Sample = { at, approved: 0, denied: 0 };
  for (const x of parsePrometheus(text)) {
    if (x.name !== 'kss_decisions_total') continue;
    if (x.labels.result === 'approved') s.approved += x.value;
    else if (x.labels.result === 'denied') s.denied += x.value;
  }
  return s;
}

/**
 * The rate between two readings. A counter that went down means the server restarted: the
 * later reading then counts from zero.
 */
export function rateBetween(a: Sample, b: Sample): Rate {
  const restarted = b.approved < a.approved || b.denied < a.denied;
  const approved = restarted ? b.approved : b.approved - a.approved;
  const denied = restarted ? b.denied : b.denied - a.denied;
  const seconds = Math.max((b.at - a.at) / 1000, 1e-3);
  const total = approved + denied;
  return { at: b.at, perSecond: total / seconds, approval: total === 0 ? null : approved / total };
}

/** Keeps the newest `max` items (the chart's window). */
export function pushWindow<T>(list: readonly T[], item: T, max: number): T[] {
  const next = [...list, item];
  return next.length > max ? next.slice(next.length - max) : next;
}

/**
 * SVG polyline points for values in a `width` x `height` box, the newest at the right; null
 * values (no decision in that interval) leave the line at the previous height.
 */
export function chartPoints(values: ReadonlyArray<number | null>, width: number, height: number, max: number): string {
  if (values.length === 0) return '';
  const step = values.length === 1 ? 0 : width / (values.length - 1);
  const top = max > 0 ? max : 1;
  let last = 0;
  return values.map((v, i) => {
    if (v !== null) last = Math.min(Math.max(v, 0), top);
    return `${(i * step).toFixed(1)},${(height - (last / top) * height).toFixed(1)}`;
  }).join(' ');
}

/** A round upper bound for the chart's scale (1, 2, 5, 10, 20, 50 ...). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (value <= m * p) return m * p;
  return 10 * p;
}
