// Latency percentiles to the microsecond. autocannon's own histogram records whole milliseconds,
// so two builds whose p99 differ by less than a millisecond read the same or 1-2 ms apart by
// rounding alone; its per-response event carries the duration as a float (process.hrtime).

/** Records every 2xx response time of an autocannon instance; `stats()` summarises them. */
export function recordLatencies(instance) {
  let values = new Float64Array(1 << 16);
  let n = 0;
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode < 200 || statusCode > 299) return;
    if (n === values.length) {
      const grown = new Float64Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    values[n++] = ms;
  });
  return { stats: () => latencyStats(values.subarray(0, n)) };
}

/** Nearest-rank percentiles and the mean, in milliseconds rounded to the microsecond. */
export function latencyStats(durations) {
  const sorted = Float64Array.from(durations).sort();
  const at = (p) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]));
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50_ms: at(50), p90_ms: at(90), p99_ms: at(99), p99_9_ms: at(99.9), mean_ms: sorted.length === 0 ? null : round(sum / sorted.length) };
}

/** The median of a list of numbers (the middle of an odd count, the mean of the two middles). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (ms) => Math.round(ms * 1000) / 1000;
