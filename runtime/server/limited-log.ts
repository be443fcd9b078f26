/**
 * A failure that repeats on every request (a full disk: thousands of answers a second) is logged
 * once per distinct message per window, with how many were left out since, not once per request.
 */
import type { Logger, LogLevel } from './log.js';

export const REPEAT_WINDOW_MS = 5000;

export type LimitedLogger = (level: LogLevel, msg: string, fields: Record<string, unknown> & { error: string }) => void;

export function limitedLogger(log: Logger, windowMs = REPEAT_WINDOW_MS, now: () => number = Date.now): LimitedLogger {
  const last = new Map<string, { at: number; skipped: number }>();
  return (level, msg, fields) => {
    const key = `${msg}\n${fields.error}`;
    const seen = last.get(key);
    const t = now();
    if (seen && t - seen.at < windowMs) {
      seen.skipped++;
      return;
    }
    // Bounded: distinct messages are few, but an error text could embed a varying detail.
    if (last.size > 100) last.clear();
    last.set(key, { at: t, skipped: 0 });
    log(level, msg, seen?.skipped ? { ...fields, repeated: seen.skipped } : fields);
  };
}
