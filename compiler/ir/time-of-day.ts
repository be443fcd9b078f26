/** How the reference compares times of day (SPEC §4.3), in one place for the compiler and the runtime. */
import type { TimeOfDayIR } from './types.js';

/**
 * A time as the reference compares it: microseconds since midnight minus its zone's UTC offset, no
 * wrap at midnight. A time without a zone is in the server's zone (`serverOffsetSeconds`, 0 when
 * only times of the same kind are compared). Whole microseconds keep the comparison exact.
 */
export function comparableMicros(time: TimeOfDayIR, serverOffsetSeconds = 0): number {
  return (time.seconds - (time.offsetSeconds ?? serverOffsetSeconds)) * 1_000_000 + (time.microseconds ?? 0);
}
