/**
 * Misuse of every `kss keyserver` subcommand (real processes): exit status 2, a message that says
 * what is missing or wrong, and a pointer to that very subcommand's help.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main.js';
import { KSS, ROOT } from './cli-helpers.js';

const EMPTY = mkdtempSync(join(tmpdir(), 'kss-usage-'));
afterAll(() => rmSync(EMPTY, { recursive: true, force: true }));

function run(args: string[]): Promise<{ status: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [KSS, ...args], { cwd: ROOT, env: { ...process.env, KSS_BACKUP_PASSPHRASE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** At most `width` at once: the machine has 2 cores shared with other test files. */
async function inBatches<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return out;
}

/** Every command under `cmd` (itself included) by path, with whether it runs (has no subcommands). */
function allCommands(cmd: Command, path: string[] = []): Array<{ path: string[]; leaf: boolean }> {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  return [{ path, leaf: subs.length === 0 }, ...subs.flatMap((c) => allCommands(c, [...path, c.name()]))];
}

/** A command that runs gets an empty data directory, so that no test touches `./.kss`. */
const dataDirArgs = (leaf: boolean) => (leaf ? ['--data-dir', EMPTY] : []);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const help = (path: string[]) => `(run \`kss keyserver${path.map((p) => ` ${p}`).join('')} --help\` for usage)\n`;

describe('usage errors of kss keyserver', () => {
  it('every subcommand: an unknown option exits 2 and points to its own help', async () => {
    const program = await buildProgram('keyserver');
    const keyserver = program.commands.find((c) => c.name() === 'keyserver')!;
    const commands = allCommands(keyserver);
    expect(commands.length).toBeGreaterThan(20);
    const results = await inBatches(commands, 4, ({ path, leaf }) => run(['keyserver', ...path, ...dataDirArgs(leaf), '--no-such-option']));
    for (const [i, r] of results.entries()) {
      const { path } = commands[i]!;
      // The unknown option, or a required option commander checks before it (`token create --role`).
      expect({ path, status: r.status, stderr: r.stderr }).toEqual({
        path, status: 2, stderr: expect.stringMatching(new RegExp(`^error: (unknown option '--no-such-option'|--\\S+ [A-Z_]+ is required)\n${escape(help(path))}$`)),
      });
    }
  }, 120_000); // one CLI process per subcommand (more than 20, 4 at a time): slow hosts need more than 30 s

  /** [subcommand, its arguments, the message] */
  const cases: Array<[string, string[], string]> = [
    ['policy', ['--dump'], 'error: --dump needs a PATH'],
    ['policy', [], 'error: say what to do: --load [PATH], --dump PATH, --rollback V, --approve P, --require-approvals N, or `policy list`'],
    ['policy', ['--load', '--dump', 'x'], 'error: give one of --load, --dump, --rollback, --approve, --require-approvals, --promote and --drop-shadow'],
    ['policy', ['--rollback', 'latest'], 'error: --rollback takes a version number (see `kss keyserver policy list`), not `latest`'],
    ['policy', ['--shadow'], 'error: --shadow goes with --load FILE: the candidate policy to run beside the active one'],
    ['policy', ['list', '--format', 'xml'], 'error: --format must be text or json, not `xml`'],
    ['token create', [], 'error: --role ROLE is required'],
    ['token create', ['--role', 'root'], 'error: --role must be client or admin, not `root`'],
    ['status', ['--format', 'xml'], 'error: --format must be text or json, not `xml`'],
    ['save-backup-key', [], 'error: PATH is missing (file to write)'],
    ['recovery-ingest-key', [], 'error: PATHS is missing (the backup key file, or at least the threshold of its share files)'],
    ['initialize', ['--backup-key', 'k'], 'error: --db-uri URI is required'],
    ['clone-db', [], 'error: NEW_URI is missing (an empty MySQL/MariaDB database (`mysql:host=H,...` or `mysql://U:W@H:P/D`))'],
    ['instance remove', [], 'error: ID is missing (instance id from `instance list`, or a unique start of it)'],
    ['create', ['extra'], 'error: too many arguments (expected 0, got 1)'],
    ['create', ['--backup-path', join(EMPTY, 'b.txt'), '--ignore-security-checks'], 'note: --ignore-security-checks: a single backup key file is one point of loss and of theft (split it with --backup-shares 5 --backup-threshold 3)\nerror: a backup passphrase is needed: set KSS_BACKUP_PASSPHRASE or run on a terminal to be asked'],
    ['quota clear', [], 'error: give exactly one of --profile ID or --all'],
    ['quota clear', ['--profile', 'alice'], 'error: `alice` is not a profile id: a profile id is hex digits, two per byte, as requests carry it (for example `00112233445566778899aabbccddeeff`)'],
    ['quota list', ['--tz', 'Mars/Base'], 'error: unknown time zone `Mars/Base`: use an IANA name such as `Europe/Berlin`, `UTC`, or a fixed offset such as `+04:00`'],
    ['audit', ['--limit', '0'], 'error: --limit must be a positive integer, not `0`'],
    ['instance', ['frob'], "error: unknown command 'frob'"],
  ];

  it('says what is missing or wrong, in words', async () => {
    const results = await inBatches(cases, 4, ([cmd, args]) => run(['keyserver', ...cmd.split(' '), ...dataDirArgs(cmd !== 'instance'), ...args]));
    for (const [i, r] of results.entries()) {
      const [cmd, args, message] = cases[i]!;
      expect({ cmd, args, status: r.status, stderr: r.stderr }).toEqual({ cmd, args, status: 2, stderr: `${message}\n${help(cmd.split(' '))}` });
    }
  });
});
