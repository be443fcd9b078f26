/**
 * Every local reading of an instant in the server's zone (SPEC 4.6), all at the zone's offset at
 * that instant: date, weekday, time of day, offset, and the quota's hour and day buckets. Pure
 * functions of (instant, zone); nothing here reads the clock.
 */
import { type Instant, msOf, US_PER_SECOND } from './instant.js';
import type { Zone } from './zone.js';

export interface LocalMoment {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** Monday = 0 .. Sunday = 6 (Python's `weekday()`). */
  weekday: number;
  /** Microseconds since local midnight, exact (the ends of a time range are compared to the microsecond). */
  usOfDay: number;
  /** The zone's UTC offset at the instant, in seconds east of UTC. */
  offsetSeconds: number;
  /**
   * The quota's hour bucket: the real hour that holds the instant, from local `hh:00` at the
   * instant's offset, one hour long, named by that local hour and offset (`2026-11-01T01-04:00`).
   * When the clocks go back, the repeated local hour is another bucket (`2026-11-01T01-05:00`).
   */
  hour: string;
  /** The local hour without its offset (`2026-11-01T01`): how kss named hour buckets before SPEC 4.6. */
  localHour: string;
  /** The quota's day bucket: the local date. */
  day: string;
}

const US_PER_HOUR = 3600 * US_PER_SECOND;
const US_PER_DAY = 24 * US_PER_HOUR;

/** The local moment of `at` in `zone`. */
export function localMoment(at: Instant, zone: Zone): LocalMoment {
  const offsetSeconds = zone.offsetSecondsAt(msOf(at));
  const local = at + offsetSeconds * US_PER_SECOND;
  const dayNumber = Math.floor(local / US_PER_DAY);
  const usOfDay = local - dayNumber * US_PER_DAY;
  const date = civilDate(dayNumber);
  const { hour, localHour } = hourKeys(date, Math.floor(usOfDay / US_PER_HOUR), offsetSeconds);
  return {
    date,
    // 1970-01-01 was a Thursday (3 when Monday = 0).
    weekday: (((dayNumber + 3) % 7) + 7) % 7,
    usOfDay,
    offsetSeconds,
    hour,
    localHour,
    day: date,
  };
}

/** `+05:30`, `-04:00`, `+00:00`. */
export function formatOffset(offsetSeconds: number): string {
  const a = Math.abs(offsetSeconds);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor(a / 60) % 60).padStart(2, '0');
  return `${offsetSeconds < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** `HH:MM:SS` of a time of day (microseconds since midnight), for messages. */
export function formatTimeOfDay(usOfDay: number): string {
  const s = Math.floor(usOfDay / US_PER_SECOND);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

let lastKeys = { date: '', hourOfDay: -1, offsetSeconds: 0, hour: '', localHour: '' };

/** The bucket names of one local hour; a decision's hour is usually the previous one's. */
function hourKeys(date: string, hourOfDay: number, offsetSeconds: number): { hour: string; localHour: string } {
  const k = lastKeys;
  if (k.hourOfDay === hourOfDay && k.offsetSeconds === offsetSeconds && k.date === date) return k;
  const localHour = `${date}T${hourOfDay < 10 ? '0' : ''}${hourOfDay}`;
  lastKeys = { date, hourOfDay, offsetSeconds, hour: localHour + formatOffset(offsetSeconds), localHour };
  return lastKeys;
}

const dateCache = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), memoised: a server sees few distinct days. */
function civilDate(dayNumber: number): string {
  let s = dateCache.get(dayNumber);
  if (s === undefined) {
    const d = new Date(dayNumber * 86_400_000);
    const y = d.getUTCFullYear();
    const ys = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
    s = `${ys}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    if (dateCache.size > 4096) dateCache.clear();
    dateCache.set(dayNumber, s);
  }
  return s;
}
