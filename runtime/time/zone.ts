/**
 * The server's time zone: an IANA name (via Intl), `UTC`/`Z`, or a fixed offset `±HH:MM`.
 * Everything the rules need about "now" in that zone: local date, weekday, time of day, UTC offset,
 * and the quota hour/day buckets. Pure functions of (now, zone); nothing here reads the clock.
 */

export interface Zone {
  readonly name: string;
  /** UTC offset in milliseconds at the instant `now` (ms since the epoch). */
  offsetMs(now: number): number;
}

export interface LocalMoment {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** Monday = 0 .. Sunday = 6 (Python's `weekday()`). */
  weekday: number;
  /** Milliseconds since local midnight (fractions of a second matter at the ends of a range). */
  msOfDay: number;
  /** The zone's UTC offset at that instant, in seconds. */
  offsetSeconds: number;
  /** Quota buckets: `YYYY-MM-DDTHH` and `YYYY-MM-DD`. */
  hour: string;
  day: string;
}

const FIXED = /^([+-])(\d{2}):?(\d{2})$/;
const zones = new Map<string, Zone | null>();

/** The zone named `tz`, or null when it is neither a fixed offset nor a zone Intl knows. */
export function parseZone(tz: string): Zone | null {
  const cached = zones.get(tz);
  if (cached !== undefined) return cached;
  const zone = makeZone(tz);
  zones.set(tz, zone);
  return zone;
}

/** Like parseZone, for callers that have validated the name already (falls back to UTC). */
export function zoneOrUtc(tz: string): Zone {
  return parseZone(tz) ?? (parseZone('UTC') as Zone);
}

function makeZone(tz: string): Zone | null {
  if (tz === 'UTC' || tz === 'Z' || tz === 'utc') return fixedZone(tz, 0);
  const m = FIXED.exec(tz);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3]);
    if (hours > 23 || minutes > 59) return null;
    return fixedZone(tz, (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000);
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return null;
  }
  return intlZone(tz, format);
}

function fixedZone(name: string, offset: number): Zone {
  return { name, offsetMs: () => offset };
}

/** Offsets change at most once per minute boundary; formatting is slow, so remember the last minute. */
function intlZone(name: string, format: Intl.DateTimeFormat): Zone {
  let lastMinute = NaN;
  let lastOffset = 0;
  return {
    name,
    offsetMs(now: number): number {
      const minute = Math.floor(now / 60_000);
      if (minute === lastMinute) return lastOffset;
      const at = minute * 60_000;
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const year = p.year!;
      const local = Date.UTC(year, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
      // Date.UTC maps years 0..99 to 1900+; correct for it so that old instants stay exact.
      const fixed = year >= 0 && year < 100 ? new Date(local).setUTCFullYear(year) : local;
      lastMinute = minute;
      lastOffset = fixed - at;
      return lastOffset;
    },
  };
}

const DAY_MS = 86_400_000;

/** The local moment of `now` in `zone`. */
export function localMoment(now: number, zone: Zone): LocalMoment {
  const offset = zone.offsetMs(now);
  const local = now + offset;
  const dayNumber = Math.floor(local / DAY_MS);
  const msOfDay = local - dayNumber * DAY_MS;
  const date = civilDate(dayNumber);
  const hour = Math.floor(msOfDay / 3_600_000);
  return {
    date,
    // 1970-01-01 was a Thursday (3 when Monday = 0).
    weekday: (((dayNumber + 3) % 7) + 7) % 7,
    msOfDay,
    offsetSeconds: offset / 1000,
    hour: `${date}T${hour < 10 ? '0' : ''}${hour}`,
    day: date,
  };
}

const dateCache = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), memoised: a server sees few distinct days. */
function civilDate(dayNumber: number): string {
  let s = dateCache.get(dayNumber);
  if (s === undefined) {
    const d = new Date(dayNumber * DAY_MS);
    const y = d.getUTCFullYear();
    const ys = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
    s = `${ys}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    if (dateCache.size > 4096) dateCache.clear();
    dateCache.set(dayNumber, s);
  }
  return s;
}

/** The machine's zone, the default server zone. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
