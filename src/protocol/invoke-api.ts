/**
 * Constants of the client-facing Lambda APIs: `Invoke` (2015-03-31) and `InvokeWithResponseStream`
 * (2021-11-15), as the AWS SDKs speak them and as sluice's emulator serves them. Values follow the SDK service
 * model and what real Lambda sends; see ../shared/reference/invoke-api.md.
 */

/**
 * API version prefix of `Invoke` (buffered).
 *
 * @example
 * const path = `/${INVOKE_API_VERSION}/functions/hello/invocations`;
 */
export const INVOKE_API_VERSION = '2015-03-31';

/**
 * API version prefix of `InvokeWithResponseStream`.
 *
 * @example
 * const path = `/${RESPONSE_STREAM_API_VERSION}/functions/hello/response-streaming-invocations`;
 */
export const RESPONSE_STREAM_API_VERSION = '2021-11-15';

/**
 * Request paths of the two invoke APIs. `functionName` is percent-encoded, as the SDKs send it.
 *
 * @example
 * const path = InvokeApiPath.invoke('my-function'); // '/2015-03-31/functions/my-function/invocations'
 */
export const InvokeApiPath = {
  invoke: (functionName: string): string =>
    `/${INVOKE_API_VERSION}/functions/${encodeURIComponent(functionName)}/invocations`,
  responseStream: (functionName: string): string =>
    `/${RESPONSE_STREAM_API_VERSION}/functions/${encodeURIComponent(functionName)}/response-streaming-invocations`,
} as const;

/**
 * Request and response headers of `Invoke` and `InvokeWithResponseStream` (spellings from the SDK model;
 * HTTP header names are case-insensitive).
 *
 * @example
 * const logs = response.headers[InvokeHeader.logResult.toLowerCase()];
 */
export const InvokeHeader = {
  invocationType: 'X-Amz-Invocation-Type',
  logType: 'X-Amz-Log-Type',
  clientContext: 'X-Amz-Client-Context',
  tenantId: 'X-Amz-Tenant-Id',
  functionError: 'X-Amz-Function-Error',
  logResult: 'X-Amz-Log-Result',
  executedVersion: 'X-Amz-Executed-Version',
  requestId: 'x-amzn-RequestId',
  errorType: 'X-Amzn-ErrorType',
  traceId: 'X-Amzn-Trace-Id',
} as const;

/**
 * Values of `X-Amz-Invocation-Type`. `InvokeWithResponseStream` accepts only `RequestResponse` and `DryRun`.
 *
 * @example
 * if (type === InvocationType.event) respondAccepted();
 */
export const InvocationType = {
  requestResponse: 'RequestResponse',
  event: 'Event',
  dryRun: 'DryRun',
} as const;

/**
 * The version an unqualified invoke runs, reported in `X-Amz-Executed-Version`.
 *
 * @example
 * res.setHeader(InvokeHeader.executedVersion, LATEST_VERSION);
 */
export const LATEST_VERSION = '$LATEST';

/**
 * Largest synchronous invoke payload Lambda accepts ("Request must be smaller than 6291456 bytes").
 *
 * @example
 * if (payload.byteLength > MAX_SYNC_REQUEST_BYTES) throw new Error('payload too large');
 */
export const MAX_SYNC_REQUEST_BYTES = 6 * 1024 * 1024;

/**
 * Largest asynchronous (`Event`) invoke payload Lambda accepts (1 MB, AWS's current quota).
 *
 * @example
 * if (payload.byteLength > MAX_ASYNC_REQUEST_BYTES) throw new Error('payload too large for Event');
 */
export const MAX_ASYNC_REQUEST_BYTES = 1024 * 1024;

/**
 * Largest `X-Amz-Client-Context` value, in bytes of base64 text (SDK model).
 *
 * @example
 * if (clientContext.length > MAX_CLIENT_CONTEXT_BYTES) throw new Error('client context too large');
 */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

/**
 * `LogResult` and `X-Amz-Log-Result` carry the last 4 KB of the execution log, base64-encoded.
 *
 * @example
 * const tail = log.subarray(Math.max(0, log.length - LOG_TAIL_BYTES));
 */
export const LOG_TAIL_BYTES = 4096;

/**
 * `X-Amz-Function-Error` value for every error the function or the platform reports.
 *
 * @example
 * res.setHeader(InvokeHeader.functionError, UNHANDLED_FUNCTION_ERROR);
 */
export const UNHANDLED_FUNCTION_ERROR = 'Unhandled';

/**
 * Content type of an event-stream body (invoke-api.md §2).
 *
 * @example
 * res.setHeader('Content-Type', EVENT_STREAM_CONTENT_TYPE);
 */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/**
 * The two events of an `InvokeWithResponseStream` body (`:event-type` header values).
 *
 * @example
 * if (message.headers[':event-type']?.value === ResponseStreamEvent.invokeComplete) done();
 */
export const ResponseStreamEvent = {
  payloadChunk: 'PayloadChunk',
  invokeComplete: 'InvokeComplete',
} as const;

/**
 * The payload of the final `InvokeComplete` event: `{}` on success.
 *
 * @example
 * const complete: InvokeCompleteEvent = { ErrorCode: 'Unhandled', ErrorDetails: '{"errorType":"Error","errorMessage":"boom"}' };
 */
export interface InvokeCompleteEvent {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

/**
 * Lambda's response-streaming bandwidth: the first 6 MiB uncapped, then at most 2 MiB/s (RAPID's
 * `ResponseBandwidthBurstSize` and `ResponseBandwidthRate`).
 *
 * @example
 * new TokenBucket({ burstBytes: STREAM_BANDWIDTH_BURST_BYTES, bytesPerSecond: STREAM_BANDWIDTH_BYTES_PER_SECOND });
 */
export const STREAM_BANDWIDTH_BURST_BYTES = 6 * 1024 * 1024;

/**
 * Sustained response-streaming rate after the burst, in bytes per second.
 *
 * @example
 * const seconds = (bytes - STREAM_BANDWIDTH_BURST_BYTES) / STREAM_BANDWIDTH_BYTES_PER_SECOND;
 */
export const STREAM_BANDWIDTH_BYTES_PER_SECOND = 2 * 1024 * 1024;
