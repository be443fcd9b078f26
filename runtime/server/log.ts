/**
 * Structured logs with pino: one JSON object per line on stderr (`ts`, `level`, `msg`, fields).
 * Callers pass fields, never tokens, request bodies or keys; the redaction below is a second line
 * of defence for fields named like secrets, at the top level or one object down.
 */
import { pino, type DestinationStream } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const SECRET_KEYS = ['authorization', 'token', 'tokens', 'secret', 'password', 'passphrase', 'private_key', 'privateKey', 'cookie'];
export const REDACTED_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'headers.authorization', 'req.headers.authorization'];

export function jsonLogger(min: LogLevel = 'info', write?: (line: string) => void): Logger {
  // Synchronous: the last lines before an exit (a refused start) must reach stderr.
  const dest: DestinationStream = write ? { write } : pino.destination({ dest: 2, sync: true });
  const log = pino(
    {
      level: min,
      base: null,
      timestamp: () => `,"ts":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    dest,
  );
  return (level, msg, fields = {}) => log[level](fields, msg);
}

/** `KSS_LOG_LEVEL` (debug logs every refused request); anything unknown means info. */
export function logLevel(v: string | undefined): LogLevel {
  return v === 'debug' || v === 'warn' || v === 'error' ? v : 'info';
}
