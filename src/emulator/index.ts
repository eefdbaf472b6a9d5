/**
 * sluice/emulator: a local Lambda service that streams. Real AWS clients (the SDKs' `Invoke` and
 * `InvokeWithResponseStream`, `ListFunctions` and `GetFunction*`, HTTP clients of function URLs and API Gateway REST and HTTP APIs) talk to it unchanged; real runtimes (sluice's own, AWS's Node runtime client, a
 * compiled `bootstrap`) run in it through the Runtime API.
 *
 * @example
 * import { startEmulator } from 'sluice/emulator';
 *
 * const emulator = await startEmulator({ functions: [{ name: 'hello', code: './src/hello.ts' }], port: 0 });
 * console.log(`Lambda endpoint: ${emulator.url}`);
 * process.on('SIGINT', () => void emulator.close());
 */
export { AWS_STREAM_BANDWIDTH, type BandwidthOptions, TokenBucket } from './bandwidth.js';
export {
  type BuiltCode,
  buildFunctionCode,
  bundleLambdaHandler,
  type LambdaBundle,
  type LambdaBundleOptions,
  lambdaBundleOptions,
} from './code-builder.js';
export {
  type Emulator,
  type EmulatorEndpoints,
  type EmulatorOptions,
  type EmulatorReload,
  startEmulator,
} from './emulator.js';
export {
  CodeBuildError,
  EmulatorClosedError,
  EmulatorConfigError,
  EmulatorErrorCode,
  EnvironmentLostError,
  RuntimeMissingError,
} from './errors.js';
export {
  type DecodedEvent,
  decodeEventStream,
  EventStreamDecoder,
  encodeInvokeComplete,
  encodePayloadChunk,
} from './event-stream.js';
export {
  type Architecture,
  FUNCTION_DEFAULTS,
  type FunctionConfig,
  type FunctionDefinition,
  type FunctionUrlAuthType,
  type FunctionUrlConfig,
  type FunctionUrlCors,
  type FunctionUrlCorsConfig,
  type FunctionUrlDefinition,
  type InvokeMode,
  RESERVED_ENVIRONMENT_KEYS,
  resolveFunctionConfig,
} from './function-config.js';
export { functionArn, parseFunctionName, resolveInvokeTarget } from './function-name.js';
export * from './http/index.js';
export { DEFAULT_LIMITS, type EmulatorLimits } from './limits.js';
export { LogTail } from './log-tail.js';
export { type EmulatorLogger, formatLogEntry, type LogEntry, stderrLogger } from './logger.js';
