/**
 * The events an API Gateway HTTP API sends a Lambda proxy integration: payload format 2.0 (the default) and
 * 1.0 (API Gateway developer guide, "Create AWS Lambda proxy integrations for HTTP APIs"; real 2.0 captures in
 * aws/aws-lambda-go `events/testdata/apigw-v2-request-*.json`). Format 2.0 is the function URL event with the
 * route in `routeKey`, `pathParameters`, the API's stage and id, and API Gateway's request id
 * (`LV7fzho-PHcEJPw=`); format 1.0 is the REST proxy event with `version: "1.0"`. A named stage stays in the
 * path the function sees (`rawPath` `/dev/items/1`; 1.0 `path` and `requestContext.path`), the `$default`
 * stage adds nothing. Pure: a request snapshot in, the event out.
 */
import { formatRequestTime, type HttpRequestSnapshot, isTextContentType } from './request.js';
import { proxyV1Request, type RestApiEvent, type RestIdentity } from './rest-event.js';
import { type PayloadV2Http, payloadV2Request } from './url-event.js';

/**
 * The payload 2.0 event of an HTTP API route.
 *
 * @example
 * const event: HttpApiEvent = buildHttpApiEvent(snapshot, options);
 * event.routeKey; // 'GET /items/{id}'
 */
export interface HttpApiEvent {
  version: '2.0';
  /** `GET /items/{id}`, or `$default`. */
  routeKey: string;
  /** The path as sent, a named stage included. */
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: PayloadV2Http;
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  /** Present when the route has path parameters. */
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
}

/**
 * What an HTTP API event says about the API, the route and the request.
 *
 * @example
 * const options: HttpApiEventOptions = {
 *   apiId: 'serverlesshttpapi', stage: '$default', routeKey: 'GET /items/{id}', pathParameters: { id: '42' },
 *   requestId: 'LV7fzho-PHcEJPw=', accountId: '123456789012', traceId: 'Root=1-5e9f0c65-1de4d666d4dd26aced652b6c',
 * };
 */
export interface HttpApiEventOptions {
  apiId: string;
  stage: string;
  routeKey: string;
  pathParameters: Record<string, string>;
  /** API Gateway's request id (also the `apigw-requestid` response header). */
  requestId: string;
  /** The API owner's account (not the caller's, unlike a function URL's `anonymous`). */
  accountId: string;
  /** `x-amzn-trace-id`, added to the headers unless the client sent one. */
  traceId: string;
}

/**
 * The host of an HTTP API locally: `<apiId>.execute-api.localhost` (`requestContext.domainName`).
 *
 * @example
 * httpApiDomain('serverlesshttpapi'); // 'serverlesshttpapi.execute-api.localhost'
 */
export function httpApiDomain(apiId: string): string {
  return `${apiId}.execute-api.localhost`;
}

/**
 * Builds the payload 2.0 event of an HTTP API: headers, cookies, query and body as a function URL's event
 * (`payloadV2Request`), `routeKey` twice, `pathParameters` when the route has any (no `stageVariables`), the
 * stage, and `domainName`/`domainPrefix` of `<apiId>.execute-api.localhost`.
 *
 * @example
 * const event = buildHttpApiEvent(snapshot, { apiId: 'api', stage: '$default', routeKey: '$default', pathParameters: {}, … });
 */
export function buildHttpApiEvent(request: HttpRequestSnapshot, options: HttpApiEventOptions): HttpApiEvent {
  const { http, body, ...parts } = payloadV2Request(request, { traceId: options.traceId });
  const hasParameters = Object.keys(options.pathParameters).length > 0;
  return {
    version: '2.0',
    routeKey: options.routeKey,
    ...parts,
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId,
      domainName: httpApiDomain(options.apiId),
      domainPrefix: options.apiId,
      http,
      requestId: options.requestId,
      routeKey: options.routeKey,
      stage: options.stage,
      time: formatRequestTime(request.receivedAt),
      timeEpoch: request.receivedAt,
    },
    ...(body.body === undefined ? {} : { body: body.body }),
    ...(hasParameters ? { pathParameters: options.pathParameters } : {}),
    isBase64Encoded: body.isBase64Encoded,
  };
}

/**
 * The payload 1.0 event of an HTTP API: the REST proxy event's fields with `version: "1.0"`;
 * `requestContext` as the developer guide's example has it (`resourceId: null`, no `deploymentId`).
 *
 * @example
 * const event: HttpApiV1Event = buildHttpApiV1Event(snapshot, options);
 * event.resource; // '/items/{id}'
 */
export interface HttpApiV1Event extends Omit<RestApiEvent, 'requestContext'> {
  version: '1.0';
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    extendedRequestId: string;
    httpMethod: string;
    identity: RestIdentity;
    path: string;
    protocol: string;
    requestId: string;
    requestTime: string;
    requestTimeEpoch: number;
    resourceId: null;
    resourcePath: string;
    stage: string;
  };
}

/**
 * What a payload 1.0 event of an HTTP API says about the API and the route.
 *
 * @example
 * const options: HttpApiV1EventOptions = {
 *   apiId: 'api', stage: '$default', resource: '/items/{id}', pathParameters: { id: '42' },
 *   requestId: 'LV7fzho-PHcEJPw=', accountId: '123456789012', traceId: 'Root=1-5e9f0c65-1de4d666d4dd26aced652b6c',
 * };
 */
export interface HttpApiV1EventOptions {
  apiId: string;
  stage: string;
  /** The route's path (`/items/{id}`), or `$default`. */
  resource: string;
  pathParameters: Record<string, string>;
  requestId: string;
  accountId: string;
  traceId: string;
}

/**
 * Builds the payload 1.0 event of an HTTP API (`proxyV1Request`). Bodies whose content type is not text are
 * base64-encoded: HTTP APIs have no binary media types and decide as for format 2.0.
 *
 * @example
 * const event = buildHttpApiV1Event(snapshot, { apiId: 'api', stage: '$default', resource: '/items/{id}', … });
 */
export function buildHttpApiV1Event(
  request: HttpRequestSnapshot,
  options: HttpApiV1EventOptions,
): HttpApiV1Event {
  const { identity, body, isBase64Encoded, ...parts } = proxyV1Request(request, {
    traceId: options.traceId,
    base64Body: (contentType) => !isTextContentType(contentType),
  });
  return {
    version: '1.0',
    resource: options.resource,
    path: request.rawPath,
    httpMethod: request.method,
    ...parts,
    pathParameters: Object.keys(options.pathParameters).length > 0 ? options.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId,
      domainName: httpApiDomain(options.apiId),
      domainPrefix: options.apiId,
      extendedRequestId: options.requestId,
      httpMethod: request.method,
      identity,
      path: request.rawPath,
      protocol: request.protocol,
      requestId: options.requestId,
      requestTime: formatRequestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt,
      resourceId: null,
      resourcePath: options.resource,
      stage: options.stage,
    },
    body,
    isBase64Encoded,
  };
}
