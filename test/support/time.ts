/** Moments, zones and quota windows for tests, built with runtime/time as the product builds them. */
import type { EvalContext } from '../../runtime/evaluator/types.js';
import { windowOf } from '../../runtime/quota/rule.js';
import type { QuotaWindow } from '../../runtime/quota/types.js';
import { instantFromMs, localMoment, parseInstant, parseZone, type Instant } from '../../runtime/time/index.js';

/** An ISO-8601 moment (without an offset: in `tz`), exact to the microsecond. */
export function instant(iso: string, tz = 'UTC'): Instant {
  const at = parseInstant(iso, parseZone(tz));
  if (at === null) throw new Error(`not a moment: ${iso}`);
  return at;
}

/** What a decision is taken in: a moment (ISO text, or milliseconds) and the server zone. */
export function context(at: string | number, tz = 'UTC'): EvalContext {
  return { at: typeof at === 'number' ? instantFromMs(at) : instant(at, tz), zone: parseZone(tz) };
}

/** The quota window of a moment in `tz`. */
export function windowAt(iso: string, tz = 'UTC'): QuotaWindow {
  return windowOf(localMoment(instant(iso, tz), parseZone(tz)));
}
