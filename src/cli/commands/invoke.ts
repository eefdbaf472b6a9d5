/**
 * `sluice invoke <function>`: a thin layer over `invokeFunction`, printing the response body to stdout as it
 * arrives (raw bytes), timings and errors to stderr, and exiting 1 when the function fails. Without a
 * server at the endpoint, `--target` starts a one-shot emulator for the invocation.
 */
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { DEV_DEFAULTS, type DevServer, startDev } from '../../dev/dev-server.js';
import { DevError, DevErrorCode } from '../../dev/errors.js';
import { INVOKE_VIAS, type InvokeVia, invokeFunction } from '../../dev/invoke-client.js';
import { resolveCredentials } from '../../emulator/http/credentials.js';
import { formatLogEntry } from '../../emulator/logger.js';
import { defaultRegion } from '../../template/parse-template.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../context.js';
import { UsageError } from '../errors.js';

/**
 * `sluice invoke --help`.
 *
 * @example
 * io.out(INVOKE_USAGE);
 */
export const INVOKE_USAGE = `Usage: sluice invoke <function> [options]

Invokes a function served by \`sluice dev\` and writes its response body to stdout as it arrives.
The exit code is 1 when the function fails (its error goes to stderr): an error in InvokeComplete,
X-Amz-Function-Error, an HTTP 5xx, or a body cut short.

Options:
  -e, --event <file|->   The event, a JSON file; - reads stdin (default {})
      --via <how>        sdk     InvokeWithResponseStream on the Lambda API (default)
                         url     the function URL: POST the event as the body (GET without
                                 --event), signed with SigV4 (AWS_IAM URLs need it)
                         invoke  the /invoke endpoint (runs sluice dev's first function)
      --path <path>      With --via url: the path and query below the URL (default /)
      --method <method>  With --via url: the HTTP method (default POST with --event, else GET)
      --timing           Print to stderr the time to first byte and each chunk's arrival
  -i, --include          Print the response status and headers to stderr
      --endpoint <url>   Where sluice dev serves (default http://127.0.0.1:${DEV_DEFAULTS.port}, or the
                         port in $LOCAL_LAMBDA_PORT)
  -t, --target <path>    When nothing answers at the endpoint, start a one-shot emulator for this
                         template, directory or handler file
      --region <region>  Region of the SigV4 signature (default: $AWS_REGION, else us-east-1)
  -h, --help             Show this help
`;

async function readEvent(source: string | undefined, cwd: string): Promise<Uint8Array | undefined> {
  if (source === undefined) return undefined;
  try {
    if (source === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
    return await readFile(path.resolve(cwd, source));
  } catch (error) {
    throw new DevError(
      DevErrorCode.invokeEvent,
      `cannot read the event from ${source === '-' ? 'stdin' : source}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Whether something accepts TCP connections at the endpoint's host and port. */
function listening(endpoint: URL): Promise<boolean> {
  const port = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

const ms = (value: number) => `+${Math.round(value)} ms`;

/**
 * Runs `sluice invoke`. Resolves with 0, or 1 when the function failed.
 *
 * @example
 * process.exitCode = await invokeCommand(['SendNumbersWithPause', '--timing'], io);
 */
export async function invokeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      event: { type: 'string', short: 'e' },
      via: { type: 'string' },
      path: { type: 'string' },
      method: { type: 'string' },
      timing: { type: 'boolean' },
      include: { type: 'boolean', short: 'i' },
      endpoint: { type: 'string' },
      target: { type: 'string', short: 't' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    io.out(INVOKE_USAGE);
    return 0;
  }
  const via = (values.via ?? 'sdk') as InvokeVia;
  if (!INVOKE_VIAS.includes(via)) {
    throw new UsageError(`unknown --via '${values.via}': use ${INVOKE_VIAS.join(', ')}`);
  }
  const functionName = positionals[0];
  if (!functionName && via !== 'invoke') throw new UsageError('missing the function to invoke');
  if ((values.path !== undefined || values.method !== undefined) && via !== 'url') {
    throw new UsageError('--path and --method go with --via url');
  }
  const envPort = process.env.LOCAL_LAMBDA_PORT;
  let endpoint: URL;
  try {
    endpoint = new URL(values.endpoint ?? `http://127.0.0.1:${envPort || DEV_DEFAULTS.port}`);
  } catch {
    throw new UsageError(`--endpoint takes a URL such as http://127.0.0.1:7000; got '${values.endpoint}'`);
  }
  const event = await readEvent(values.event, io.cwd);
  const region = values.region ?? defaultRegion();

  let server: DevServer | undefined;
  if (!(await listening(endpoint))) {
    if (!values.target) {
      throw new DevError(
        DevErrorCode.invokeUnreachable,
        `nothing answers at ${endpoint.origin}: start \`sluice dev\` (in another terminal), pass --endpoint <url>, or --target <template | directory | handler file> for a one-shot emulator`,
      );
    }
    server = await startDev({
      target: values.target,
      port: 0,
      watch: false,
      region,
      cwd: io.cwd,
      out: () => {},
      err: io.err,
      logger: (entry) => io.err(`${formatLogEntry(entry)}\n`),
    });
    endpoint = new URL(server.url);
  }

  const write = io.outBytes ?? ((bytes: Uint8Array) => io.out(Buffer.from(bytes).toString('utf8')));
  let result: Awaited<ReturnType<typeof invokeFunction>>;
  const started = performance.now();
  let first = true;
  try {
    result = await invokeFunction({
      endpoint: endpoint.href,
      via,
      ...(functionName ? { functionName } : {}),
      ...(event === undefined ? {} : { event }),
      ...(values.path === undefined ? {} : { path: values.path }),
      ...(values.method === undefined ? {} : { method: values.method.toUpperCase() }),
      region,
      credentials: resolveCredentials(undefined, process.env)[0]!,
      onResponse: ({ status, headers }) => {
        if (!values.include) return;
        const lines = [`HTTP ${status}`];
        for (const [name, value] of Object.entries(headers)) {
          for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
        }
        io.err(`${lines.join('\n')}\n\n`);
      },
      onChunk: (chunk) => {
        if (values.timing) {
          const at = performance.now() - started;
          if (first) io.err(`${ms(at)} first byte\n`);
          io.err(`${ms(at)} ${chunk.byteLength} bytes\n`);
        }
        first = false;
        write(chunk);
      },
    });
  } finally {
    await server?.close();
  }
  if (values.timing) {
    io.err(
      `${ms(result.totalMs)} end: ${result.bytes} bytes in ${result.chunks} chunk${result.chunks === 1 ? '' : 's'}${result.firstByteMs === undefined ? '' : `, first byte after ${Math.round(result.firstByteMs)} ms`}\n`,
    );
  }
  if (!result.ok) {
    io.err(`sluice invoke: ${functionName ?? '/invoke'} failed: ${describeFailure(result.error!)}\n`);
    return 1;
  }
  return 0;
}

/** `type: message`, without repeating the type when the message already starts with it. */
function describeFailure(error: { type: string; message: string }): string {
  return error.message.startsWith(`${error.type}:`) ? error.message : `${error.type}: ${error.message}`;
}
