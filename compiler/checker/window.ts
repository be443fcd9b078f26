/** A `time-range-rule`'s two times, read once for every check that reasons about the window. */
import type { RuleNode, ValueNode } from '../source/ast.js';
import type { TimeOfDayIR } from '../ir/types.js';
import { readString } from '../arguments/read.js';
import type { CheckContext } from './context.js';

export interface WindowEnd {
  key: 'time_start' | 'time_end';
  value: ValueNode;
  text: string;
  /** Null when the time cannot be read (invalid-time reports it). */
  time: TimeOfDayIR | null;
}

/** Both ends of the rule's window when both are strings, else null. */
function timeWindow(ctx: CheckContext, rule: RuleNode): { start: WindowEnd; end: WindowEnd } | null {
  const start = readString(rule, 'time_start');
  const end = readString(rule, 'time_end');
  if (!start || !end) return null;
  const read = (key: WindowEnd['key'], item: { value: ValueNode; text: string }): WindowEnd => ({ key, ...item, time: ctx.fragments.time(item.text).value });
  return { start: read('time_start', start), end: read('time_end', end) };
}

/** Both ends when both can be read. */
export function readWindow(ctx: CheckContext, rule: RuleNode): { start: WindowEnd & { time: TimeOfDayIR }; end: WindowEnd & { time: TimeOfDayIR } } | null {
  const window = timeWindow(ctx, rule);
  if (!window || !window.start.time || !window.end.time) return null;
  return window as { start: WindowEnd & { time: TimeOfDayIR }; end: WindowEnd & { time: TimeOfDayIR } };
}
