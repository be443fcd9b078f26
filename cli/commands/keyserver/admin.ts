/** `keyserver enable|disable|status|policy`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError, UsageError } from '../../errors.js';
import { requireIdentity, setEnabled, statusReport } from '../../../runtime/admin/keyserver.js';
import { loadPolicyText } from '../../../runtime/admin/load-file.js';
import { describeLoad, serverZone } from '../../../runtime/admin/policy.js';
import { zoneProblem } from '../../../runtime/time/index.js';
import { policyDirFor, policyText, readPolicyFile, type PolicyText } from '../../../runtime/datadir/policy-file.js';
import { actor, findKeyserver, formatOption, printDiagnostics, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';
import { createAndReport, creationOptions, noteSecurityChecks, type CreateOpts } from './identity.js';
import { registerPolicyList, versionAction, type PolicyActions } from './policy-versions.js';
import { dryRunCommand } from './dry-run.js';
import { shadowAction, type ShadowActions } from './shadow.js';

export function registerAdmin(ks: Command): void {
  creationOptions(withStore(ks.command('enable').description('start answering requests (with --backup-path on a data directory without a keyserver: create one, as older versions did)')))
    .action(async (o: CreateOpts) => {
      if (o.backupPath !== undefined) {
        const existing = await findKeyserver(o);
        if (!existing) return createAndReport(o);
        throw new CliError(
          `a keyserver already exists in ${existing.location} (\`${existing.id}\`), and \`--backup-path\` creates one: ` +
            'run `kss keyserver enable` without it to enable that keyserver, or `kss keyserver save-backup-key PATH` for another backup key',
          1,
        );
      }
      noteSecurityChecks(o);
      await withOpenStore(o, (s) => setEnabled(s, true, actor()));
      process.stdout.write('Keyserver enabled\n');
    });
  withStore(ks.command('disable').description('answer every request with 503 until enabled'))
    .action(async (o: StoreOpts) => {
      await withOpenStore(o, (s) => setEnabled(s, false, actor()));
      process.stdout.write('Keyserver disabled\n');
    });

  formatOption(withStore(ks.command('status').description('keyserver id, enabled, policy version and sha, counts')))
    .action(async (o: StoreOpts & { format: OutputFormat }) => {
      const r = await withOpenStore(o, statusReport);
      if (o.format === 'json') {
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        return;
      }
      const p = r.policy;
      process.stdout.write(
        [
          `keyserver id:   ${r.keyserver_id}`,
          `public key:     ${r.public_key}`,
          `enabled:        ${r.enabled ? 'yes' : 'no'}`,
          `policy:         ${p ? `version ${p.version}, sha256 ${p.sha256}, from ${p.file}, ${p.loaded_at} by ${p.loaded_by}` : 'none loaded'}`,
          `quota counters: ${r.counts.quota_counters}`,
          `tokens:         ${r.counts.tokens}`,
          `audit entries:  ${r.counts.audit_entries}`,
        ].join('\n') + '\n',
      );
    });

  const policy = withStore(ks.command('policy').description("load the data directory's keyserver.yml (or PATH, which then replaces it), dump the active policy, list versions or roll back to one"))
    .option('--load [path]', 'check and activate keyserver.yml in the data directory, or PATH (copied to keyserver.yml once accepted)')
    .option('--dump <path>', 'write the active policy source to a file (`-` for stdout)')
    .option('--dry-run', 'with --load FILE: show the quota counters it would keep and reset and replay recent decisions through it; activate nothing')
    .option('--replay <n>', 'with --dry-run: how many of the most recent decisions to replay', '10000')
    // No default: commander gives `policy list --format` to this command too (registerPolicyList).
    .addOption(new Option('--format <format>', 'with --dry-run (or `policy list`): text or json').choices(['text', 'json']))
    .option('--shadow', 'with --load FILE: run it beside the active policy on every request, without quota effects (disagreements in /metrics and the audit)')
    .option('--promote', 'make the shadow policy the active one (with policy_approvals: 2 it waits for approval)')
    .option('--drop-shadow', 'stop the shadow policy')
    .option('--rollback <version>', "activate an earlier version's text again, as a new version (see `policy list`)")
    .option('--approve <pending>', 'activate a pending policy another admin loaded (with `--require-approvals 2`)')
    .option('--require-approvals <n>', 'the keyserver setting policy_approvals: 1 (a load activates) or 2 (a load waits for another admin\'s --approve)')
    .option('--tz <zone>', "with --load, --rollback or --approve: the server's time zone, for the checks that depend on it (default the machine's, as kss serve's)")
    .action(async (o: StoreOpts & PolicyActions & ShadowActions & { load?: string | true; dump?: string; dryRun?: boolean; replay: string; format?: OutputFormat }) => {
      if ([o.load ?? o.promote ?? o.dropShadow, o.dump, o.rollback, o.approve, o.requireApprovals].filter((x) => x !== undefined).length > 1) {
        throw new UsageError('give one of --load, --dump, --rollback, --approve, --require-approvals, --promote and --drop-shadow');
      }
      if (o.format !== undefined && !o.dryRun) throw new UsageError('--format goes with --load FILE --dry-run, or with `policy list`');
      if (await shadowAction(o, o.load)) return;
      if (o.dryRun && typeof o.load !== 'string') throw new UsageError('--dry-run goes with --load FILE: the candidate policy to try');
      if (o.dryRun) return dryRunCommand(o, o.load as string, o.tz, o.replay, o.format ?? 'text');
      if (o.load !== undefined) return loadCommand(o, o.load === true ? undefined : o.load, o.tz);
      if (await versionAction(o)) return;
      if (o.dump === undefined) throw new UsageError('say what to do: --load [PATH], --dump PATH, --rollback V, --approve P, --require-approvals N, or `policy list`');
      const policy = await withOpenStore(o, (s) => s.activePolicy());
      if (!policy) throw new CliError('no policy is loaded', 1);
      if (o.dump === '-') process.stdout.write(policy.source);
      else {
        writeFileSync(o.dump, policy.source);
        process.stdout.write(`policy version ${policy.version} (sha256 ${policy.sha256}) written to ${o.dump}\n`);
      }
    });
  registerPolicyList(policy);
}

async function loadCommand(o: StoreOpts, path: string | undefined, tz: string | undefined): Promise<void> {
  const problem = tz === undefined ? null : zoneProblem(tz);
  if (problem) throw new UsageError(problem);
  const zone = serverZone(tz);
  const { source, result } = await withOpenStore(o, async (store) => {
    const dataDir = policyDirFor(o, (await requireIdentity(store)).id);
    const source = path === undefined ? policyFileOf(o, dataDir) : readText(path);
    return { source, result: await loadPolicyText(store, source, { actor: actor(), dataDir, copy: path !== undefined, zone }) };
  });
  // Warnings of an accepted policy (a refused one's diagnostics are printed by guard).
  printDiagnostics(source.path, source.text, result.diagnostics);
  process.stdout.write(describeLoad(result));
  if (path !== undefined && result.kept) process.stdout.write(`${result.kept} now holds this policy\n`);
}

function policyFileOf(o: StoreOpts, dataDir: string | null): PolicyText {
  if (dataDir === null) {
    throw new UsageError(`\`${o.dataDir}\` is not a data directory of this keyserver, so there is no keyserver.yml to load: give a PATH, or the --data-dir of one of its instances`);
  }
  const file = readPolicyFile(dataDir);
  if (!file) throw new CliError(`there is no ${dataDir}/keyserver.yml: write the policy there, or give a PATH (\`kss keyserver policy --load PATH\`)`, 1);
  return file;
}

function readText(path: string): PolicyText {
  try {
    return policyText(path, readFileSync(path));
  } catch (e) {
    throw new CliError(`cannot read \`${path}\` (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 1);
  }
}
