/**
 * Exit codes CI pipelines gate on (k6's numbers where they overlap). Part of
 * the public contract: README lists them; change only on purpose.
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  thresholdsFailed: 99,
  invalidInput: 104,
  interrupted: 105,
  couldNotStart: 107,
  aborted: 108,
  degraded: 111,
  /** breakpoint: the generator saturated before the target broke; the figures are the generator's limit, not the target's. */
  generatorSaturated: 112,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends a command with a given exit code and a message for the user (no stack). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
