/**
 * sluice/runtime: what runs inside a Lambda function. Imports only `node:` built-ins and sluice/protocol,
 * because it ships inside every function zip.
 */
export {
  HIGH_WATER_MARK_TAG,
  HttpResponseStream,
  handlerMode,
  installAwsLambdaGlobal,
  type LambdaResponseStream,
  STREAMING_HANDLER_TAG,
  type StreamifyHandler,
  type StreamifyOptions,
  streamifyResponse,
} from './awslambda.js';
export { type ClientContext, type CognitoIdentity, createContext, type LambdaContext } from './context.js';
export {
  InvalidStreamingOperation,
  LambdaRuntimeError,
  RuntimeApiError,
  RuntimeErrorCode,
  WriterStateError,
} from './errors.js';
export { HttpRuntimeClient, parseRuntimeApiAddress } from './http-runtime-client.js';
export { type AnyHandler, LambdaRuntime, type LambdaRuntimeOptions } from './lambda-runtime.js';
export { loadHandler, splitHandlerString } from './load-handler.js';
export { formatLogLine, patchConsole } from './logging.js';
export { ResponseStream, type ResponseStreamOptions } from './response-stream.js';
export type { Invocation, ResponseSink, RuntimeApiReply, RuntimeClient } from './runtime-client.js';
export { INIT_ERROR_EXIT_CODE, start } from './start.js';
export {
  type LambdaResponseStreamWriter,
  ResponseStreamWriter,
  type StatusAndHeaders,
} from './stream-writer.js';
export { type StreamingHandlerFunction, streamingHandler } from './streaming-handler.js';
export { SLUICE_VERSION } from './version.js';
