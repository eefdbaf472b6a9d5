/**
 * The emulator's HTTP fronts: Lambda function URLs (payload 2.0 events, BUFFERED and RESPONSE_STREAM, AuthType
 * NONE and AWS_IAM with SigV4 verification, CORS), API Gateway REST APIs (proxy 1.0 events, buffered and
 * `responseTransferMode: STREAM` integrations), API Gateway HTTP APIs (payload 2.0 or 1.0 events, buffered)
 * and the Swift runtime's local `/invoke` endpoint. They are
 * served by `startEmulator`; the pure parts (event builders, result readers, the SigV4 verifier, CORS, routing)
 * are exported for tests and tools.
 *
 * @example
 * import { buildFunctionUrlEvent, verifySigV4 } from 'sluice/emulator';
 */
export { type BufferedHttpResponse, functionUrlResponse, restProxyResponse } from './buffered-response.js';
export { allowOriginFor, applyCors, type HeaderList, isPreflight, preflightHeaders } from './cors.js';
export {
  CredentialEnv,
  DEFAULT_CREDENTIALS,
  resolveCredentials,
  type SigV4Credentials,
} from './credentials.js';
export {
  type FrontListener,
  type FrontRouting,
  type FrontTarget,
  FUNCTION_URL_PATH_PREFIX,
  matchFront,
} from './fronts.js';
export { HTTP_API_PATH_PREFIX } from './http-api.js';
export {
  buildHttpApiEvent,
  buildHttpApiV1Event,
  type HttpApiEvent,
  type HttpApiEventOptions,
  type HttpApiV1Event,
  type HttpApiV1EventOptions,
  httpApiDomain,
} from './http-api-event.js';
export {
  HTTP_API_DEFAULT,
  type HttpApi,
  type HttpApiDefinition,
  type HttpApiPayloadFormatVersion,
  type HttpApiRoute,
  type HttpApiRouteDefinition,
  type HttpRouteMatch,
  matchHttpRoute,
  resolveHttpApis,
  stageRoutePath,
} from './http-api-routes.js';
export {
  LOCAL_INVOKE_DEFAULTS,
  type LocalInvokeOptions,
  type LocalInvokeSettings,
  resolveLocalInvoke,
} from './local-invoke.js';
export { PreludeReader, type PreludeStep } from './prelude-reader.js';
export { formatRequestTime, type HttpRequestSnapshot, isTextContentType, parseQuery } from './request.js';
export { HOP_BY_HOP_HEADERS, headFromMetadata, parseStatusCode, type ResponseHead } from './response-head.js';
export {
  buildRestApiEvent,
  type RestApiEvent,
  type RestApiEventOptions,
  type RestIdentity,
} from './rest-event.js';
export {
  DEFAULT_STAGE,
  isBinaryMediaType,
  matchRestRoute,
  type RestApi,
  type RestApiDefinition,
  type RestMethod,
  type RestRoute,
  type RestRouteDefinition,
  type RestRouteMatch,
  resolveRestApis,
} from './rest-routes.js';
export {
  type ParsedAuthorization,
  parseAmzDate,
  parseAuthorization,
  type SignedRequest,
  type SigV4FailureReason,
  type SigV4Verification,
  type SigV4VerifyOptions,
  verifySigV4,
} from './sigv4-verifier.js';
export {
  buildFunctionUrlEvent,
  type FunctionUrlEvent,
  type FunctionUrlEventOptions,
  type IamAuthorizer,
  type PayloadV2Http,
} from './url-event.js';
