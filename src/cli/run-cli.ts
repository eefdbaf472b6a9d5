/**
 * The `sluice` command line. Each command is a thin layer over library functions, in its own file under
 * commands/; this file dispatches and turns errors into exit codes: 0 ok, 1 failure, 2 usage.
 */
import { SluiceError } from '../protocol/index.js';
import { SLUICE_VERSION } from '../runtime/version.js';
import type { CliIo } from './context.js';
import { UsageError } from './errors.js';

/**
 * The CLI's exit codes.
 *
 * @example
 * process.exitCode = EXIT_CODES.usage;
 */
export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

const USAGE = `sluice ${SLUICE_VERSION}: AWS Lambda response streaming for TypeScript

Usage:
  sluice init [name]        Scaffold a streaming TypeScript function (function URL or API Gateway)
  sluice dev [target]       Serve a template's functions locally (function URLs, API routes, the Lambda
                            API, /invoke), streaming, rebuilding on change
  sluice invoke <function>  Invoke a function through sluice dev and print its response as it arrives
  sluice archive [target]   Bundle functions into reproducible zips for SAM or aws lambda create-function
  sluice runtime            Run the Lambda runtime loop for $_HANDLER in $LAMBDA_TASK_ROOT
                            (what an execution environment's bootstrap runs)
  sluice --version          Print the version
  sluice --help             Print this help

Run \`sluice <command> --help\` for a command's options.
`;

type Command = { run: (argv: string[], io: CliIo) => Promise<number>; usage: string };

// Loaded on demand: `sluice runtime` runs inside execution environments, where loading esbuild and the YAML
// parser for the other commands would only slow every cold start.
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => {
    const { initCommand, INIT_USAGE } = await import('./commands/init.js');
    return { run: initCommand, usage: INIT_USAGE };
  },
  dev: async () => {
    const { devCommand, DEV_USAGE } = await import('./commands/dev.js');
    return { run: devCommand, usage: DEV_USAGE };
  },
  invoke: async () => {
    const { invokeCommand, INVOKE_USAGE } = await import('./commands/invoke.js');
    return { run: invokeCommand, usage: INVOKE_USAGE };
  },
  archive: async () => {
    const { archiveCommand, ARCHIVE_USAGE } = await import('./commands/archive.js');
    return { run: archiveCommand, usage: ARCHIVE_USAGE };
  },
  runtime: async () => {
    const { runtimeCommand, RUNTIME_USAGE } = await import('./commands/runtime.js');
    return { run: runtimeCommand, usage: RUNTIME_USAGE };
  },
};

const writeStdout = (text: string): void => {
  process.stdout.write(text);
};

/**
 * Runs the CLI with `argv` (without the node binary and script). Resolves with the exit code; never rejects.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(
  argv: string[],
  out: (text: string) => void = writeStdout,
  options: Partial<Omit<CliIo, 'out'>> = {},
): Promise<number> {
  const io: CliIo = {
    out,
    err: options.err ?? ((text) => process.stderr.write(text)),
    cwd: options.cwd ?? process.cwd(),
  };
  if (options.outBytes) io.outBytes = options.outBytes;
  else if (out === writeStdout) io.outBytes = (bytes) => process.stdout.write(bytes);
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      if (rest[0] && Object.hasOwn(COMMANDS, rest[0])) {
        io.out((await COMMANDS[rest[0]]!()).usage);
        return EXIT_CODES.ok;
      }
      io.out(USAGE);
      return EXIT_CODES.ok;
    case '-v':
    case '--version':
      io.out(`${SLUICE_VERSION}\n`);
      return EXIT_CODES.ok;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.err(`sluice: unknown command '${name}'\n\n${USAGE}`);
    return EXIT_CODES.usage;
  }
  const command = await COMMANDS[name]!();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sluice ${name}: ${error.message}\n\n${command.usage}`);
      return EXIT_CODES.usage;
    }
    // Errors sluice raises on purpose carry a message meant for the user, and a stable code.
    if (error instanceof SluiceError) io.err(`sluice ${name}: ${error.message} [${error.code}]\n`);
    else
      io.err(`sluice ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_CODES.failure;
  }
}
