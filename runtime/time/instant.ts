/**
 * Instants as exact integers: microseconds since the epoch (SPEC 4.6: a request's time is read to
 * the microsecond). A double holds every such integer exactly until the year 2255, and integer
 * arithmetic on them stays exact, so `17:00:00.000001` is never rounded onto `17:00:00`.
 */
import { type Zone } from './zone.js';

declare const instantBrand: unique symbol;
/** Microseconds since 1970-01-01T00:00:00Z; a distinct type so that milliseconds cannot pass for it. */
export type Instant = number & { readonly [instantBrand]: true };

export const US_PER_MS = 1000;
export const US_PER_SECOND = 1_000_000;

/** A clock reading (milliseconds, as `Date.now()` gives it) as an instant. */
export function instantFromMs(ms: number): Instant {
  return (Math.round(ms) * US_PER_MS) as Instant;
}

/** The second `isoFromMs` last wrote, and its text up to the milliseconds (`2026-12-03T13:00:02.`). */
let isoSecond = NaN;
let isoPrefix = '';

/**
 * `new Date(ms).toISOString()`, with the text up to the second kept from the previous call: every
 * decision writes its time (issue 15: 1.4 µs a call on a slow host, ~1% of a decision's CPU), and
 * the decisions of one second share all but the milliseconds. Milliseconds before 1970 or past
 * the year 9999 (a text of another shape) go to Date each time.
 */
export function isoFromMs(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    const text = new Date(ms).toISOString();
    if (ms < 0 || text.length !== 24) return text;
    isoSecond = second;
    isoPrefix = text.slice(0, 20);
    return text;
  }
  const milli = ms - second * 1000;
  return `${isoPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

export function instantFromUs(us: number): Instant {
  return Math.trunc(us) as Instant;
}

/** The millisecond the instant falls in (for Date and Intl, which know nothing finer). */
export function msOf(at: Instant): number {
  return Math.floor(at / US_PER_MS);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO-8601 moment (`2022-03-15`, `2022-03-15T14:30`, `...:00.000001+01:00`, `...Z`), exact to the
 * microsecond (further digits are dropped, as Python's `fromisoformat` does); null when it is not
 * one. A moment without an offset is wall-clock time in `zone`; one that a change of the clocks
 * makes ambiguous or skips reads with the offset before the change (Python's `fold=0`).
 */
export function parseInstant(text: string, zone: Zone): Instant | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const micros = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, '0'));
  const wall = wallUs(year!, month!, day!, hour, minute, second) + micros;
  const offset = m[8];
  if (offset === undefined) return instantOfWall(wall, zone);
  if (offset.toUpperCase() === 'Z') return wall as Instant;
  const o = /^([+-])(\d{2}):?(\d{2})$/.exec(offset)!;
  if (Number(o[2]) > 23 || Number(o[3]) > 59) return null;
  const seconds = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 3600 + Number(o[3]) * 60);
  return (wall - seconds * US_PER_SECOND) as Instant;
}

/** Microseconds since the epoch of a wall-clock reading taken as if it were UTC. */
function wallUs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() * US_PER_MS;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAY_MS = 86_400_000;

/** The instant a wall-clock reading in `zone` denotes (see parseInstant for the changes of the clocks). */
export function instantOfWall(wall: number, zone: Zone): Instant {
  if (zone.fixedOffsetSeconds !== null) return (wall - zone.fixedOffsetSeconds * US_PER_SECOND) as Instant;
  const wallMs = Math.floor(wall / US_PER_MS);
  // At most one change of the clocks within a day either side: try the offsets before and after.
  const before = zone.offsetSecondsAt(wallMs - DAY_MS);
  const after = zone.offsetSecondsAt(wallMs + DAY_MS);
  for (const offset of [before, after]) {
    if (zone.offsetSecondsAt(wallMs - offset * 1000) === offset) return (wall - offset * US_PER_SECOND) as Instant;
  }
  return (wall - before * US_PER_SECOND) as Instant;
}

/** ISO-8601 in UTC, with microseconds when the instant has any (`2022-03-15T14:30:00.000001Z`). */
export function formatInstant(at: Instant): string {
  const ms = msOf(at);
  const iso = new Date(ms).toISOString();
  const rest = at - ms * US_PER_MS;
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}
