/**
 * sluice/protocol: pure codecs and constants shared by the runtime (inside the function) and the emulator
 * (the local Lambda service). No I/O lives here.
 */
export {
  decodeErrorBody,
  ERROR_TRAILER_NAMES,
  type ErrorDocument,
  encodeErrorBody,
  errorTrailers,
  parseErrorDocument,
  readErrorTrailers,
  sanitizeErrorType,
  toErrorDocument,
} from './error-document.js';
export { SluiceError } from './errors.js';
export {
  EVENT_STREAM_CONTENT_TYPE,
  INVOKE_API_VERSION,
  InvocationType,
  InvokeApiPath,
  type InvokeCompleteEvent,
  InvokeHeader,
  LATEST_VERSION,
  LOG_TAIL_BYTES,
  MAX_ASYNC_REQUEST_BYTES,
  MAX_CLIENT_CONTEXT_BYTES,
  MAX_SYNC_REQUEST_BYTES,
  RESPONSE_STREAM_API_VERSION,
  ResponseStreamEvent,
  STREAM_BANDWIDTH_BURST_BYTES,
  STREAM_BANDWIDTH_BYTES_PER_SECOND,
  UNHANDLED_FUNCTION_ERROR,
} from './invoke-api.js';
export {
  encodePrelude,
  type HttpResponseMetadata,
  MAX_PRELUDE_SCAN_BYTES,
  PRELUDE_CONTENT_TYPE,
  PRELUDE_DELIMITER_LENGTH,
  type PreludeSplit,
  splitPrelude,
} from './prelude.js';
export {
  ACCEPTED_BODY,
  DEFAULT_STREAM_CONTENT_TYPE,
  ERROR_DOCUMENT_CONTENT_TYPE,
  MAX_BUFFERED_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
  RUNTIME_API_VERSION,
  RuntimeApiPath,
  RuntimeEnv,
  RuntimeErrorType,
  RuntimeHeader,
  STREAMING_RESPONSE_MODE,
} from './runtime-api.js';
