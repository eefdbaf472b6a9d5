/**
 * The emulator: builds each function's code, keeps a pool of execution environments per function, and serves
 * Lambda's invoke APIs over HTTP so that real AWS clients work against it unchanged.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiContext, FunctionEntry } from './api-context.js';
import { sendAwsError, serviceException, unknownOperation } from './aws-errors.js';
import { AWS_STREAM_BANDWIDTH, type BandwidthOptions } from './bandwidth.js';
import { type BuiltCode, buildFunctionCode } from './code-builder.js';
import { sluiceRuntimeCommand } from './default-runtime.js';
import { EnvironmentPool } from './environment-pool.js';
import { EmulatorConfigError } from './errors.js';
import { type FunctionConfig, type FunctionDefinition, resolveFunctionConfig } from './function-config.js';
import { matchInvokePath } from './function-name.js';
import { handleInvoke } from './invoke-api.js';
import { type EmulatorLimits, resolveLimits } from './limits.js';
import { type EmulatorLogger, safeLog, stderrLogger } from './logger.js';
import { handleResponseStream } from './response-stream-api.js';

/**
 * @example
 * const options: EmulatorOptions = {
 *   functions: [{ name: 'hello', code: './src/hello.ts', timeout: 10 }],
 *   port: 0,
 *   logger: (entry) => lines.push(entry),
 * };
 */
export interface EmulatorOptions {
  functions: readonly FunctionDefinition[];
  /** TCP port; 0 (the default) picks a free one, reported in `url`. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Region in ARNs and `AWS_REGION`; default `us-east-1`. */
  region?: string;
  /** Account id in ARNs; default `123456789012`. */
  accountId?: string;
  /** Base of relative code paths; default `process.cwd()`. */
  cwd?: string;
  /** Receives every log line; default: stderr, `[FunctionName requestId] line`. */
  logger?: EmulatorLogger;
  /** Seconds an idle environment stays warm; default 300. */
  idleTimeout?: number;
  /** Payload limits; AWS's by default. */
  limits?: Partial<EmulatorLimits>;
  /** Lambda's response-streaming bandwidth shaping: `true` for AWS's (6 MiB burst, then 2 MiB/s). Off by default. */
  bandwidth?: boolean | BandwidthOptions;
  /**
   * `Content-Type` of InvokeWithResponseStream responses: `eventstream` (default,
   * `application/vnd.amazon.eventstream`) or `function` (the function's stream content type). SDKs accept both.
   */
  responseStreamContentType?: 'eventstream' | 'function';
}

/**
 * A running emulator.
 *
 * @example
 * const emulator = await startEmulator({ functions });
 * const client = new LambdaClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
 * await emulator.close();
 */
export interface Emulator {
  /** Base URL for SDK clients (`endpoint`), e.g. `http://127.0.0.1:49152`. */
  readonly url: string;
  readonly port: number;
  /** The functions served, with defaults filled in. */
  readonly functions: readonly FunctionConfig[];
  /** Stops serving, kills every execution environment and waits until they exited, removes temporary builds. */
  close(): Promise<void>;
}

const DEFAULT_IDLE_TIMEOUT_SECONDS = 300;

/**
 * Starts the emulator: validates and builds every function (TypeScript/JavaScript entries are bundled with
 * esbuild), then listens. Throws `EmulatorConfigError` or `CodeBuildError` before listening if a function is
 * invalid. Environments start lazily, on each function's first invocation.
 *
 * @example
 * import { startEmulator } from 'sluice/emulator';
 * import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
 *
 * const emulator = await startEmulator({ functions: [{ name: 'stream', code: './stream.ts' }], port: 0 });
 * const client = new LambdaClient({
 *   endpoint: emulator.url,
 *   region: 'us-east-1',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
 * });
 * const { EventStream } = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream' }));
 * for await (const event of EventStream!) if (event.PayloadChunk) process.stdout.write(event.PayloadChunk.Payload!);
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const cwd = options.cwd ?? process.cwd();
  const configs = (options.functions ?? []).map((definition) => resolveFunctionConfig(definition, cwd));
  const names = new Set<string>();
  for (const config of configs) {
    if (names.has(config.name))
      throw new EmulatorConfigError(`Function ${JSON.stringify(config.name)} is defined twice.`);
    names.add(config.name);
  }
  const limits = resolveLimits(options.limits);
  const idleTimeout = options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
  if (!(idleTimeout > 0))
    throw new EmulatorConfigError(`idleTimeout must be a positive number of seconds; got ${idleTimeout}.`);
  const bandwidth = options.bandwidth === true ? AWS_STREAM_BANDWIDTH : options.bandwidth || undefined;
  const logger = options.logger ?? stderrLogger;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const runtimeCommand = configs.some((config) => config.runtime === undefined) ? sluiceRuntimeCommand() : [];

  const built: BuiltCode[] = [];
  const entries = new Map<string, FunctionEntry>();
  try {
    for (const config of configs) {
      const code = await buildFunctionCode(config);
      built.push(code);
      const pool = new EnvironmentPool({
        config,
        code,
        region,
        accountId,
        logger,
        runtimeCommand,
        bufferedResponseLimit: limits.bufferedResponseBytes,
        idleTimeoutMs: idleTimeout * 1000,
      });
      entries.set(config.name, { config, pool });
    }
  } catch (error) {
    await Promise.all([...entries.values()].map((entry) => entry.pool.close()));
    await Promise.all(built.map((code) => code.dispose()));
    throw error;
  }

  const background = new Set<Promise<unknown>>();
  const context: ApiContext = {
    region,
    accountId,
    limits,
    logger,
    bandwidth,
    responseStreamContentType: options.responseStreamContentType ?? 'eventstream',
    lookup: (name) => entries.get(name),
    track: (task) => {
      const tracked = task.catch(() => {}).finally(() => background.delete(tracked));
      background.add(tracked);
    },
  };

  let closing = false;
  const server: Server = createServer((req, res) => {
    void route(context, req, res, closing).catch((error: unknown) => {
      safeLog(logger, {
        functionName: '-',
        requestId: undefined,
        source: 'emulator',
        message: `request failed: ${String(error)}`,
      });
      if (!res.headersSent)
        sendAwsError(res, randomUUID(), serviceException('The emulator failed to handle the request.'));
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    await Promise.all([...entries.values()].map((entry) => entry.pool.close()));
    await Promise.all(built.map((code) => code.dispose()));
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    functions: configs,
    close: () => {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([...entries.values()].map((entry) => entry.pool.close()));
        await Promise.allSettled([...background]);
        await stopped;
        await Promise.all(built.map((code) => code.dispose()));
      })();
      return closed;
    },
  };
}

async function route(
  context: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  closing: boolean,
): Promise<void> {
  const requestId = randomUUID();
  req.on('error', () => {});
  res.on('error', () => {});
  if (closing) {
    sendAwsError(res, requestId, serviceException('The emulator is shutting down.'));
    return;
  }
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  const match = req.method === 'POST' ? matchInvokePath(path) : undefined;
  if (!match) {
    sendAwsError(res, requestId, unknownOperation(req.method ?? 'GET', path));
    return;
  }
  if (match.api === 'invoke') await handleInvoke(context, req, res, match.label, requestId);
  else await handleResponseStream(context, req, res, match.label, requestId);
}
