#!/usr/bin/env node
// The blasprop command line. Every expected failure (a bad option, an unusable data or
// model file, an output path that cannot be written) ends as one message on stderr,
// "blasprop: …", and exit code 2; anything else (training diverged, a full disk, a
// bug) as one message and exit code 1 (errors.ts lists the codes). BLASPROP_DEBUG=1
// adds the stack trace.

import { DataError } from '../data/errors.js';
import { isPathError } from '../io/errors.js';
import { ModelFileError } from '../model/errors.js';
import { CommandFailure, EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';
import { MAIN_HELP } from './help.js';

type Command = (args: readonly string[]) => number | Promise<number>;

// Each command is loaded when run, so that none pays for another's dependencies.
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./train.js')).trainCommand,
  predict: async () => (await import('./predict.js')).predictCommand,
  evaluate: async () => (await import('./evaluate.js')).evaluateCommand,
  info: async () => (await import('./info.js')).infoCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  submit: async () => (await import('./submit.js')).submitCommand,
  jobs: async () => (await import('./jobs.js')).jobsCommand,
  result: async () => (await import('./result.js')).resultCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(MAIN_HELP);
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(MAIN_HELP);
    return EXIT_USAGE;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  }
  const run = await COMMANDS[command]();
  return run(args);
}

function report(error: unknown): number {
  const debug = process.env.BLASPROP_DEBUG === '1';
  const badInput =
    error instanceof UsageError || error instanceof DataError || error instanceof ModelFileError || isPathError(error);
  if (badInput || error instanceof CommandFailure) {
    process.stderr.write(`blasprop: ${(error as Error).message}\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    return badInput ? EXIT_USAGE : EXIT_FAILURE;
  }
  // Anything else may be a bug: one line still, the stack with BLASPROP_DEBUG=1.
  process.stderr.write(`blasprop: ${error instanceof Error ? (debug ? error.stack : error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}

// Output piped into a reader that stops early (| head) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2)).catch(report);
