/**
 * What `Invoke` and `InvokeWithResponseStream` requests have in common: the invocation headers (validated
 * against the SDK model's enums and lengths), the payload (size-limited, JSON-checked) and the trace header.
 * Errors are Lambda's API errors, ready to send before any response byte.
 */
import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { InvocationType, InvokeHeader, MAX_CLIENT_CONTEXT_BYTES } from '../protocol/index.js';
import {
  type AwsApiError,
  invalidRequestContent,
  requestEntityTooLarge,
  validationError,
} from './aws-errors.js';
import type { InvokeApi } from './function-name.js';

/**
 * A value of `X-Amz-Invocation-Type`.
 *
 * @example
 * const type: InvocationTypeValue = 'Event';
 */
export type InvocationTypeValue = (typeof InvocationType)[keyof typeof InvocationType];

/**
 * The invocation headers of a request.
 *
 * @example
 * const parsed = parseInvokeHeaders(req, 'invoke');
 * if (parsed.ok && parsed.headers.invocationType === 'Event') respondAccepted();
 */
export interface InvokeHeaders {
  invocationType: InvocationTypeValue;
  /** `X-Amz-Log-Type: Tail`. */
  logTail: boolean;
  /** JSON text of the decoded `X-Amz-Client-Context`, passed to the runtime as `Lambda-Runtime-Client-Context`. */
  clientContext?: string;
  tenantId?: string;
  /** `X-Amzn-Trace-Id` of the request, or a fresh one. */
  traceId: string;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * JSON text that can travel in an HTTP header: no line breaks (compact) and non-ASCII characters escaped as
 * `\uXXXX`, which denotes the same JSON value.
 *
 * @example
 * headerSafeJson({ name: 'Zoë' }); // '{"name":"Zo\\u00eb"}'
 */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A trace id's random part: 96 bits of root id, 64 bits of parent id. */
const TRACE_ID_RANDOM_BYTES = 20;
/**
 * Random bytes for trace ids, filled for 200 ids at a time as `crypto.randomUUID()` caches its entropy: two
 * `randomBytes()` calls per invocation were 3% of the emulator's time at ~1,000 invocations per second.
 */
const traceEntropy = Buffer.alloc(TRACE_ID_RANDOM_BYTES * 200);
let traceEntropyOffset = traceEntropy.byteLength;

/**
 * A new X-Ray trace header, `Root=1-<epoch seconds hex>-<96-bit id>;Parent=<64-bit id>;Sampled=0`.
 *
 * @example
 * newTraceId(); // 'Root=1-67a1b2c3-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0'
 */
export function newTraceId(): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  if (traceEntropyOffset + TRACE_ID_RANDOM_BYTES > traceEntropy.byteLength) {
    randomFillSync(traceEntropy);
    traceEntropyOffset = 0;
  }
  const start = traceEntropyOffset;
  traceEntropyOffset += TRACE_ID_RANDOM_BYTES;
  const root = traceEntropy.toString('hex', start, start + 12);
  const parent = traceEntropy.toString('hex', start + 12, start + TRACE_ID_RANDOM_BYTES);
  return `Root=1-${seconds}-${root};Parent=${parent};Sampled=0`;
}

/**
 * Validates the invocation headers. `InvokeWithResponseStream` accepts only `RequestResponse` and `DryRun`
 * (its model's `ResponseStreamingInvocationType`).
 *
 * @example
 * const parsed = parseInvokeHeaders(req, 'response-stream');
 * if (!parsed.ok) return sendAwsError(res, requestId, parsed.error);
 */
export function parseInvokeHeaders(
  req: IncomingMessage,
  api: InvokeApi,
): { ok: true; headers: InvokeHeaders } | { ok: false; error: AwsApiError } {
  const allowed: readonly string[] =
    api === 'invoke'
      ? [InvocationType.event, InvocationType.requestResponse, InvocationType.dryRun]
      : [InvocationType.requestResponse, InvocationType.dryRun];
  const type = header(req, InvokeHeader.invocationType) || InvocationType.requestResponse;
  if (!allowed.includes(type)) {
    return {
      ok: false,
      error: validationError(
        'invocationType',
        type,
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
      ),
    };
  }
  const logType = header(req, InvokeHeader.logType) || 'None';
  if (logType !== 'None' && logType !== 'Tail') {
    return {
      ok: false,
      error: validationError('logType', logType, 'Member must satisfy enum value set: [None, Tail]'),
    };
  }
  const headers: InvokeHeaders = {
    invocationType: type as InvocationTypeValue,
    logTail: logType === 'Tail',
    traceId: header(req, InvokeHeader.traceId) || newTraceId(),
  };
  const clientContext = header(req, InvokeHeader.clientContext);
  if (clientContext) {
    if (clientContext.length > MAX_CLIENT_CONTEXT_BYTES) {
      return {
        ok: false,
        error: validationError(
          'clientContext',
          clientContext,
          `Member must have length less than or equal to ${MAX_CLIENT_CONTEXT_BYTES}`,
        ),
      };
    }
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(clientContext, 'base64').toString('utf8'));
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        error: invalidRequestContent('Client context must be a valid Base64-encoded JSON object.'),
      };
    }
    headers.clientContext = headerSafeJson(value);
  }
  const tenantId = header(req, InvokeHeader.tenantId);
  if (tenantId) headers.tenantId = tenantId;
  return { ok: true, headers };
}

/**
 * Whether the declared `Content-Length` already exceeds the limit (answer 413 without reading the body).
 *
 * @example
 * if (declaredTooLarge(req, 6291456)) return sendAwsError(res, id, requestEntityTooLarge());
 */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = Number(header(req, 'content-length'));
  return Number.isFinite(declared) && declared > limit;
}

/**
 * Reads the payload, stopping at `limit` bytes: 413 `RequestEntityTooLargeException` beyond it. An empty
 * payload becomes `{}`, the event Lambda delivers when a caller sends none.
 *
 * @example
 * const body = await readPayload(req, 6291456);
 * if (!body.ok) return sendAwsError(res, id, body.error);
 */
export function readPayload(
  req: IncomingMessage,
  limit: number,
): Promise<{ ok: true; payload: Buffer } | { ok: false; error: AwsApiError }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: { ok: true; payload: Buffer } | { ok: false; error: AwsApiError }) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false, error: requestEntityTooLarge(limit) });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const payload = Buffer.concat(chunks);
      finish({ ok: true, payload: payload.byteLength === 0 ? Buffer.from('{}') : payload });
    });
    req.on('error', () =>
      finish({ ok: false, error: invalidRequestContent('The request body could not be read.') }),
    );
  });
}

/**
 * Lambda accepts only JSON payloads on the invoke APIs ("Could not parse request body into json").
 *
 * @example
 * const error = checkJsonPayload(Buffer.from('hello')); // InvalidRequestContentException
 */
export function checkJsonPayload(payload: Buffer): AwsApiError | undefined {
  try {
    JSON.parse(payload.toString('utf8'));
    return undefined;
  } catch (error) {
    return invalidRequestContent(
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
}
