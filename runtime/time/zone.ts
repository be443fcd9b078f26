/**
 * The server's time zone, read from its setting (SPEC 4.6, 6): an IANA name (offsets from Intl),
 * `UTC`/`Z`, or a fixed offset `±HH:MM`. This is the only place a zone string is parsed; every
 * caller that takes a zone from a user (serve, eval, explain, test, bench, quota list) refuses an
 * invalid one with `zoneProblem`'s message.
 */

export interface Zone {
  /** As the user wrote it. */
  readonly name: string;
  /** The offset of a fixed zone (`UTC`, `+04:00`), in seconds east of UTC; null for an IANA zone. */
  readonly fixedOffsetSeconds: number | null;
  /** The IANA name as Intl knows it (`america/new_york` → `America/New_York`); null when fixed. */
  readonly ianaName: string | null;
  /** The UTC offset in seconds east of UTC at the instant `ms` (milliseconds since the epoch). */
  offsetSecondsAt(ms: number): number;
}

export const ZONE_HELP = 'use an IANA name such as `Europe/Berlin`, `UTC`, or a fixed offset such as `+04:00`';

/** The one message for a zone that cannot be used; null when `tz` is a zone. */
export function zoneProblem(tz: string): string | null {
  return readZone(tz) === null ? `unknown time zone \`${tz}\`: ${ZONE_HELP}` : null;
}

export class ZoneError extends Error {}

/** The zone `tz` names; throws ZoneError (with zoneProblem's message) when it names none. */
export function parseZone(tz: string): Zone {
  const zone = readZone(tz);
  if (zone === null) throw new ZoneError(zoneProblem(tz)!);
  return zone;
}

/** The machine's zone, the default server zone. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const FIXED = /^([+-])(\d{2}):?(\d{2})$/;
const UTC_NAMES = new Set(['UTC', 'utc', 'Z']);
const zones = new Map<string, Zone | null>();

function readZone(tz: string): Zone | null {
  let zone = zones.get(tz);
  if (zone === undefined) {
    zone = makeZone(tz);
    // Names come from configuration and files, not from requests; the bound only guards a tool.
    if (zones.size > 1000) zones.clear();
    zones.set(tz, zone);
  }
  return zone;
}

function makeZone(tz: string): Zone | null {
  if (UTC_NAMES.has(tz)) return fixedZone(tz, 0);
  const m = FIXED.exec(tz);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3]);
    if (hours > 23 || minutes > 59) return null;
    return fixedZone(tz, (m[1] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60));
  }
  // Offsets written another way (`+4`, `-05`) are not IANA names either, whatever Intl accepts.
  if (/^[+-]/.test(tz) || tz.trim() !== tz || tz === '') return null;
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
  return { name, fixedOffsetSeconds: offset, ianaName: null, offsetSecondsAt: () => offset };
}

/** Offsets change on whole minutes at most; formatting is slow, so remember the last minute. */
function intlZone(name: string, format: Intl.DateTimeFormat): Zone {
  let lastMinute = NaN;
  let lastOffset = 0;
  return {
    name,
    fixedOffsetSeconds: null,
    ianaName: format.resolvedOptions().timeZone,
    offsetSecondsAt(ms: number): number {
      const minute = Math.floor(ms / 60_000);
      if (minute === lastMinute) return lastOffset;
      const at = minute * 60_000;
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const year = p.year!;
      const local = Date.UTC(year, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
      // Date.UTC maps years 0..99 to 1900+; correct for it so that old instants stay exact.
      const fixed = year >= 0 && year < 100 ? new Date(local).setUTCFullYear(year) : local;
      lastMinute = minute;
      lastOffset = (fixed - at) / 1000;
      return lastOffset;
    },
  };
}
