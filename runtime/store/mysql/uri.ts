/**
 * Database URIs of cluster mode, in the reference's form `mysql:host=H,port=P,user=U,password=W,database=D`
 * and the usual `mysql://U:W@H:P/D`. The password may instead come from `KSS_DB_PASSWORD`, so it
 * stays out of shell history and process listings.
 */
import { StoreError } from '../types.js';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/**
 * A URI that cannot be used; the message says what is wrong and how to write it. A StoreError,
 * so every command that opens a store reports it as a message, never a stack trace.
 */
export class DbUriError extends StoreError {
  constructor(message: string) {
    super('not-found', message);
    this.name = 'DbUriError';
  }
}

const FORMS = 'write `mysql:host=H,port=P,user=U,password=W,database=D` or `mysql://U:W@H:P/D`';
const KEYS = new Set(['host', 'port', 'user', 'password', 'database']);

export function isMysqlUri(uri: string): boolean {
  return /^mysql:/i.test(uri.trim());
}

export function parseMysqlUri(uri: string, env: NodeJS.ProcessEnv = process.env): MysqlTarget {
  const text = uri.trim();
  if (!isMysqlUri(text)) throw new DbUriError(`\`${redact(text)}\` is not a MySQL database URI; ${FORMS}`);
  const fields = text.startsWith('mysql://') || /^mysql:\/\//i.test(text) ? fromUrl(text) : fromPairs(text);
  const host = fields.host || '127.0.0.1';
  const portText = fields.port ?? '3306';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new DbUriError(`port \`${portText}\` in the database URI is not a number between 1 and 65535`);
  }
  if (!fields.user) throw new DbUriError(`the database URI names no user; ${FORMS}`);
  if (!fields.database) throw new DbUriError(`the database URI names no database; ${FORMS}`);
  if (!/^[A-Za-z0-9_$]+$/.test(fields.database)) {
    throw new DbUriError(`database name \`${fields.database}\` may only use letters, digits, \`_\` and \`$\``);
  }
  const password = fields.password ?? env.KSS_DB_PASSWORD ?? '';
  return { host, port, user: fields.user, password, database: fields.database };
}

function fromPairs(text: string): Record<string, string> {
  const body = text.slice('mysql:'.length);
  const out: Record<string, string> = {};
  for (const part of body.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new DbUriError(`\`${redactPart(part)}\` in the database URI is not \`key=value\`; ${FORMS}`);
    const key = part.slice(0, eq).trim().toLowerCase();
    if (!KEYS.has(key)) {
      throw new DbUriError(`unknown key \`${key}\` in the database URI; the keys are host, port, user, password, database`);
    }
    if (key in out) throw new DbUriError(`key \`${key}\` appears twice in the database URI`);
    out[key] = part.slice(eq + 1).trim();
  }
  return out;
}

function fromUrl(text: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DbUriError(`\`${redact(text)}\` is not a valid URL; ${FORMS}`);
  }
  const out: Record<string, string> = {};
  // URL keeps IPv6 hosts in brackets; mysql2 wants them bare.
  if (url.hostname) out.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.port) out.port = url.port;
  if (url.username) out.user = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  const db = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (db) out.database = db;
  return out;
}

/** The URI with its password replaced, for messages and logs. */
export function redact(uri: string): string {
  return uri
    .replace(/(mysql:\/\/[^:/@]*:)[^@]*@/i, '$1***@')
    .replace(/(password=)[^,]*/i, '$1***');
}

function redactPart(part: string): string {
  return /^\s*password/i.test(part) ? 'password=***' : part;
}

/** A canonical printable form without the password. */
export function describeTarget(t: MysqlTarget): string {
  return `mysql://${t.user}@${t.host}:${t.port}/${t.database}`;
}
