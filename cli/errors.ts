/** Errors a command raises to stop with a message and an exit status, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Exit statuses shared by all commands. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Misuse of a command (a missing choice, a value out of range): exit status 2. Under `kss
 * keyserver` the message also points to the subcommand's help (cli/commands/keyserver/usage.ts).
 */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
