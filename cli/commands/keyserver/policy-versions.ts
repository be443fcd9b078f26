/**
 * `keyserver policy list`, `policy --rollback V`, and four eyes: `policy --require-approvals 2`
 * makes loads pending until another admin runs `policy --approve P` (runtime/admin/approvals.ts).
 */
import type { Command } from 'commander';
import { CliError, UsageError } from '../../errors.js';
import { requireIdentity } from '../../../runtime/admin/keyserver.js';
import { describeLoad, refused, serverZone, type LoadResult } from '../../../runtime/admin/policy.js';
import { ApprovalError, approvePending, listPending, requiredApprovals, setRequiredApprovals, type PendingPolicy } from '../../../runtime/admin/approvals.js';
import { listVersions, rollback, RollbackError, type VersionRow } from '../../../runtime/admin/versions.js';
import type { ZoneInfo } from '../../../compiler/zone-info.js';
import type { KssStore } from '../../../runtime/store/types.js';
import { keepPolicyFile, policyDirFor, policyFilePath } from '../../../runtime/datadir/policy-file.js';
import { zoneProblem } from '../../../runtime/time/index.js';
import { actor, formatOption, withOpenStore, type OutputFormat, type StoreOpts } from './common.js';

export interface PolicyActions {
  rollback?: string;
  approve?: string;
  requireApprovals?: string;
  tz?: string;
}

/** Runs --rollback, --approve or --require-approvals; false when none was given. */
export async function versionAction(o: StoreOpts & PolicyActions): Promise<boolean> {
  if (o.rollback !== undefined) await rollbackCommand(o, o.rollback, o.tz);
  else if (o.approve !== undefined) await approveCommand(o, o.approve, o.tz);
  else if (o.requireApprovals !== undefined) {
    const n = Number(o.requireApprovals);
    await withOpenStore(o, (s) => setRequiredApprovals(s, n, actor()).catch((e: unknown) => {
      throw e instanceof ApprovalError ? new UsageError(e.message) : e;
    }));
    process.stdout.write(n === 2 ? 'policy_approvals: 2 (a loaded policy waits until another admin approves it)\n' : 'policy_approvals: 1 (a loaded policy is active at once)\n');
  } else return false;
  return true;
}

async function approveCommand(o: StoreOpts, value: string, tz: string | undefined): Promise<void> {
  const id = versionNumber(value, '--approve', 'a pending policy number');
  const zone = zoneOf(tz);
  await activateWith(o, (store) => approvePending(store, id, actor(), zone), `pending policy ${id} no longer loads; it was not activated`, () => `approved pending policy ${id}`);
}

/**
 * Runs a load (approve, rollback) on the store, turning its refusals into messages, and says what
 * it did; once active, the data directory's keyserver.yml holds the text.
 */
async function activateWith(o: StoreOpts, load: (store: KssStore) => Promise<LoadResult>, noLonger: string, headline: (r: LoadResult) => string): Promise<void> {
  const { result, kept } = await withOpenStore(o, async (store) => {
    let result: LoadResult;
    try {
      result = await load(store);
    } catch (e) {
      throw e instanceof ApprovalError || e instanceof RollbackError ? new CliError(e.message, 1) : e;
    }
    // Its text was accepted once; in another zone or a newer kss it may not be.
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    if (refused(result)) throw new CliError(`${noLonger} (${errors.join('; ')})`, 1);
    return { result, kept: result.pending ? null : await keepInDataDir(o, store, result.text) };
  });
  process.stdout.write(`${headline(result)}\n${describeLoad(result)}`);
  if (kept) process.stdout.write(`${kept} now holds this policy\n`);
}

function versionNumber(value: string, option: string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} takes ${what} (see \`kss keyserver policy list\`), not \`${value}\``);
  return n;
}

function zoneOf(tz: string | undefined): ZoneInfo {
  const problem = tz === undefined ? null : zoneProblem(tz);
  if (problem) throw new UsageError(problem);
  return serverZone(tz);
}

/** The data directory's keyserver.yml follows the active policy; null without a data directory. */
async function keepInDataDir(o: StoreOpts, store: KssStore, text: string): Promise<string | null> {
  const dataDir = policyDirFor(o, (await requireIdentity(store)).id);
  if (dataDir === null) return null;
  keepPolicyFile(dataDir, text, true);
  return policyFilePath(dataDir);
}

export function registerPolicyList(policy: Command): void {
  // The store options are `policy`'s own: commander gives them to the parent wherever they stand.
  formatOption(policy.command('list').description('the policy versions: version, sha-256, who loaded it, when, quota counters kept and reset'))
    .action(async (o: { format: OutputFormat }) => {
      // `policy` has a --format too (for --dry-run), and commander gives it `list --format` as well.
      const format = policy.opts<{ format?: OutputFormat }>().format ?? o.format;
      const r = await withOpenStore(policy.opts<StoreOpts>(), async (s) => ({
        policy_approvals: await requiredApprovals(s),
        versions: await listVersions(s),
        pending: (await listPending(s)).map(({ source: _s, note: _n, ...p }) => p),
      }));
      process.stdout.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : versionsText(r.versions) + pendingText(r.pending, r.policy_approvals));
    });
}

function versionsText(rows: VersionRow[]): string {
  if (rows.length === 0) return 'no policy version yet (load one with `kss keyserver policy --load FILE`)\n';
  const counts = (n: number | null) => (n === null ? '?' : String(n));
  const lines = [`  version  ${'sha256'.padEnd(64)}  loaded at                 kept  reset  loaded by`];
  for (const r of rows) {
    const note = r.rollback_of === null ? '' : `  (rollback to ${r.rollback_of})`;
    lines.push(`${r.active ? '*' : ' '} ${String(r.version).padStart(7)}  ${r.sha256}  ${r.loaded_at.padEnd(24)}  ${counts(r.kept).padStart(4)}  ${counts(r.reset).padStart(5)}  ${r.loaded_by}${note}`);
  }
  lines.push('(* the active version; kept/reset: rule ids whose quota counters the load kept or reset)');
  return `${lines.join('\n')}\n`;
}

function pendingText(pending: PendingPolicy[], approvals: number): string {
  const lines = [`policy_approvals: ${approvals}${approvals > 1 ? ' (a load waits for another admin)' : ''}`];
  for (const p of pending) lines.push(`pending ${p.id}: sha256 ${p.sha256}, loaded ${p.proposed_at} by ${p.proposed_by}; approve with \`kss keyserver policy --approve ${p.id}\``);
  return `${lines.join('\n')}\n`;
}

/** `policy --rollback V`: V's text becomes a new active version, and keyserver.yml holds it again. */
async function rollbackCommand(o: StoreOpts, value: string, tz: string | undefined): Promise<void> {
  const version = versionNumber(value, '--rollback', 'a version number');
  const zone = zoneOf(tz);
  await activateWith(o, (store) => rollback(store, version, actor(), zone), `version ${version} no longer loads; the active policy is unchanged`,
    (r) => (r.pending ? `a rollback to the text of version ${version} waits for approval` : `rolled back to the text of version ${version}`));
}
