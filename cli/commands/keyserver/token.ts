/** `keyserver token create|list|revoke`. */
import { Option, type Command } from 'commander';
import { CliError } from '../../errors.js';
import { createToken, revokeToken } from '../../../runtime/admin/tokens.js';
import type { TokenRole } from '../../../runtime/store/types.js';
import { actor, formatOption, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';

export function registerToken(ks: Command): void {
  const token = ks.command('token').description('API tokens for the HTTP server');
  withStore(token.command('create').description('create a token (printed once; only its hash is kept)'))
    .addOption(new Option('--role <role>', 'client (decisions) or admin (everything)').choices(['client', 'admin']).makeOptionMandatory())
    .option('--label <text>', 'what the token is for', '')
    .action(async (o: StoreOpts & { role: TokenRole; label: string }) => {
      const { token: text, record } = await withOpenStore(o, (s) => createToken(s, o.role, o.label, actor()));
      process.stderr.write(`token ${record.id} (${record.role}) created; it is shown only now:\n`);
      process.stdout.write(`${text}\n`);
    });
  formatOption(withStore(token.command('list').description('list tokens (ids and roles, never the tokens)')))
    .action(async (o: StoreOpts & { format: OutputFormat }) => {
      const tokens = (await withOpenStore(o, (s) => s.listTokens())).map(({ hash: _h, ...t }) => t);
      if (o.format === 'json') process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
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
