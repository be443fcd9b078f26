/**
 * The formatter's code made hot before the first format is asked (issue 15). Right after the server
 * starts, formatting a 5,000-line policy whose four request types all changed ran the yaml package's
 * stringifier and reader mostly unoptimised: 190-265 ms in process, against 110-165 ms once V8 has
 * compiled them (fresh processes; bench/lsp.bench.mjs measures both, `--warm-up off`). So, while the server is idle
 * after it starts, it analyses and formats generated untidy policies, the way a document is
 * (IncrementalAnalyzer, then SectionFormatter), one small round per turn of the event loop, none
 * while a change waits for its analysis. Nothing of it is kept.
 */
import { SectionFormatter } from '../compiler/format/by-sections.js';
import { IncrementalAnalyzer } from '../compiler/sections/incremental.js';

/**
 * Rounds, and rule sets per request type in each: ~5,000 lines formatted in all, in slices of 5-50
 * ms, ~400 ms of CPU once (10 rounds of ~130 lines left the first format at 135-165 ms, 40 at a
 * median of ~118).
 */
const WARM_UP_ROUNDS = 40;
const RULE_SETS = 2;
/** Between rounds, the wait while the server is busy, and before the first round, in ms. */
const GAP_MS = 5;
const BUSY_RETRY_MS = 50;
const FIRST_DELAY_MS = 200;

export interface WarmUp {
  /** The editor waits on the server (a change not analysed yet): the round waits. */
  busy: () => boolean;
  /** A round threw (a bug): the warm-up stops, the server goes on. */
  failed: (error: unknown) => void;
  /** Every round ran; `ms`: their time in all (each runs synchronously). */
  done?: (ms: number) => void;
  rounds?: number;
  /** Before the first round, in ms. */
  delayMs?: number;
}

/** Starts the rounds; returns a function that stops them (on shutdown). */
export function warmUpFormatter({ busy, failed, done, rounds = WARM_UP_ROUNDS, delayMs = FIRST_DELAY_MS }: WarmUp): () => void {
  let left = rounds;
  let spent = 0;
  let timer: NodeJS.Timeout | null = null;
  const next = (ms: number) => {
    timer = setTimeout(round, ms);
    timer.unref();
  };
  const round = () => {
    if (left <= 0) return;
    if (busy()) return next(BUSY_RETRY_MS);
    const started = performance.now();
    try {
      const text = untidyPolicy(RULE_SETS, left);
      const analyzer = new IncrementalAnalyzer();
      analyzer.analyze(text, 'warm-up.yml');
      if (analyzer.lastRead) new SectionFormatter().format(text, analyzer.lastRead.sections);
    } catch (error) {
      left = 0;
      failed(error);
      return;
    }
    spent += performance.now() - started;
    if (--left > 0) next(GAP_MS);
    else done?.(spent);
  };
  next(delayMs);
  return () => {
    if (timer) clearTimeout(timer);
    left = 0;
  };
}

/**
 * A policy of four request types written the way people leave them (extra spaces after colons,
 * flow and block lists, quoted and plain scalars, comments at several indentations), so that
 * formatting rewrites it and reads the result back: every step a real format takes. `seed` varies
 * the text, so that no round is answered from a cache.
 */
export function untidyPolicy(ruleSets: number, seed: number): string {
  const out = [`# warm-up ${seed}`];
  for (const type of ['decrypt', 'rename', 'secure_export', 'change_profile']) {
    out.push(`${type}:`);
    for (let i = 0; i < ruleSets; i++) {
      const n = seed * 100 + i;
      out.push(
        `  # rule set ${i}`,
        '  - - rule:   meta-rule',
        `      paths: ['/dept${n}/*', "*.pdf", '!/dept${n}/private']`,
        '    - rule: time-range-rule',
        "      time_start:  '8:00am'",
        `      time_end: "6:00pm"`,
        '      days: [0, 1,2, 3, 4]',
        '    - rule:  per-profile-throttle-rule',
        `      rule_id: ${type}-limit-${n}`,
        `      per_hour:   ${5 + (i % 7)}`,
        `      per_day: ${10 + (i % 50)}`,
        '        # between rules',
        '    - rule: profile-id-rule',
        '      profile_ids:',
        `        - '00112233445566778899aabbccdd${String(n % 10000).padStart(4, '0')}'`,
        `        -   00112233445566778899aabbccee${String(n % 10000).padStart(4, '0')}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
