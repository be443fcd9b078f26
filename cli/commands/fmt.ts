/**
 * `kss fmt [--check] [paths...]`: the canonical layout (compiler/format), the same as the editor's.
 * A folder stands for the policies directly inside it named like policies (`keyserver.yml`,
 * `*.keyserver.yml`, and `.yaml`): rewriting other YAML files that happen to sit there would be rude.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatPolicy } from '../../compiler/format/format.js';
import { decodePolicy } from '../../compiler/source/decode.js';
import { formatTextReport } from '../../compiler/text-report.js';
import { CliError, EXIT } from '../errors.js';
import { expandPaths } from '../paths.js';

interface FmtOptions {
  check?: boolean;
}

export function register(program: Command): void {
  program
    .command('fmt')
    .description('rewrite policy files in the canonical layout, keeping comments (`-` reads stdin, writes stdout)')
    .argument('[paths...]', 'policy files, or folders (their keyserver.yml and *.keyserver.yml)', ['.'])
    .option('--check', 'change nothing; exit 1 and list the files that are not formatted')
    .action(async (files: string[], options: FmtOptions) => {
      process.exitCode = await runFmt(files, options);
    });
}

export async function runFmt(paths: string[], options: FmtOptions): Promise<number> {
  let status: number = EXIT.ok;
  for (const file of expandPaths(paths, (name) => POLICY_NAME.test(name), 'keyserver.yml, *.keyserver.yml')) {
    const decoded = decodePolicy(file === '-' ? await readStdin() : await readPolicy(file));
    const text = decoded.text;
    // Never rewrite a file that is not UTF-8: its bad bytes would become U+FFFD.
    const result = decoded.diagnostics.length > 0 ? { text: null, diagnostics: decoded.diagnostics, reason: 'the file is not UTF-8' } : formatPolicy(text);
    const name = file === '-' ? '<stdin>' : file;
    if (result.text === null) {
      process.stderr.write(formatTextReport([{ file: name, text, diagnostics: result.diagnostics }], { color: false, summary: false }));
      process.stderr.write(`${name}: not formatted: ${result.reason ?? 'unknown reason'}\n`);
      status = EXIT.failed;
      continue;
    }
    if (file === '-') {
      if (options.check) {
        if (result.text !== text) status = EXIT.failed;
      } else process.stdout.write(result.text);
      continue;
    }
    if (result.text === text) continue;
    if (options.check) {
      process.stdout.write(`${name}: would be reformatted\n`);
      status = EXIT.failed;
    } else {
      await writeFile(file, result.text, 'utf8');
      process.stdout.write(`${name}: formatted\n`);
    }
  }
  return status;
}

const POLICY_NAME = /^(?:keyserver|.+\.keyserver)\.ya?ml$/;

async function readPolicy(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String((error as Error).message);
    throw new CliError(`cannot read ${file}: ${why}`, EXIT.usage);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
