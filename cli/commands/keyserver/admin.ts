/** `keyserver enable|disable|status|policy`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { setEnabled, statusReport } from '../../../runtime/admin/keyserver.js';
import { describeActivation, formatDiagnostics, loadPolicy } from '../../../runtime/admin/policy.js';
import { actor, checkFormat, formatOption, withOpenStore, withStore, type StoreOpts } from './common.js';

export function registerAdmin(ks: Command): void {
  for (const enabled of [true, false]) {
    withStore(ks.command(enabled ? 'enable' : 'disable').description(enabled ? 'start answering requests' : 'answer every request with 503 until enabled'))
      .action(async (o: StoreOpts) => {
        await withOpenStore(o, (s) => setEnabled(s, enabled, actor()));
        process.stdout.write(`Keyserver ${enabled ? 'enabled' : 'disabled'}\n`);
      });
  }

  formatOption(withStore(ks.command('status').description('keyserver id, enabled, policy version and sha, counts')))
    .action(async (o: StoreOpts & { format: string }) => {
      const format = checkFormat(o.format);
      const r = await withOpenStore(o, statusReport);
      if (format === 'json') {
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

  withStore(ks.command('policy').description('load or dump the active policy'))
    .option('--load [path]', 'check and activate a policy file (default keyserver.yml)')
    .option('--dump <path>', 'write the active policy source to a file (`-` for stdout)')
    .action(async (o: StoreOpts & { load?: string | true; dump?: string }) => {
      if ((o.load === undefined) === (o.dump === undefined)) throw new CliError('give exactly one of --load [PATH] or --dump PATH', 2);
      if (o.load !== undefined) {
        const path = o.load === true ? 'keyserver.yml' : o.load;
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (e) {
          throw new CliError(`cannot read \`${path}\` (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 1);
        }
        const result = await withOpenStore(o, (s) => loadPolicy(s, text, path, actor()));
        if (result.diagnostics.length) process.stderr.write(formatDiagnostics(path, text, result.diagnostics));
        if (!result.activation) throw new CliError(`\`${path}\` has errors; the policy was not loaded (the active policy is unchanged)`, 1);
        process.stdout.write(describeActivation(result.activation));
        return;
      }
      const policy = await withOpenStore(o, (s) => s.activePolicy());
      if (!policy) throw new CliError('no policy is loaded', 1);
      if (o.dump === '-') process.stdout.write(policy.source);
      else {
        writeFileSync(o.dump!, policy.source);
        process.stdout.write(`policy version ${policy.version} (sha256 ${policy.sha256}) written to ${o.dump}\n`);
      }
    });
}
