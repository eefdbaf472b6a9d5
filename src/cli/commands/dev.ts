/**
 * `sluice dev [template.yaml | directory | handler file]`: a thin layer over `startDev`, running until
 * SIGINT/SIGTERM, then stopping every runtime process before exiting 0.
 */
import { DEV_DEFAULTS, startDev } from '../../dev/dev-server.js';
import { formatLogEntry } from '../../emulator/logger.js';
import { parameterOverrides, parseCommandArgs } from '../args.js';
import type { CliIo } from '../context.js';
import { UsageError } from '../errors.js';

/**
 * `sluice dev --help`.
 *
 * @example
 * io.out(DEV_USAGE);
 */
export const DEV_USAGE = `Usage: sluice dev [template.yaml | directory | handler file] [options]

Runs the functions of a SAM/CloudFormation template locally, as Lambda runs them, streaming
included, and prints what it serves with a command to try each:
  function URLs     <base>/lambda-url/<FunctionName>/
                    (or http://<FunctionName>.lambda-url.localhost:<port>/)
  REST API routes   <base>/<Stage>/<path> (SAM's implicit API: Prod); STREAM integrations stream
  HTTP API routes   <base>/http-api/<apiId>/<path> (or http://<apiId>.execute-api.localhost:<port>/<path>),
                    payload format 2.0, buffered; a stage other than $default adds /<Stage>
  the Lambda API    <base> as the SDK endpoint: Invoke, InvokeWithResponseStream (sluice invoke)
  /invoke           <base>/invoke, the Swift runtime's local endpoint, for the first function
TypeScript is bundled with esbuild as \`sluice archive\` bundles it. Function logs go to stderr as
[FunctionName requestId] line. The sources are watched: a change rebuilds and restarts the
functions; a change that does not build leaves the previous version serving. Without a template,
a directory or a handler file is one function with a RESPONSE_STREAM function URL (AuthType NONE).
Default: the current directory. Ctrl-C stops everything.

Options:
      --port <n>          Port (default $LOCAL_LAMBDA_PORT, else ${DEV_DEFAULTS.port}; 0 picks a free one)
      --host <host>       Interface to listen on (default $LOCAL_LAMBDA_HOST, else ${DEV_DEFAULTS.host})
      --no-watch          Do not watch the sources
  -p, --parameter <K=V>   A template parameter value (sam deploy --parameter-overrides); repeatable
      --region <region>   AWS::Region, and the emulator's (default: $AWS_REGION, else us-east-1)
  -h, --help              Show this help
`;

function port(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port takes a port number from 0 to 65535; got '${value}'`);
  }
  return Number(value);
}

/**
 * Resolves on the first SIGINT or SIGTERM. The listeners stay until `release()`, so that the emulator's own
 * signal handling does not end the process while it stops cleanly; a second signal ends it at once (the
 * emulator kills every runtime process as the process exits).
 */
function stopSignal(): { stopped: Promise<NodeJS.Signals>; release: () => void } {
  let received: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((done) => (resolve = done));
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(signal === 'SIGINT' ? 130 : 143);
    received = signal;
    resolve(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Runs `sluice dev` until a signal. Resolves with the exit code (0 after a clean stop); template, build and
 * port errors are thrown (exit code 1).
 *
 * @example
 * process.exitCode = await devCommand(['template.yaml', '--port', '0'], io);
 */
export async function devCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-watch': { type: 'boolean' },
      parameter: { type: 'string', short: 'p', multiple: true },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    io.out(DEV_USAGE);
    return 0;
  }
  const requestedPort = port(values.port);
  const server = await startDev({
    target: positionals[0] ?? '.',
    ...(requestedPort === undefined ? {} : { port: requestedPort }),
    ...(values.host ? { host: values.host } : {}),
    ...(values.region ? { region: values.region } : {}),
    parameterOverrides: parameterOverrides(values.parameter),
    watch: !values['no-watch'],
    cwd: io.cwd,
    out: io.out,
    err: io.err,
    logger: (entry) => io.err(`${formatLogEntry(entry)}\n`),
  });
  const signals = stopSignal();
  try {
    const signal = await signals.stopped;
    io.err(`sluice dev: ${signal}: stopping\n`);
    await server.close();
  } finally {
    signals.release();
  }
  return 0;
}
