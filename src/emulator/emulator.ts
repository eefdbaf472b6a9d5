/**
 * The emulator: builds each function's code, keeps a pool of execution environments per function, and serves
 * Lambda's invoke APIs over HTTP so that real AWS clients work against it unchanged.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { ApiContext, FunctionEntry } from './api-context.js';
import { sendAwsError, serviceException, unknownOperation } from './aws-errors.js';
import { AWS_STREAM_BANDWIDTH, type BandwidthOptions } from './bandwidth.js';
import { type BuiltCode, buildFunctionCode } from './code-builder.js';
import { sluiceRuntimeCommand } from './default-runtime.js';
import { EnvironmentPool } from './environment-pool.js';
import { EmulatorClosedError, EmulatorConfigError } from './errors.js';
import {
  handleManagement,
  lambdaTimestamp,
  type ManagementContext,
  matchManagementPath,
} from './function-api.js';
import {
  type FunctionConfig,
  type FunctionDefinition,
  type FunctionUrlAuthType,
  type InvokeMode,
  resolveFunctionConfig,
} from './function-config.js';
import { matchInvokePath } from './function-name.js';
import { resolveCredentials, type SigV4Credentials } from './http/credentials.js';
import type { FrontContext } from './http/front-context.js';
import { type FrontListener, FUNCTION_URL_PATH_PREFIX, matchFront, serveFront } from './http/fronts.js';
import { HTTP_API_PATH_PREFIX } from './http/http-api.js';
import {
  HTTP_API_DEFAULT,
  type HttpApi,
  type HttpApiDefinition,
  resolveHttpApis,
} from './http/http-api-routes.js';
import { type LocalInvokeOptions, resolveLocalInvoke } from './http/local-invoke.js';
import { type RestApi, type RestApiDefinition, resolveRestApis } from './http/rest-routes.js';
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
  /**
   * API Gateway REST APIs, served at `http://127.0.0.1:<port>/<stage>/<path>` and
   * `http://<id>.execute-api.localhost:<port>/<stage>/<path>`.
   */
  apis?: readonly RestApiDefinition[];
  /**
   * API Gateway HTTP APIs (payload format 2.0 by default, never streamed), served at
   * `http://<id>.execute-api.localhost:<port>/<path>` and `http://127.0.0.1:<port>/http-api/<id>/<path>`
   * (`/<stage>/<path>` for a stage other than `$default`). Ids are shared with the REST APIs' host names.
   */
  httpApis?: readonly HttpApiDefinition[];
  /** The function the local `/invoke` endpoint runs; default: the only function, or the first. */
  defaultFunction?: string;
  /**
   * Key pairs `AWS_IAM` function URLs accept. Default: `SLUICE_ACCESS_KEY_ID`/`SLUICE_SECRET_ACCESS_KEY` if
   * set, else AWS's documented example pair (`AKIAIOSFODNN7EXAMPLE` / `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`),
   * plus `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` if set.
   */
  credentials?: SigV4Credentials | readonly SigV4Credentials[];
  /** Seconds a signature's `x-amz-date` may differ from the emulator's clock; default 300 (AWS's 5 minutes). */
  signatureClockSkew?: number;
  /**
   * Also serve the local invoke endpoint on its own listener, as the Swift runtime's local server does
   * (`true`: `LOCAL_LAMBDA_HOST`/`LOCAL_LAMBDA_PORT`/`LOCAL_LAMBDA_INVOCATION_ENDPOINT`, default
   * `127.0.0.1:7000` and `/invoke`). The emulator's own port serves the endpoint path in any case.
   */
  localInvoke?: boolean | LocalInvokeOptions;
  /**
   * When a streamed HTTP response fails after its head was sent: `abort` (default) cuts the connection without
   * the terminating chunk, so clients see a truncated body; `end` ends the body cleanly.
   */
  midStreamError?: 'abort' | 'end';
  /** Environment read for credentials and `LOCAL_LAMBDA_*`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Where the HTTP fronts of a running emulator are.
 *
 * @example
 * const { functionUrls } = emulator.endpoints;
 * await fetch(functionUrls.stream!.url);
 */
export interface EmulatorEndpoints {
  /** The local invoke endpoint on the emulator's port, e.g. `http://127.0.0.1:49152/invoke`. */
  invoke: string;
  /** The local invoke endpoint on its dedicated listener (`localInvoke`), e.g. `http://127.0.0.1:7000/invoke`. */
  localInvoke: string | undefined;
  /** Each function URL: path style (`url`, works with any client) and host style (`hostUrl`, curl and browsers). */
  functionUrls: Readonly<
    Record<string, { url: string; hostUrl: string; authType: FunctionUrlAuthType; invokeMode: InvokeMode }>
  >;
  /** Each REST API's stage base URL, path style and host style. */
  apis: readonly { id: string; name: string; stage: string; url: string; hostUrl: string }[];
  /**
   * Each HTTP API's base URL (append the route path): path style `http://127.0.0.1:<port>/http-api/<id>` and host
   * style `http://<id>.execute-api.localhost:<port>`, each followed by `/<stage>` unless the stage is `$default`.
   */
  httpApis: readonly { id: string; name: string; stage: string; url: string; hostUrl: string }[];
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
  /** Function URLs, REST and HTTP APIs and the local invoke endpoint. */
  readonly endpoints: EmulatorEndpoints;
  /**
   * Replaces the functions and APIs served, on the same listeners (what `sluice dev` does when sources change).
   * The new definitions are validated and built first: if that fails it rejects (`EmulatorConfigError`,
   * `CodeBuildError`) and the current ones keep serving. Then new requests go to the new definitions, each
   * in fresh execution environments; the old environments finish the invocations they are running and stop
   * (idle ones stop at once). Omitted fields keep their current value; with no argument at all, every
   * function is rebuilt from its source and its environments recycled. Resolves once the new definitions
   * serve (not when the old environments are gone).
   */
  reload(update?: EmulatorReload): Promise<void>;
  /** Stops serving, kills every execution environment and waits until they exited, removes temporary builds. */
  close(): Promise<void>;
}

/**
 * What {@link Emulator.reload} replaces.
 *
 * @example
 * await emulator.reload({ functions: [{ name: 'stream', code: './dist/stream' }], apis: [] });
 */
export interface EmulatorReload {
  functions?: readonly FunctionDefinition[];
  apis?: readonly RestApiDefinition[];
  httpApis?: readonly HttpApiDefinition[];
  /** Default: the current default function if it is still defined, else the first function. */
  defaultFunction?: string;
}

/** The functions and APIs being served, built and ready. */
interface Served {
  definitions: readonly FunctionDefinition[];
  apiDefinitions: readonly RestApiDefinition[];
  httpApiDefinitions: readonly HttpApiDefinition[];
  configs: readonly FunctionConfig[];
  entries: Map<string, FunctionEntry>;
  built: BuiltCode[];
  apis: RestApi[];
  httpApis: HttpApi[];
  defaultFunction: string | undefined;
}

const DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
const DEFAULT_SIGNATURE_CLOCK_SKEW_SECONDS = 300;

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
  const limits = resolveLimits(options.limits);
  const idleTimeout = options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
  if (!(idleTimeout > 0))
    throw new EmulatorConfigError(`idleTimeout must be a positive number of seconds; got ${idleTimeout}.`);
  const bandwidth = options.bandwidth === true ? AWS_STREAM_BANDWIDTH : options.bandwidth || undefined;
  const logger = options.logger ?? stderrLogger;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const env = options.env ?? process.env;

  /** Validates and builds a set of functions and APIs; on failure nothing is left running. */
  const prepare = async (
    definitions: readonly FunctionDefinition[],
    apiDefinitions: readonly RestApiDefinition[],
    httpApiDefinitions: readonly HttpApiDefinition[],
    defaultFunctionOption: string | undefined,
    fallbackDefault: string | undefined,
  ): Promise<Served> => {
    const configs = definitions.map((definition) => resolveFunctionConfig(definition, cwd));
    const names = new Set<string>();
    for (const config of configs) {
      if (names.has(config.name))
        throw new EmulatorConfigError(`Function ${JSON.stringify(config.name)} is defined twice.`);
      names.add(config.name);
    }
    const apis = resolveRestApis(apiDefinitions);
    for (const api of apis) {
      for (const route of api.routes) {
        if (!names.has(route.function)) {
          throw new EmulatorConfigError(
            `API ${JSON.stringify(api.name)}, route ${route.method} ${route.path}: no function named ${JSON.stringify(route.function)}.`,
          );
        }
      }
    }
    const httpApis = resolveHttpApis(
      httpApiDefinitions,
      apis.map((api) => api.id),
    );
    for (const api of httpApis) {
      for (const route of api.routes) {
        if (!names.has(route.function)) {
          throw new EmulatorConfigError(
            `HTTP API ${JSON.stringify(api.name)}, route ${route.routeKey}: no function named ${JSON.stringify(route.function)}.`,
          );
        }
      }
    }
    const defaultFunction =
      defaultFunctionOption ??
      (fallbackDefault !== undefined && names.has(fallbackDefault) ? fallbackDefault : configs[0]?.name);
    if (defaultFunction !== undefined && !names.has(defaultFunction)) {
      throw new EmulatorConfigError(
        `defaultFunction ${JSON.stringify(defaultFunction)} is not a defined function.`,
      );
    }
    const runtimeCommand = configs.some((config) => config.runtime === undefined)
      ? sluiceRuntimeCommand()
      : [];
    // LAMBDA_RUNTIME_DIR of functions run by sluice's runtime: where its bootstrap lives, as /var/runtime
    // holds the managed runtime on Lambda.
    const runtimeDir = runtimeCommand.length > 0 ? path.dirname(runtimeCommand.at(-1)!) : undefined;
    const lastModified = lambdaTimestamp(new Date());
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
          ...(runtimeDir === undefined ? {} : { runtimeDir }),
          bufferedResponseLimit: limits.bufferedResponseBytes,
          idleTimeoutMs: idleTimeout * 1000,
        });
        entries.set(config.name, { config, code, pool, lastModified });
      }
    } catch (error) {
      await Promise.all([...entries.values()].map((entry) => entry.pool.close()));
      await Promise.all(built.map((code) => code.dispose()));
      throw error;
    }
    return {
      definitions,
      apiDefinitions,
      httpApiDefinitions,
      configs,
      entries,
      built,
      apis,
      httpApis,
      defaultFunction,
    };
  };

  const credentials = resolveCredentials(options.credentials, env);
  const clockSkew = options.signatureClockSkew ?? DEFAULT_SIGNATURE_CLOCK_SKEW_SECONDS;
  if (!(clockSkew >= 0)) {
    throw new EmulatorConfigError(`signatureClockSkew must be a number of seconds ≥ 0; got ${clockSkew}.`);
  }
  const midStreamError = options.midStreamError ?? 'abort';
  if (midStreamError !== 'abort' && midStreamError !== 'end') {
    throw new EmulatorConfigError(
      `midStreamError must be "abort" or "end"; got ${JSON.stringify(midStreamError)}.`,
    );
  }
  const localInvoke = resolveLocalInvoke(options.localInvoke, env);
  let served = await prepare(
    options.functions ?? [],
    options.apis ?? [],
    options.httpApis ?? [],
    options.defaultFunction,
    undefined,
  );
  /** Pools (and their builds) replaced by a reload, until their environments are gone. */
  const retiring = new Set<{ pools: EnvironmentPool[]; done: Promise<void> }>();

  const background = new Set<Promise<unknown>>();
  const context: ApiContext = {
    region,
    accountId,
    limits,
    logger,
    bandwidth,
    responseStreamContentType: options.responseStreamContentType ?? 'eventstream',
    lookup: (name) => served.entries.get(name),
    track: (task) => {
      const tracked = task.catch(() => {}).finally(() => background.delete(tracked));
      background.add(tracked);
    },
  };

  const fronts: FrontContext = {
    ...context,
    credentials,
    clockSkewMs: clockSkew * 1000,
    apis: served.apis,
    httpApis: served.httpApis,
    invokeEndpoint: localInvoke.endpoint,
    defaultFunction: served.defaultFunction,
    midStreamError,
    functionNames: served.configs.map((config) => config.name),
  };

  /** The emulator's base URL, once it listens. */
  let baseUrl = '';
  const management: ManagementContext = {
    region,
    accountId,
    functions: () => [...served.entries.values()],
    lookup: (name) => served.entries.get(name),
    functionUrl: (name) =>
      served.entries.get(name)?.config.url && baseUrl !== ''
        ? `${baseUrl}${FUNCTION_URL_PATH_PREFIX}${name}/`
        : undefined,
  };

  let closing = false;
  const handler = (listener: FrontListener) => (req: IncomingMessage, res: ServerResponse) => {
    void route(fronts, management, req, res, closing, listener).catch((error: unknown) => {
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
  };
  const servers: Server[] = [];
  const listen = async (server: Server, port: number, host: string) => {
    servers.push(server);
    server.on('clientError', answerClientError);
    server.listen(port, host);
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  const host = options.host ?? '127.0.0.1';
  let port: number;
  let localInvokePort: number | undefined;
  try {
    port = await listen(createServer(handler('main')), options.port ?? 0, host);
    if (localInvoke.listen && !(localInvoke.port === port && localInvoke.host === host)) {
      localInvokePort = await listen(
        createServer(handler('local-invoke')),
        localInvoke.port,
        localInvoke.host,
      );
    }
  } catch (error) {
    for (const server of servers) server.close();
    await Promise.all([...served.entries.values()].map((entry) => entry.pool.close()));
    await Promise.all(served.built.map((code) => code.dispose()));
    throw error;
  }
  const urlHost = hostForUrl(host);
  const url = `http://${urlHost}:${port}`;
  baseUrl = url;
  const localInvokeUrl =
    localInvokePort === undefined
      ? localInvoke.listen
        ? `${url}${localInvoke.endpoint}`
        : undefined
      : `http://${hostForUrl(localInvoke.host)}:${localInvokePort}${localInvoke.endpoint}`;
  const httpStage = (stage: string) => (stage === HTTP_API_DEFAULT ? '' : `/${stage}`);
  const endpointsOf = ({ configs, apis, httpApis }: Served): EmulatorEndpoints => ({
    invoke: `${url}${localInvoke.endpoint}`,
    localInvoke: localInvokeUrl,
    functionUrls: Object.fromEntries(
      configs
        .filter((config) => config.url !== undefined)
        .map((config) => [
          config.name,
          {
            url: `${url}${FUNCTION_URL_PATH_PREFIX}${config.name}/`,
            hostUrl: `http://${config.name}.lambda-url.localhost:${port}/`,
            authType: config.url!.authType,
            invokeMode: config.url!.invokeMode,
          },
        ]),
    ),
    apis: apis.map((api) => ({
      id: api.id,
      name: api.name,
      stage: api.stage,
      url: `${url}/${api.stage}`,
      hostUrl: `http://${api.id}.execute-api.localhost:${port}/${api.stage}`,
    })),
    httpApis: httpApis.map((api) => ({
      id: api.id,
      name: api.name,
      stage: api.stage,
      url: `${url}${HTTP_API_PATH_PREFIX}${api.id}${httpStage(api.stage)}`,
      hostUrl: `http://${api.id}.execute-api.localhost:${port}${httpStage(api.stage)}`,
    })),
  });
  let endpoints = endpointsOf(served);

  let reloading: Promise<void> = Promise.resolve();
  const reload = async (update: EmulatorReload): Promise<void> => {
    if (closing) throw new EmulatorClosedError();
    const next = await prepare(
      update.functions ?? served.definitions,
      update.apis ?? served.apiDefinitions,
      update.httpApis ?? served.httpApiDefinitions,
      update.defaultFunction,
      served.defaultFunction,
    );
    if (closing) {
      await Promise.all([...next.entries.values()].map((entry) => entry.pool.close()));
      await Promise.all(next.built.map((code) => code.dispose()));
      throw new EmulatorClosedError();
    }
    const previous = served;
    served = next;
    endpoints = endpointsOf(next);
    fronts.apis = next.apis;
    fronts.httpApis = next.httpApis;
    fronts.defaultFunction = next.defaultFunction;
    fronts.functionNames = next.configs.map((config) => config.name);
    const pools = [...previous.entries.values()].map((entry) => entry.pool);
    const retired = {
      pools,
      done: Promise.all(pools.map((pool) => pool.retire()))
        .then(() => Promise.all(previous.built.map((code) => code.dispose())))
        .then(
          () => {},
          () => {},
        )
        .finally(() => retiring.delete(retired)),
    };
    retiring.add(retired);
  };

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    get functions() {
      return served.configs;
    },
    get endpoints() {
      return endpoints;
    },
    reload: (update = {}) => {
      const result = reloading.then(() => reload(update));
      reloading = result.catch(() => {});
      return result;
    },
    close: () => {
      closed ??= (async () => {
        closing = true;
        await reloading;
        const stopped = Promise.all(
          servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
        );
        for (const server of servers) server.closeAllConnections();
        const old = [...retiring];
        await Promise.all([
          ...[...served.entries.values()].map((entry) => entry.pool.close()),
          ...old.flatMap((retired) => retired.pools.map((pool) => pool.close())),
        ]);
        await Promise.all(old.map((retired) => retired.done));
        await Promise.allSettled([...background]);
        await stopped;
        await Promise.all(served.built.map((code) => code.dispose()));
      })();
      return closed;
    },
  };
}

function hostForUrl(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
}

/**
 * Answers a request Node could not parse before closing the connection: 431 for headers over Node's limit
 * (16 KB), 400 otherwise (Node's own behaviour without a `clientError` listener).
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function route(
  context: FrontContext,
  management: ManagementContext,
  req: IncomingMessage,
  res: ServerResponse,
  closing: boolean,
  listener: FrontListener,
): Promise<void> {
  const requestId = randomUUID();
  req.on('error', () => {});
  res.on('error', () => {});
  if (closing) {
    sendAwsError(res, requestId, serviceException('The emulator is shutting down.'));
    return;
  }
  const front = matchFront(context, req.method ?? 'GET', req.headers.host, req.url ?? '/', listener);
  if (front) {
    await serveFront(context, front, req, res, requestId);
    return;
  }
  const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
  const read = matchManagementPath(req.method ?? 'GET', pathname);
  if (read) {
    handleManagement(management, req, res, read, requestId);
    return;
  }
  const match = req.method === 'POST' ? matchInvokePath(pathname) : undefined;
  if (!match) {
    sendAwsError(res, requestId, unknownOperation(req.method ?? 'GET', pathname));
    return;
  }
  if (match.api === 'invoke') await handleInvoke(context, req, res, match.label, requestId);
  else await handleResponseStream(context, req, res, match.label, requestId);
}
