/**
 * `kss compile P [-o out.json]`: writes the compiled artifact (stdout without -o).
 * `kss compile P --dump [--format yaml|json]`: prints the normalised policy with every rule's
 * `rule_id` (the administrator's policy dump): request type → rule sets → rule objects.
 */
import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { analyzePolicy } from '../../compiler/analyze.js';
import type { PolicyAst } from '../../compiler/source/ast.js';
import { assignRuleIds, hasExplicitRuleId } from '../../compiler/ir/rule-ids.js';
import { CliError, EXIT } from '../errors.js';
import { compileOrExit, display, readBytes } from './eval.js';

export function register(program: Command): void {
  program
    .command('compile')
    .description('compile a policy to a versioned JSON artifact, or --dump it with every rule id')
    .argument('<policy>', 'keyserver.yml')
    .option('-o, --output <file>', 'write the artifact here instead of stdout')
    .option('--dump', 'print the normalised policy with every rule_id instead of the artifact')
    .addOption(new Option('--format <format>', 'format of --dump').choices(['yaml', 'json']).default('yaml'))
    .action((policy: string, opts: { output?: string; dump?: boolean; format: 'yaml' | 'json' }) => {
      const bytes = readBytes(policy, 'policy');
      const artifact = compileOrExit(bytes, policy);
      if (opts.dump) {
        const ast = analyzePolicy(bytes, policy).ast!;
        const dump = dumpPolicy(ast);
        const out = opts.format === 'json' ? `${JSON.stringify(dump, null, 2)}\n` : stringify(dump, { lineWidth: 0, version: '1.1' }); // 1.1: quote `9:00`, `yes` for YAML 1.1 readers
        write(out, opts.output);
        return;
      }
      write(`${JSON.stringify(artifact)}\n`, opts.output);
      if (opts.output) process.stderr.write(`kss: wrote ${display(opts.output)} (sha256 ${artifact.sha256.slice(0, 12)}…, ${Object.values(artifact.ruleIds).flat(2).length} rules)\n`);
    });
}

/**
 * Request type → rule sets → rules as written, `rule` first and `rule_id` second. A numeric explicit
 * `rule_id` stays a number, as the reference keeps it (SPEC §5).
 */
export function dumpPolicy(ast: PolicyAst): Record<string, Array<Array<Record<string, unknown>>>> {
  const ids = new Map(assignRuleIds(ast).map((a) => [a.node, a.ruleId]));
  const dump: Record<string, Array<Array<Record<string, unknown>>>> = {};
  for (const type of ast.requestTypes) {
    dump[type.name] = type.ruleSets.map((set) =>
      set.rules.map((rule) => {
        const { rule: kind, rule_id: written, ...args } = rule.value;
        const ruleId = typeof written === 'number' && hasExplicitRuleId(rule) ? written : ids.get(rule);
        return { rule: kind, rule_id: ruleId, ...args };
      }),
    );
  }
  return dump;
}

function write(text: string, output: string | undefined): void {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new CliError(`cannot write \`${output}\`: ${(error as Error).message}`, EXIT.usage);
  }
}
