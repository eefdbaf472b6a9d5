/**
 * Constants of the Lambda Runtime API (version 2018-06-01), shared by the runtime (client side) and the
 * emulator (server side). Values follow AWS's OpenAPI spec and RAPID, AWS's own server implementation;
 * see ../shared/reference/runtime-api.md §1–2.
 */

/** Every Runtime API path starts with this version prefix. */
export const RUNTIME_API_VERSION = '2018-06-01';

/**
 * Paths of the Runtime API. Request ids are URI-encoded, as the official Node client does.
 *
 * @example
 * const url = `http://${process.env.AWS_LAMBDA_RUNTIME_API}${RuntimeApiPath.next}`;
 */
export const RuntimeApiPath = {
  next: `/${RUNTIME_API_VERSION}/runtime/invocation/next`,
  response: (requestId: string): string =>
    `/${RUNTIME_API_VERSION}/runtime/invocation/${encodeURIComponent(requestId)}/response`,
  error: (requestId: string): string =>
    `/${RUNTIME_API_VERSION}/runtime/invocation/${encodeURIComponent(requestId)}/error`,
  initError: `/${RUNTIME_API_VERSION}/runtime/init/error`,
} as const;

/**
 * Header names of the Runtime API. HTTP header names are case-insensitive; these are the spellings AWS
 * documents.
 *
 * @example
 * const requestId = response.headers[RuntimeHeader.requestId.toLowerCase()];
 */
export const RuntimeHeader = {
  requestId: 'Lambda-Runtime-Aws-Request-Id',
  deadlineMs: 'Lambda-Runtime-Deadline-Ms',
  invokedFunctionArn: 'Lambda-Runtime-Invoked-Function-Arn',
  traceId: 'Lambda-Runtime-Trace-Id',
  clientContext: 'Lambda-Runtime-Client-Context',
  cognitoIdentity: 'Lambda-Runtime-Cognito-Identity',
  tenantId: 'Lambda-Runtime-Aws-Tenant-Id',
  /** `streaming` on a streaming `/response` POST; absent means buffered. */
  responseMode: 'Lambda-Runtime-Function-Response-Mode',
  /** Request header of `/error` and `/init/error`, and trailer of a failed streaming response. */
  errorType: 'Lambda-Runtime-Function-Error-Type',
  /** Trailer of a failed streaming response: standard padded base64 of the error document JSON. */
  errorBody: 'Lambda-Runtime-Function-Error-Body',
  xrayErrorCause: 'Lambda-Runtime-Function-XRay-Error-Cause',
} as const;

/** The only value RAPID accepts for the response-mode header (lower case, exact). */
export const STREAMING_RESPONSE_MODE = 'streaming';

/** Content type of a streamed response when the function sets none (the official Node client's default). */
export const DEFAULT_STREAM_CONTENT_TYPE = 'application/octet-stream';

/** Content type of error documents posted to `/error`, per AWS's OpenAPI spec. */
export const ERROR_DOCUMENT_CONTENT_TYPE = 'application/vnd.aws.lambda.error+json';

/** Largest buffered response RAPID accepts: 6 MiB + 100 bytes (`interop.MaxPayloadSize`). */
export const MAX_BUFFERED_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** Largest streamed response Lambda delivers (documented soft limit). */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

/** Body of every 202 the Runtime API sends; RAPID's Go JSON encoder appends the newline. */
export const ACCEPTED_BODY = '{"status":"OK"}\n';

/**
 * Environment variables Lambda sets in an execution environment (AWS's "defined runtime environment
 * variables"), as the runtime reads them and the emulator sets them.
 *
 * @example
 * const api = process.env[RuntimeEnv.runtimeApi]; // "127.0.0.1:9001"
 */
export const RuntimeEnv = {
  runtimeApi: 'AWS_LAMBDA_RUNTIME_API',
  handler: '_HANDLER',
  taskRoot: 'LAMBDA_TASK_ROOT',
  functionName: 'AWS_LAMBDA_FUNCTION_NAME',
  functionVersion: 'AWS_LAMBDA_FUNCTION_VERSION',
  functionMemorySize: 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  logGroupName: 'AWS_LAMBDA_LOG_GROUP_NAME',
  logStreamName: 'AWS_LAMBDA_LOG_STREAM_NAME',
  traceId: '_X_AMZN_TRACE_ID',
  logFormat: 'AWS_LAMBDA_LOG_FORMAT',
  logLevel: 'AWS_LAMBDA_LOG_LEVEL',
  noGlobalAwsLambda: 'AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA',
  region: 'AWS_REGION',
} as const;

/**
 * Error types the runtime reports for failures of its own, with the `Runtime.` prefix AWS's runtimes use.
 *
 * @example
 * postInitError({ errorType: RuntimeErrorType.handlerNotFound, errorMessage: 'index.nope is undefined or not exported' });
 */
export const RuntimeErrorType = {
  importModuleError: 'Runtime.ImportModuleError',
  handlerNotFound: 'Runtime.HandlerNotFound',
  malformedHandlerName: 'Runtime.MalformedHandlerName',
  userCodeSyntaxError: 'Runtime.UserCodeSyntaxError',
  malformedStreamingHandler: 'Runtime.MalformedStreamingHandler',
  invalidStreamingOperation: 'Runtime.InvalidStreamingOperation',
  unhandledPromiseRejection: 'Runtime.UnhandledPromiseRejection',
  exitError: 'Runtime.ExitError',
} as const;
