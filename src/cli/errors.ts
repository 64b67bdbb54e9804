/** Exit codes: 1 for a failure while running, 2 for bad usage or bad input, 130 after Ctrl-C (128 + SIGINT). */
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
