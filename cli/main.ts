/** The commander program. Thin: each command lives in cli/commands/<name>.ts and delegates. */
import { Command, CommanderError } from 'commander';
import { commandModules } from './commands/index.js';
import { CliError, EXIT } from './errors.js';

/** Builds the program with every command, or only `only` when it names one (faster start). */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('kss')
    .description('Policy-as-code toolchain and runtime for Key Shard Server approval policies')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run `kss --help` for usage)');
  const loaders = only && Object.hasOwn(commandModules, only) ? [commandModules[only]!] : Object.values(commandModules);
  for (const modules of await Promise.all(loaders.map((load) => load()))) modules.register(program);
  return program;
}

/** Runs the CLI and returns the exit status; never throws. */
export async function main(argv: string[]): Promise<number> {
  // `kss ... | head` closes the pipe early: not an error worth a stack trace, for any command.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
    throw error;
  });
  try {
    const program = await buildProgram(argv[2]);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`kss: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`kss: internal error: ${message}\n(set KSS_DEBUG=1 for details)\n`);
    if (process.env.KSS_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.usage;
  }
}
