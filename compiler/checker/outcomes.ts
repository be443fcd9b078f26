/**
 * What can be known about a rule's answer without a request: used by the lints about rule sets that
 * always approve (so later ones are unreachable) and rule sets that can never approve.
 */
import type { RuleNode, RuleSetNode, ValueNode } from '../source/ast.js';
import { argument } from './context.js';
import type { CheckContext } from './context.js';
import { comparableMicros } from '../ir/time-of-day.js';
import { readInteger } from '../arguments/read.js';
import { readWindow } from './window.js';
import { mixedZones } from './zone.js';

/** True when the rule approves every request (ignoring arguments that other checks reject). */
export function alwaysApproves(rule: RuleNode): boolean {
  if (rule.kind === 'approve-rule' || rule.kind === 'session-params-rule') return true;
  if (rule.kind !== 'time-range-rule') return false;
  if (argument(rule, 'time_start') || argument(rule, 'time_end')) return false;
  const exclude = argument(rule, 'exclude')?.value.value;
  if (Array.isArray(exclude) ? exclude.length > 0 : exclude !== undefined && exclude !== null) return false;
  const days = argument(rule, 'days')?.value.value;
  if (days === undefined) return true;
  return Array.isArray(days) && [0, 1, 2, 3, 4, 5, 6].every((d) => days.includes(d));
}

export function ruleSetAlwaysApproves(set: RuleSetNode): boolean {
  return set.rules.every(alwaysApproves);
}

export interface NeverReason {
  node: { range: ValueNode['range'] };
  reason: string;
}

/** Why a rule set can never approve, if it provably cannot. */
export function neverApproves(ctx: CheckContext, set: RuleSetNode): NeverReason | null {
  for (const rule of set.rules) {
    if (rule.kind === 'reject-rule') return { node: rule.kindNode?.value ?? rule, reason: 'it contains `reject-rule`, which never approves' };
  }
  for (const rule of set.rules) {
    const ids = rule.kind === 'profile-id-rule' ? argument(rule, 'profile_ids') : undefined;
    if (ids && Array.isArray(ids.value.value) && ids.value.value.length === 0) {
      return { node: ids.value, reason: '`profile_ids` is empty, so its `profile-id-rule` never approves' };
    }
  }
  for (const rule of set.rules) {
    if (rule.kind !== 'per-profile-throttle-rule') continue;
    // The reference approves while the count is below the limit: a limit of 0 never approves.
    const zero = readInteger(rule, 'per_hour') === 0 ? 'per_hour' : readInteger(rule, 'per_day') === 0 ? 'per_day' : null;
    if (zero) return { node: argument(rule, zero)!.value, reason: `\`${zero}\` is 0, so its \`per-profile-throttle-rule\` never approves` };
  }
  const windows = set.rules.filter((r) => r.kind === 'time-range-rule');
  for (const rule of windows) {
    const days = argument(rule, 'days');
    const include = argument(rule, 'include')?.value.value;
    if (days && Array.isArray(days.value.value) && days.value.value.length === 0 && !(Array.isArray(include) && include.length > 0)) {
      return { node: days.value, reason: '`days` is empty and no date is included, so its `time-range-rule` never approves' };
    }
  }
  for (let i = 0; i < windows.length; i++) {
    for (let j = i + 1; j < windows.length; j++) {
      const a = windowOf(ctx, windows[i]!);
      const b = windowOf(ctx, windows[j]!);
      if (a && b && a.zoned === b.zoned && (a.end < b.start || b.end < a.start)) {
        return { node: windows[j]!.kindNode?.value ?? windows[j]!, reason: `its time windows (lines ${windows[i]!.range.start.line} and ${windows[j]!.range.start.line}) do not overlap` };
      }
      const da = daysOf(windows[i]!);
      const db = daysOf(windows[j]!);
      if (da && db && !da.some((d) => db.includes(d))) {
        return { node: windows[j]!.kindNode?.value ?? windows[j]!, reason: `its \`time-range-rule\`s (lines ${windows[i]!.range.start.line} and ${windows[j]!.range.start.line}) share no weekday` };
      }
    }
  }
  return null;
}

function windowOf(ctx: CheckContext, rule: RuleNode): { start: number; end: number; zoned: boolean } | null {
  const window = readWindow(ctx, rule);
  if (!window || mixedZones(window.start.time, window.end.time)) return null;
  return { start: comparableMicros(window.start.time), end: comparableMicros(window.end.time), zoned: window.start.time.offsetSeconds !== null };
}

/** The weekdays a rule can approve on, when it has no `include` dates (which approve whatever the weekday). */
function daysOf(rule: RuleNode): number[] | null {
  const include = argument(rule, 'include')?.value.value;
  if (Array.isArray(include) && include.length > 0) return null;
  const days = argument(rule, 'days')?.value.value;
  if (!Array.isArray(days) || !days.every((d) => typeof d === 'number')) return null;
  return days as number[];
}
