/**
 * Structured logs: one JSON object per line on stderr. Callers pass fields, never tokens,
 * request bodies or keys; `redact` is a second line of defence for fields named like secrets.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const SECRET = /token|secret|password|passphrase|private|authorization/i;

export function jsonLogger(min: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return (level, msg, fields = {}) => {
    if (RANK[level] < RANK[min]) return;
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) clean[k] = SECRET.test(k) && k !== 'token_id' ? '[redacted]' : v;
    write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...clean })}\n`);
  };
}

/** `KSS_LOG_LEVEL` (debug logs every refused request); anything unknown means info. */
export function logLevel(v: string | undefined): LogLevel {
  return v === 'debug' || v === 'warn' || v === 'error' ? v : 'info';
}
