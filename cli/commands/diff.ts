/**
 * `kss diff OLD NEW [--format text|json|markdown|github] [--tz Z]`: what the new policy decides
 * differently (runtime/diff). OLD and NEW are files or git revisions (`main:keyserver.yml`, read
 * with `git show`). Exit 0: no decision changes; 1: changes or questions that may change; 2: misuse.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { diffPolicies } from '../../runtime/diff/index.js';
import { instantFromMs } from '../../runtime/time/index.js';
import { CliError, EXIT } from '../errors.js';
import { DIFF_FORMATS, formatDiff, type DiffFormat } from '../format/diff.js';
import { checkZone, compileOrExit, readBytes, zoneInfo } from './eval.js';

interface DiffOptions {
  format: DiffFormat;
  tz?: string;
}

export function register(program: Command): void {
  program
    .command('diff')
    .description('what a new policy decides differently from an old one, with witness requests')
    .argument('<old>', 'the old keyserver.yml: a file, or a git revision such as main:keyserver.yml')
    .argument('<new>', 'the new keyserver.yml: a file, or a git revision')
    .addOption(new Option('--format <format>', 'output').choices(DIFF_FORMATS).default('text'))
    .option('--tz <zone>', "the server's time zone: IANA name or fixed offset like +04:00 (default: this machine's)")
    .action((oldArg: string, newArg: string, opts: DiffOptions) => {
      const zone = checkZone(opts.tz);
      const info = zoneInfo(zone);
      const [oldArtifact, newArtifact] = [oldArg, newArg].map((arg) => {
        try {
          return compileOrExit(sourceOf(arg), arg, true, info);
        } catch (error) {
          // A policy that does not compile is a misuse of diff, not a change.
          if (error instanceof CliError) throw new CliError(error.message, EXIT.usage);
          throw error;
        }
      });
      const report = diffPolicies(oldArtifact!, newArtifact!, { zone, from: instantFromMs(Date.now()) });
      process.stdout.write(formatDiff(report, opts.format, { old: oldArg, new: newArg }));
      process.exitCode = report.changes.length > 0 || report.may_change.length > 0 ? EXIT.failed : EXIT.ok;
    });
}

/** A file's bytes, or `REV:PATH` from git when no such file exists. */
function sourceOf(arg: string): Buffer {
  const revision = /^([^:]+):(.+)$/.exec(arg);
  if (existsSync(arg) || !revision) return readBytes(arg, 'policy');
  try {
    return execFileSync('git', ['show', arg], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n')[0] ?? '';
    throw new CliError(`cannot read \`${arg}\` from git: ${stderr || (error as Error).message}`, EXIT.usage);
  }
}
