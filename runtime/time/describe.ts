/**
 * `describeZone`: what the compiler may know of the server zone (compiler/zone-info.ts). Offsets
 * come from Intl; the abbreviations from the system's TZif file, computed as CPython computes
 * `time.tzname` on Linux (timemodule.c `init_timezone`): the names in effect at the start of the
 * current year and half a year later, standard first, daylight second. `hasDaylightSaving` is
 * Python's `time.daylight` from the same two readings: it is what makes dateutil's `tzlocal()`
 * unusable for a `time` (the reference then fails on every request, SPEC 4.3).
 */
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { readSystemTzif, typeAt } from './tzif.js';
import { parseZone, type Zone } from './zone.js';

/** CPython's YEAR: 365 days and 6 hours, in seconds. */
const PY_YEAR = (365 * 24 + 6) * 3600;
const DAY_MS = 86_400_000;

/** Throws ZoneError for a zone that is not one (see zoneProblem). */
export function describeZone(tz: string, aroundMs: number): ZoneInfo {
  const zone = parseZone(tz);
  const utc = zone.name === 'UTC' || zone.name === 'utc' || zone.name === 'Z';
  if (zone.fixedOffsetSeconds !== null && !utc) {
    return { name: tz, hasDaylightSaving: false, offsetsSeconds: [zone.fixedOffsetSeconds], abbreviations: [] };
  }
  const [january, july] = pythonReadings(aroundMs);
  const file = utc ? readSystemTzif('UTC') : readSystemTzif(zone.name) ?? readSystemTzif(zone.ianaName ?? zone.name);
  const offsetAt = (seconds: number) => zone.offsetSecondsAt(seconds * 1000);
  if (file === null) {
    // No zone file (a minimal container): the offsets are still known, the abbreviations are not.
    return { name: tz, hasDaylightSaving: offsetAt(january) !== offsetAt(july), offsetsSeconds: offsetsAround(zone, aroundMs), abbreviations: [] };
  }
  const jan = typeAt(file, january, offsetAt(january));
  const jul = typeAt(file, july, offsetAt(july));
  // Python orders them (standard, daylight): the larger offset is daylight time, in either hemisphere.
  const names = jan.offsetSeconds > jul.offsetSeconds ? [jul.abbreviation, jan.abbreviation] : [jan.abbreviation, jul.abbreviation];
  return {
    name: tz,
    hasDaylightSaving: jan.offsetSeconds !== jul.offsetSeconds,
    offsetsSeconds: offsetsAround(zone, aroundMs),
    abbreviations: [...new Set(names.map((n) => n.toUpperCase()))],
  };
}

/** The two instants (seconds) CPython reads: the start of the current "year" and half a year on. */
function pythonReadings(aroundMs: number): [number, number] {
  const january = Math.floor(aroundMs / 1000 / PY_YEAR) * PY_YEAR;
  return [january, january + PY_YEAR / 2];
}

/** Every distinct offset from a year before to a year after, sampled daily (a season lasts longer). */
function offsetsAround(zone: Zone, aroundMs: number): number[] {
  const seen = new Set<number>();
  for (let ms = aroundMs - 366 * DAY_MS; ms <= aroundMs + 366 * DAY_MS; ms += DAY_MS) seen.add(zone.offsetSecondsAt(ms));
  return [...seen].sort((a, b) => a - b);
}
