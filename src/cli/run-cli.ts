/**
 * The `sluice` command line. Commands are thin layers over library functions.
 */
import { SLUICE_VERSION } from '../runtime/version.js';

const USAGE = `sluice ${SLUICE_VERSION}: AWS Lambda response streaming for TypeScript

Usage:
  sluice runtime     Run the Lambda runtime loop for $_HANDLER in $LAMBDA_TASK_ROOT
                     (what an execution environment's bootstrap runs)
  sluice --version   Print the version
  sluice --help      Print this help
`;

/**
 * Runs the CLI with `argv` (without the node binary and script). Resolves with the exit code.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(
  argv: string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  const [command] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      out(USAGE);
      return 0;
    case '-v':
    case '--version':
      out(`${SLUICE_VERSION}\n`);
      return 0;
    case 'runtime': {
      const { start } = await import('../runtime/start.js');
      await start();
      return 0;
    }
    default:
      process.stderr.write(`sluice: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
