/** `keyserver token create|list|revoke`. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { createToken, revokeToken } from '../../../runtime/admin/tokens.js';
import { actor, checkFormat, formatOption, withOpenStore, withStore, type StoreOpts } from './common.js';

export function registerToken(ks: Command): void {
  const token = ks.command('token').description('API tokens for the HTTP server');
  withStore(token.command('create').description('create a token (printed once; only its hash is kept)'))
    .requiredOption('--role <role>', 'client (decisions) or admin (everything)')
    .option('--label <text>', 'what the token is for', '')
    .action(async (o: StoreOpts & { role: string; label: string }) => {
      if (o.role !== 'client' && o.role !== 'admin') throw new CliError(`unknown --role \`${o.role}\` (expected client or admin)`, 2);
      const role = o.role;
      const { token: text, record } = await withOpenStore(o, (s) => createToken(s, role, o.label, actor()));
      process.stderr.write(`token ${record.id} (${record.role}) created; it is shown only now:\n`);
      process.stdout.write(`${text}\n`);
    });
  formatOption(withStore(token.command('list').description('list tokens (ids and roles, never the tokens)')))
    .action(async (o: StoreOpts & { format: string }) => {
      const format = checkFormat(o.format);
      const tokens = (await withOpenStore(o, (s) => s.listTokens())).map(({ hash: _h, ...t }) => t);
      if (format === 'json') process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
      else if (tokens.length === 0) process.stdout.write('no tokens\n');
      else for (const t of tokens) process.stdout.write(`${t.id}  ${t.role.padEnd(6)}  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}  ${t.createdAt}  ${t.label}\n`);
    });
  withStore(token.command('revoke').argument('<id>', 'token id (from `token list`)').description('revoke a token'))
    .action(async (id: string, o: StoreOpts) => {
      const ok = await withOpenStore(o, (s) => revokeToken(s, id, actor()));
      if (!ok) throw new CliError(`no active token \`${id}\``, 1);
      process.stdout.write(`token ${id} revoked\n`);
    });
}
