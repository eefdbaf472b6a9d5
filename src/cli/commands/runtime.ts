/**
 * `sluice runtime`: the Lambda runtime loop for `$_HANDLER` in `$LAMBDA_TASK_ROOT`, what an execution
 * environment's bootstrap runs.
 */
import type { CliIo } from '../context.js';

/**
 * `sluice runtime --help`.
 *
 * @example
 * io.out(RUNTIME_USAGE);
 */
export const RUNTIME_USAGE = `Usage: sluice runtime

Runs the Lambda runtime loop for $_HANDLER in $LAMBDA_TASK_ROOT against $AWS_LAMBDA_RUNTIME_API, as AWS's
runtimes do (what an execution environment's bootstrap runs).
`;

/**
 * Runs the runtime loop; resolves only when the Runtime API goes away (init errors exit the process).
 *
 * @example
 * await runtimeCommand([], io);
 */
export async function runtimeCommand(argv: string[], io: CliIo): Promise<number> {
  // The handler string may come as the first argument (`sluice runtime index.handler`), as custom runtimes
  // pass it, so only a help flag is an option here.
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.out(RUNTIME_USAGE);
    return 0;
  }
  const { start } = await import('../../runtime/start.js');
  await start();
  return 0;
}
