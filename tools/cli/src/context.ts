// What a command needs from the world; main.ts gives it the real process, tests their own.

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colours). */
  isTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command line was wrong: exit code 2, the message and a pointer to the help on stderr. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` explains the right usage. */
    readonly command = 'portal',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
