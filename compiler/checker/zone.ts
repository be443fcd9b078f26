/**
 * What the checks that depend on the server's time zone share (SPEC §4.3, §4.6). With a ZoneInfo
 * (`kss check --tz`, serve, policy load, eval, test) they are exact; without one they warn where
 * the zone would decide.
 */
import type { FragmentResult } from '../grammars/result.js';
import type { TimeOfDayIR } from '../ir/types.js';
import { comparableMicros } from '../ir/time-of-day.js';

/** Every UTC offset in use lies within these (Baker Island, UTC-12, to Kiribati, UTC+14), in seconds. */
export const WESTMOST_OFFSET = -12 * 3600;
export const EASTMOST_OFFSET = 14 * 3600;

/** `UTC-05:00`, `UTC+05:30`, `UTC+00:00`. */
export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(seconds) / 60);
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The zone abbreviation the reference ignores in a time (`EST` of `5:00pm EST`), with its span, or null. */
export function abbreviationOf(text: string, result: FragmentResult<TimeOfDayIR>): { word: string; start: number; end: number } | null {
  // The time grammar warns about nothing else.
  const warning = result.value ? result.warnings[0] : undefined;
  return warning ? { word: text.slice(warning.start, warning.end), start: warning.start, end: warning.end } : null;
}

/** True when exactly one of the two times has an offset: their order then depends on the server's. */
export function mixedZones(start: TimeOfDayIR, end: TimeOfDayIR): boolean {
  return (start.offsetSeconds === null) !== (end.offsetSeconds === null);
}

/** The offsets, among `offsets` (seconds east of UTC), at which `start` is not before `end`. */
export function offsetsOutOfOrder(start: TimeOfDayIR, end: TimeOfDayIR, offsets: readonly number[]): number[] {
  return offsets.filter((offset) => comparableMicros(start, offset) >= comparableMicros(end, offset));
}

/**
 * For a mixed pair and no known zone: the whole-minute server offsets at which `start` is not before
 * `end`, as a half-line within the offsets in use (`{from}` eastwards or `{to}` westwards), or null
 * when every zone keeps them in order. Only the naive time moves with the offset, so the order
 * changes once.
 */
export function outOfOrderSomewhere(start: TimeOfDayIR, end: TimeOfDayIR): { from: number } | { to: number } | null {
  const naiveStart = start.offsetSeconds === null;
  // comparable(naive, o) = written - o: a naive start falls behind as o grows, a naive end too.
  const threshold = (naiveStart ? comparableMicros(start) - comparableMicros(end) : comparableMicros(end) - comparableMicros(start)) / 1_000_000;
  if (naiveStart) {
    const to = Math.floor(threshold / 60) * 60; // out of order where o <= threshold
    return to >= WESTMOST_OFFSET ? { to: Math.min(to, EASTMOST_OFFSET) } : null;
  }
  const from = Math.ceil(threshold / 60) * 60; // out of order where o >= threshold
  return from <= EASTMOST_OFFSET ? { from: Math.max(from, WESTMOST_OFFSET) } : null;
}
