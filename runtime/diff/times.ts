/**
 * The time side of a diff. A time-range-rule reads the local date (for `include`/`exclude`), the
 * weekday and the time of day against its ends (SPEC 4.3, 4.6). So the classes are: each date either
 * policy names, and for each weekday (and each UTC offset the zone has in the coming year, which
 * moves ends written with an offset) one date no policy names; each split at every rule's ends into
 * intervals of time of day, to the microsecond. Days on which the clocks change are not used as
 * representatives of a weekday.
 */
import { comparableMicros } from '../../compiler/ir/time-of-day.js';
import type { RuleIR } from '../../compiler/ir/types.js';
import { timeApproves } from '../evaluator/semantics.js';
import { formatTimeOfDay, instantFromUs, localMoment, type Instant, type Zone } from '../time/index.js';

export type TimeRule = Extract<RuleIR, { kind: 'time-range-rule' }>;

export interface TimeClass {
  at: Instant;
  /** Every stretch of time this class stands for: a day (`Mondays`, `on 2026-12-25`) and a span of it. */
  stretches: { day: string; span: string }[];
  approves: boolean[];
}

const US_PER_SECOND = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SECOND;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

interface DayRep {
  dayNumber: number;
  offsetSeconds: number;
  label: string;
}

export function timeSpace(rules: readonly TimeRule[], zone: Zone, from: Instant): TimeClass[] {
  const byKey = new Map<string, TimeClass>();
  for (const day of dayReps(rules, zone, from)) {
    const cuts = cutsOf(rules, day.offsetSeconds);
    for (let k = 0; k < cuts.length; k++) {
      const start = cuts[k]!;
      const end = (cuts[k + 1] ?? US_PER_DAY) - 1;
      const at = instantFromUs(day.dayNumber * US_PER_DAY + start - day.offsetSeconds * US_PER_SECOND);
      const local = localMoment(at, zone);
      if (local.usOfDay !== start) continue;
      const approves = rules.map((r) => timeApproves(r, local));
      const key = approves.map((b) => (b ? 1 : 0)).join('');
      const span = cuts.length === 1 ? 'all day' : `${clock(start)}–${clock(end)}`;
      const stretch = { day: day.label, span };
      const known = byKey.get(key);
      if (known) known.stretches.push(stretch);
      else byKey.set(key, { at, stretches: [stretch], approves });
    }
  }
  return [...byKey.values()];
}

/** Stretches in words, the days of one span together: `Mondays, Tuesdays 08:00:00–08:59:59.999999`. */
export function describeStretches(stretches: readonly { day: string; span: string }[]): string[] {
  const bySpan = new Map<string, string[]>();
  for (const { day, span } of stretches) {
    const days = bySpan.get(span) ?? [];
    if (!days.includes(day)) days.push(day);
    bySpan.set(span, days);
  }
  return [...bySpan].map(([span, days]) => `${sortDays(days).join(', ')} ${span}`);
}

function sortDays(days: string[]): string[] {
  const rank = (d: string) => {
    const i = WEEKDAYS.findIndex((w) => d.startsWith(w));
    return i < 0 ? 7 : i;
  };
  return [...days].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function clock(us: number): string {
  const rest = us % US_PER_SECOND;
  return rest === 0 ? formatTimeOfDay(us) : `${formatTimeOfDay(us)}.${String(rest).padStart(6, '0')}`;
}

/** Where the answer of some rule may change within a day at this offset: 0 and each end's edge. */
function cutsOf(rules: readonly TimeRule[], offsetSeconds: number): number[] {
  const cuts = new Set<number>([0]);
  const shift = offsetSeconds * US_PER_SECOND;
  for (const r of rules) {
    if (r.start === null || r.end === null) continue;
    // Both ends are included: `start` is the first moment in, the moment after `end` the first out.
    for (const c of [comparableMicros(r.start, offsetSeconds) + shift, comparableMicros(r.end, offsetSeconds) + shift + 1]) {
      if (c > 0 && c < US_PER_DAY) cuts.add(c);
    }
  }
  return [...cuts].sort((a, b) => a - b);
}

function dayReps(rules: readonly TimeRule[], zone: Zone, from: Instant): DayRep[] {
  const named = new Set(rules.flatMap((r) => [...r.include, ...r.exclude]));
  const reps: DayRep[] = [];
  for (const date of [...named].sort()) {
    const dayNumber = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
    reps.push({ dayNumber, offsetSeconds: zone.offsetSecondsAt(dayNumber * DAY_MS + DAY_MS / 2), label: `on ${date}` });
  }
  const first = Math.floor(from / US_PER_DAY);
  const taken = new Set<string>();
  for (let d = first; d < first + 371; d++) {
    const offsetSeconds = steadyOffset(zone, d);
    if (offsetSeconds === null) continue;
    const date = new Date(d * DAY_MS).toISOString().slice(0, 10);
    const weekday = (((d + 3) % 7) + 7) % 7;
    const key = `${weekday}/${offsetSeconds}`;
    if (named.has(date) || taken.has(key)) continue;
    taken.add(key);
    reps.push({ dayNumber: d, offsetSeconds, label: WEEKDAYS[weekday]! + (zone.fixedOffsetSeconds === null ? ` (UTC offset ${offsetSeconds / 3600}h)` : '') });
  }
  return reps;
}

/** The zone's offset through local day `d`, or null when the clocks change that day. */
function steadyOffset(zone: Zone, d: number): number | null {
  const noon = zone.offsetSecondsAt(d * DAY_MS + DAY_MS / 2);
  const early = zone.offsetSecondsAt(d * DAY_MS - noon * 1000);
  const late = zone.offsetSecondsAt((d + 1) * DAY_MS - noon * 1000 - 1);
  return early === noon && late === noon ? noon : null;
}
