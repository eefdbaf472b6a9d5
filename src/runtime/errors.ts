/**
 * Errors the runtime throws on purpose. Each has a stable `code` (docs/errors.md). Errors that Lambda itself
 * reports also carry AWS's `Runtime.*` error type as their `name`, because the runtime reports `name` as the
 * `errorType` of the invocation, exactly as AWS's Node runtime does.
 */
import { RuntimeErrorType, SluiceError } from '../protocol/index.js';

/** Stable codes of the runtime's errors. */
export const RuntimeErrorCode = {
  writeAfterFinish: 'SLUICE_WRITE_AFTER_FINISH',
  finishAfterFinish: 'SLUICE_FINISH_AFTER_FINISH',
  headersAfterWrite: 'SLUICE_HEADERS_AFTER_WRITE',
  headersAlreadySent: 'SLUICE_HEADERS_ALREADY_SENT',
  invalidChunk: 'SLUICE_INVALID_CHUNK',
  invalidStatusCode: 'SLUICE_INVALID_STATUS_CODE',
  invalidStreamingOperation: 'SLUICE_INVALID_STREAMING_OPERATION',
  streamNotFinished: 'SLUICE_STREAM_NOT_FINISHED',
  runtimeApiUnset: 'SLUICE_RUNTIME_API_UNSET',
  runtimeApiInvalid: 'SLUICE_RUNTIME_API_INVALID',
  runtimeApiStatus: 'SLUICE_RUNTIME_API_STATUS',
  runtimeApiMissingHeader: 'SLUICE_RUNTIME_API_MISSING_HEADER',
  importModule: 'SLUICE_IMPORT_MODULE_ERROR',
  handlerNotFound: 'SLUICE_HANDLER_NOT_FOUND',
  malformedHandlerName: 'SLUICE_MALFORMED_HANDLER_NAME',
  userCodeSyntax: 'SLUICE_USER_CODE_SYNTAX_ERROR',
  malformedStreamingHandler: 'SLUICE_MALFORMED_STREAMING_HANDLER',
  unhandledRejection: 'SLUICE_UNHANDLED_REJECTION',
} as const;

export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/**
 * An illegal move on a response writer: writing or finishing after finish, or sending status and headers
 * after the body started. Mirrors the Swift runtime's `writeAfterFinishHasBeenSent` and
 * `finishAfterFinishHasBeenSent`, but throws instead of crashing the process.
 *
 * @example
 * await writer.finish();
 * await writer.finish(); // throws WriterStateError, code 'SLUICE_FINISH_AFTER_FINISH'
 */
export class WriterStateError extends SluiceError {
  constructor(code: RuntimeErrorCode, message: string) {
    super(code, message);
    this.name = 'Runtime.InvalidStreamingOperation';
  }
}

/**
 * A failure that the runtime reports to Lambda under one of AWS's `Runtime.*` error types
 * (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, ...). `name` is the error type.
 *
 * @example
 * throw new LambdaRuntimeError(RuntimeErrorType.handlerNotFound, 'SLUICE_HANDLER_NOT_FOUND', 'index.nope is undefined or not exported');
 */
export class LambdaRuntimeError extends SluiceError {
  constructor(errorType: string, code: RuntimeErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = errorType;
  }
}

/**
 * An operation on an awslambda-style response stream that AWS's runtime also refuses, such as
 * `setContentType()` after the first write. Name and message match AWS's Node runtime.
 *
 * @example
 * responseStream.write('x');
 * responseStream.setContentType('text/plain'); // throws: Cannot set content-type, too late.
 */
export class InvalidStreamingOperation extends LambdaRuntimeError {
  constructor(message: string) {
    super(RuntimeErrorType.invalidStreamingOperation, RuntimeErrorCode.invalidStreamingOperation, message);
  }
}

/**
 * The Runtime API is unreachable, misconfigured or answered in a way the runtime cannot continue from.
 *
 * @example
 * new RuntimeApiError('SLUICE_RUNTIME_API_STATUS', 'GET /next answered 500');
 */
export class RuntimeApiError extends SluiceError {
  readonly statusCode: number | undefined;

  constructor(code: RuntimeErrorCode, message: string, statusCode?: number) {
    super(code, message);
    this.name = 'RuntimeApiError';
    this.statusCode = statusCode;
  }
}
