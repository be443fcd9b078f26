/** Shared pieces of the `kss keyserver ...` commands: store options, actor, passphrase, errors. */
import { userInfo, hostname } from 'node:os';
import { Option, type Command } from 'commander';
import type { Diagnostic } from '../../../compiler/diagnostics.js';
import { formatText } from '../../format/text.js';
import { CliError, UsageError } from '../../errors.js';
import { PolicyRefused } from '../../../runtime/admin/load-file.js';
import { BackupError } from '../../../runtime/identity/backup.js';
import { signAfterCommand } from '../../../runtime/audit/signer.js';
import { openStore, DEFAULT_DATA_DIR, type StoreTarget } from '../../../runtime/store/open.js';
import { redact } from '../../../runtime/store/mysql/uri.js';
import { sqliteProblem } from '../../../runtime/store/sqlite/errors.js';
import { StoreError, type KssStore } from '../../../runtime/store/types.js';

export interface StoreOpts {
  dataDir: string;
  dbUri?: string;
}

/** Every keyserver command takes the same way to find its store. */
export function withStore(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'data directory of the keyserver (with --db-uri: of this instance, which keeps its signing key there)', DEFAULT_DATA_DIR)
    .option('--db-uri <uri>', 'cluster database (`mysql:host=H,...` or `mysql://U@H:P/D`) instead of a data directory');
}

/** With --db-uri the data directory still matters: it holds this instance's signing key. */
export function target(o: StoreOpts): StoreTarget {
  return o.dbUri ? { dbUri: o.dbUri, dataDir: o.dataDir } : { dataDir: o.dataDir };
}

/** The options that name this store again, for the next steps a command suggests (no password). */
export function storeArgs(o: StoreOpts): string {
  return o.dbUri ? `--db-uri ${redact(o.dbUri)} --data-dir ${o.dataDir}` : `--data-dir ${o.dataDir}`;
}

/** The keyserver the store already holds, or null when there is no store or no keyserver yet. */
export async function findKeyserver(o: StoreOpts): Promise<{ id: string; location: string } | null> {
  let store: KssStore;
  try {
    store = await openStore(target(o));
  } catch (e) {
    if (e instanceof StoreError && e.code === 'not-found') return null;
    return guard(() => Promise.reject(e));
  }
  try {
    const identity = await guard(() => store.getIdentity());
    return identity && { id: identity.id, location: store.location };
  } finally {
    await store.close();
  }
}

export function actor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return `cli:${user}@${hostname()}`;
}

/**
 * Runs an action with the store open, turning known failures into messages (no stack traces).
 * Entries the action appended to the audit log get a signed checkpoint (runtime/audit/signer.ts)
 * unless `sign` is false (`audit --verify` must not sign what it was asked to check).
 */
export async function withOpenStore<T>(o: StoreOpts, fn: (store: KssStore) => Promise<T>, opts: { sign?: boolean } = {}): Promise<T> {
  const store = await guard(() => openStore(target(o)));
  try {
    const before = opts.sign === false ? null : ((await guard(() => store.lastAudit()))?.seq ?? 0);
    const result = await guard(() => fn(store));
    if (before !== null) {
      const refused = await guard(() => signAfterCommand(store, o.dataDir, before));
      if (refused) process.stderr.write(`warning: ${refused}\n`);
    }
    return result;
  } finally {
    await store.close();
  }
}

export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StoreError || e instanceof BackupError) throw new CliError(e.message, 1);
    if (e instanceof PolicyRefused) {
      printDiagnostics(e.source.path, e.source.text, e.diagnostics);
      throw new CliError(e.message, 1);
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EEXIST') {
      throw new CliError(`${(e as Error).message.replace(/^\w+: /, '')}`, 1);
    }
    if (code === 'SQLITE_BUSY') throw new CliError('the database is busy (another process holds it); try again', 1);
    // A write refused after the store opened (read-only file, full disk, damage found later).
    const problem = sqliteProblem(e, (e as { file?: string }).file ?? 'kss.db');
    if (problem) throw new CliError(problem.message, 1);
    throw e;
  }
}

/** A whole backup file's passphrase: KSS_BACKUP_PASSPHRASE, or a prompt without echo on a terminal (share files: backup-passphrases.ts). */
export async function passphrase(confirm: boolean): Promise<string> {
  const env = process.env.KSS_BACKUP_PASSPHRASE;
  if (env !== undefined && env !== '') return env;
  if (!process.stdin.isTTY) {
    throw new UsageError('a backup passphrase is needed: set KSS_BACKUP_PASSPHRASE or run on a terminal to be asked');
  }
  return askPassphrase('Backup passphrase: ', confirm);
}

/** Asks on the terminal (no echo): at least 8 characters, typed twice when `confirm`. */
export async function askPassphrase(question: string, confirm: boolean): Promise<string> {
  const first = await promptHidden(question);
  if (first.length < 8) throw new UsageError('the passphrase must have at least 8 characters');
  if (confirm && (await promptHidden('Repeat passphrase: ')) !== first) throw new UsageError('the passphrases differ');
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Raw mode (no echo) before the question: an answer typed the moment it shows is not echoed either.
    stdin.setRawMode(true);
    process.stderr.write(question);
    stdin.resume();
    let text = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CliError('cancelled', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export type OutputFormat = 'text' | 'json';

export function formatOption(cmd: Command): Command {
  return cmd.addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
}

/**
 * The diagnostics of a policy, on stderr, exactly as `kss check` prints them: the keyserver
 * commands and `kss serve` share check's formatter rather than keep one of their own.
 */
export function printDiagnostics(file: string, text: string, diagnostics: Diagnostic[]): void {
  if (diagnostics.length > 0) process.stderr.write(formatText([{ file, text, diagnostics }], { color: false }));
}
