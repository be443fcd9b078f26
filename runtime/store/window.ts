/** The calendar hour and day of a moment in the server's zone (IANA name, `UTC` or `±HH:MM`). */
import type { QuotaWindow } from '../evaluator/types.js';

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for an unknown zone: callers validate `--tz` once at start-up. */
export function quotaWindow(now: number, tz: string): QuotaWindow {
  const m = OFFSET.exec(tz);
  let parts: { y: string; mo: string; d: string; h: string };
  if (m || tz === 'UTC' || tz === 'Z') {
    const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    const iso = new Date(now + offsetMin * 60_000).toISOString();
    parts = { y: iso.slice(0, 4), mo: iso.slice(5, 7), d: iso.slice(8, 10), h: iso.slice(11, 13) };
  } else {
    let f = formatters.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
      formatters.set(tz, f);
    }
    const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]));
    parts = { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! };
  }
  const day = `${parts.y}-${parts.mo}-${parts.d}`;
  return { day, hour: `${day}T${parts.h}` };
}

/** The machine's zone, the default for `--tz`. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function validZone(tz: string): boolean {
  try {
    quotaWindow(0, tz);
    return true;
  } catch {
    return false;
  }
}
