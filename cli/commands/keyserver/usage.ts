/**
 * Usage errors of `kss keyserver ...`, commander's and the actions' own alike: each says in words
 * what is missing (`--dump needs a PATH`), points to the help of the very subcommand that was
 * misused (`(run \`kss keyserver policy --help\` for usage)`), and exits with status 2. Every
 * command under `keyserver` is a KeyserverCommand (commander's createCommand makes the children),
 * so none can be left out.
 */
import { Command, type ErrorOptions } from 'commander';
import { UsageError } from '../../errors.js';

export class KeyserverCommand extends Command {
  override createCommand(name?: string): Command {
    return new KeyserverCommand(name);
  }

  override error(message: string, errorOptions?: ErrorOptions): never {
    this.showHelpAfterError(`(run \`${commandPath(this)} --help\` for usage)`);
    return super.error(inWords(this, message), { ...errorOptions, exitCode: 2 });
  }

  /** Actions report misuse by throwing UsageError; it is shown like commander's own errors. */
  override action(fn: (...args: any[]) => void | Promise<void>): this {
    return super.action(async (...args: unknown[]) => {
      try {
        await fn(...args);
      } catch (error) {
        if (error instanceof UsageError) this.error(`error: ${error.message}`);
        throw error;
      }
    });
  }
}

/** `kss keyserver quota clear` for the `clear` command. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const VALUE = (name: string) => name.replace(/-/g, '_').toUpperCase();

/** commander's messages about options and arguments, said as what is missing or wrong. */
function inWords(cmd: Command, message: string): string {
  let m = /^error: option '(?:-\w, )?(--[\w-]+) <([\w-]+)>' argument missing$/.exec(message);
  if (m) return `error: ${m[1]} needs a ${VALUE(m[2]!)}`;
  m = /^error: required option '(?:-\w, )?(--[\w-]+) <([\w-]+)>' not specified$/.exec(message);
  if (m) return `error: ${m[1]} ${VALUE(m[2]!)} is required`;
  m = /^error: option '(?:-\w, )?(--[\w-]+) <[\w-]+>' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/.exec(message);
  if (m) return `error: ${m[1]} must be ${m[3]!.replace(/, (?=[^,]*$)/, ' or ')}, not \`${m[2]}\``;
  m = /^error: missing required argument '([\w-]+)'$/.exec(message);
  if (m) {
    const arg = cmd.registeredArguments.find((a) => a.name() === m![1]);
    return `error: ${VALUE(m[1]!)} is missing${arg?.description ? ` (${arg.description})` : ''}`;
  }
  m = /^error: too many arguments(?: for '[\w-]+')?\. Expected (\d+) arguments? but got (\d+)\.$/.exec(message);
  if (m) return `error: too many arguments (expected ${m[1]}, got ${m[2]})`;
  return message;
}
