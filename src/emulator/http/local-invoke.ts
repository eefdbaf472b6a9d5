/**
 * The local invocation endpoint of the Swift runtime's local server (runtime-api.md §5.5), so the test
 * commands of the Swift streaming examples work unchanged:
 * `curl -v --header "Content-Type: application/json" --data '"this is not used"' http://127.0.0.1:7000/invoke`.
 * `POST` with any body invokes the default function with that body, byte for byte, as its event and streams the
 * raw output back as it is written: 200, the prelude (if any) not interpreted, as the Swift server does. An
 * error before any output answers 500 with the error document; an empty body 400; another method 405.
 * Concurrent requests wait for capacity (the Swift server queues them) instead of being throttled.
 * `LOCAL_LAMBDA_HOST`, `LOCAL_LAMBDA_PORT` and `LOCAL_LAMBDA_INVOCATION_ENDPOINT` are honoured.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvokeHeader } from '../../protocol/index.js';
import { EmulatorConfigError } from '../errors.js';
import { newTraceId } from '../invoke-request.js';
import { type FrontContext, frontInvocation, frontLog } from './front-context.js';
import { functionUrlTooLarge, sendFrontError } from './front-errors.js';
import { declaredLengthExceeds, readRequestBody } from './request.js';
import { streamResponse } from './stream-response.js';

/**
 * Options of the dedicated local-invoke listener.
 *
 * @example
 * await startEmulator({ functions, localInvoke: { port: 7000 } });
 */
export interface LocalInvokeOptions {
  /** Default `LOCAL_LAMBDA_PORT`, else 7000; 0 picks a free port. */
  port?: number;
  /** Default `LOCAL_LAMBDA_HOST`, else `127.0.0.1`. */
  host?: string;
  /** Default `LOCAL_LAMBDA_INVOCATION_ENDPOINT`, else `/invoke`. */
  endpoint?: string;
}

/**
 * The resolved local-invoke settings.
 *
 * @example
 * resolveLocalInvoke(true, { LOCAL_LAMBDA_PORT: '8080' }); // { listen: true, port: 8080, host: '127.0.0.1', endpoint: '/invoke' }
 */
export interface LocalInvokeSettings {
  /** Whether to open the dedicated listener. */
  listen: boolean;
  port: number;
  host: string;
  /** The endpoint path; the emulator's own port serves it too (exact path). */
  endpoint: string;
}

/**
 * The Swift local server's defaults.
 *
 * @example
 * LOCAL_INVOKE_DEFAULTS.port; // 7000
 */
export const LOCAL_INVOKE_DEFAULTS = { port: 7000, host: '127.0.0.1', endpoint: '/invoke' } as const;

/**
 * Resolves the options with the Swift server's environment variables and defaults.
 *
 * @example
 * resolveLocalInvoke(undefined, {}); // { listen: false, port: 7000, host: '127.0.0.1', endpoint: '/invoke' }
 */
export function resolveLocalInvoke(
  option: boolean | LocalInvokeOptions | undefined,
  env: Readonly<Record<string, string | undefined>>,
): LocalInvokeSettings {
  const options = typeof option === 'object' && option !== null ? option : {};
  const envPort = env.LOCAL_LAMBDA_PORT;
  const port = options.port ?? (envPort ? Number(envPort) : LOCAL_INVOKE_DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorConfigError(
      `localInvoke.port (or LOCAL_LAMBDA_PORT) must be a port number; got ${JSON.stringify(options.port ?? envPort)}.`,
    );
  }
  const endpoint = options.endpoint ?? env.LOCAL_LAMBDA_INVOCATION_ENDPOINT ?? LOCAL_INVOKE_DEFAULTS.endpoint;
  if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) {
    throw new EmulatorConfigError(
      `localInvoke.endpoint (or LOCAL_LAMBDA_INVOCATION_ENDPOINT) must be a path starting with "/"; got ${JSON.stringify(endpoint)}.`,
    );
  }
  return {
    listen: option !== undefined && option !== false,
    port,
    host: options.host ?? env.LOCAL_LAMBDA_HOST ?? LOCAL_INVOKE_DEFAULTS.host,
    endpoint,
  };
}

function plain(res: ServerResponse, status: number, text: string, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(`${text}\n`);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.byteLength,
    [InvokeHeader.requestId]: requestId,
  });
  res.end(body);
}

/**
 * Serves one request to the local invoke endpoint.
 *
 * @example
 * await handleLocalInvoke(context, req, res, randomUUID());
 */
export async function handleLocalInvoke(
  context: FrontContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    res.setHeader('Allow', 'POST');
    plain(res, 405, `${req.method} is not allowed; POST the event to ${context.invokeEndpoint}.`, requestId);
    return;
  }
  const name = context.defaultFunction;
  const entry = name === undefined ? undefined : context.lookup(name);
  if (!entry) {
    req.resume();
    plain(res, 404, 'The emulator serves no function to invoke.', requestId);
    return;
  }
  const log = frontLog(context, entry.config.name, requestId);
  const limit = context.limits.requestBytes;
  if (declaredLengthExceeds(req, limit)) {
    req.resume();
    sendFrontError(res, functionUrlTooLarge(limit), requestId);
    return;
  }
  const read = await readRequestBody(req, limit);
  if (!read.ok) {
    if (read.reason === 'too-large') sendFrontError(res, functionUrlTooLarge(limit), requestId);
    return;
  }
  if (read.body.byteLength === 0) {
    plain(res, 400, `POST the event as the request body (e.g. --data '{}').`, requestId);
    return;
  }
  let lease: Awaited<ReturnType<typeof entry.pool.acquire>>;
  try {
    lease = await entry.pool.acquire();
  } catch {
    plain(res, 500, 'The emulator is shutting down.', requestId);
    return;
  }
  const traceId = (req.headers['x-amzn-trace-id'] as string | undefined) ?? newTraceId();
  const invocation = frontInvocation(context, entry, {
    requestId,
    payload: read.body,
    traceId,
    responseLimit: context.limits.streamedResponseBytes,
  });
  void lease.run(invocation);
  await streamResponse({
    res,
    invocation,
    front: 'raw',
    baseHeaders: [[InvokeHeader.requestId, requestId]],
    bandwidth: context.bandwidth,
    midStreamError: context.midStreamError,
    log,
    failBeforeHead: (failure) => {
      if (res.headersSent || res.destroyed) return;
      const body =
        failure.kind === 'function-error' && failure.result.error
          ? failure.result.error.payload
          : Buffer.from(JSON.stringify({ errorType: 'Runtime.Error', errorMessage: 'invalid response' }));
      res.writeHead(500, {
        'Content-Type': 'application/json',
        'Content-Length': body.byteLength,
        [InvokeHeader.requestId]: requestId,
      });
      res.end(body);
    },
  });
}
