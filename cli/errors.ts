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
