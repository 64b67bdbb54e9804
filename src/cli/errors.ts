/**
 * Exit codes (listed in every command's help and the README): 0 success; 1 a failure
 * while running — training diverged, a disk filled up, an unexpected error; 2 bad
 * usage or input — an option, a data or model file, an output path that cannot be
 * used as given; 130 after Ctrl-C (128 + SIGINT), with the model trained so far saved.
 */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** The command line itself is wrong: an unknown option, a missing or invalid value. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command could not finish for a reason that is not bad input (training diverged, say). */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}
