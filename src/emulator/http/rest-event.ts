/**
 * The event an API Gateway REST API sends a Lambda proxy integration (payload format 1.0). A streaming
 * integration receives the same event: "The input format is the same as the Lambda function input format for
 * proxy integration" (API Gateway docs, response-transfer-mode-lambda). Shape from aws/aws-lambda-go
 * `events/apigw.go` `APIGatewayProxyRequest` (http-fronts.md §2.2). Pure.
 */

import { firstHeader, formatRequestTime, type HttpRequestSnapshot, parseQuery } from './request.js';
import { isBinaryMediaType } from './rest-routes.js';

/**
 * `requestContext.identity` of a REST event: who called. Without an authorizer only `sourceIp` and
 * `userAgent` are known; the other keys are present and null, as on API Gateway.
 *
 * @example
 * event.requestContext.identity.sourceIp; // '127.0.0.1'
 */
export interface RestIdentity {
  cognitoIdentityPoolId: null;
  accountId: null;
  cognitoIdentityId: null;
  caller: null;
  apiKey: null;
  apiKeyId: null;
  accessKey: null;
  sourceIp: string;
  cognitoAuthenticationType: null;
  cognitoAuthenticationProvider: null;
  userArn: null;
  userAgent: string | null;
  user: null;
  principalOrgId: null;
  clientCert: null;
}

/**
 * The REST proxy (1.0) event.
 *
 * @example
 * const event: RestApiEvent = buildRestApiEvent(snapshot, options);
 * event.pathParameters; // { proxy: 'a/b' }
 */
export interface RestApiEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: {
    resourceId: string;
    resourcePath: string;
    httpMethod: string;
    extendedRequestId: string;
    requestTime: string;
    path: string;
    accountId: string;
    protocol: string;
    stage: string;
    domainPrefix: string;
    requestTimeEpoch: number;
    requestId: string;
    identity: RestIdentity;
    domainName: string;
    deploymentId: string;
    apiId: string;
  };
  body: string | null;
  isBase64Encoded: boolean;
}

/**
 * What the event says about the API, the route and the request ids.
 *
 * @example
 * const options: RestApiEventOptions = {
 *   apiId: 'api', stage: 'Prod', resource: '/{proxy+}', resourceId: 'a1b2c3', pathParameters: { proxy: 'x' },
 *   requestId: randomUUID(), extendedRequestId: 'Fa2bVGx3oAMEbLw=', accountId: '123456789012',
 *   traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793', binaryMediaTypes: [],
 * };
 */
export interface RestApiEventOptions {
  apiId: string;
  stage: string;
  /** The matched resource path (`/items/{id}`). */
  resource: string;
  resourceId: string;
  pathParameters: Record<string, string>;
  requestId: string;
  extendedRequestId: string;
  accountId: string;
  traceId: string;
  binaryMediaTypes: readonly string[];
}

/**
 * The parts of a payload 1.0 (proxy) event that come from the request alone, shared by REST APIs and HTTP APIs
 * configured for format 1.0. Header names keep the client's case; `headers` has the last value of a repeated
 * header and `multiValueHeaders` all of them (query parameters likewise); absent maps are `null`; the body is
 * base64-encoded with `isBase64Encoded: true` when `base64Body` says so for its content type; API Gateway's
 * forwarding headers (`X-Forwarded-For`, `-Port`, `-Proto`, `X-Amzn-Trace-Id`) are added.
 *
 * @example
 * const parts = proxyV1Request(snapshot, { traceId, base64Body: (type) => isBinaryMediaType(type, ['image/*']) });
 */
export function proxyV1Request(
  request: HttpRequestSnapshot,
  options: { traceId: string; base64Body: (contentType: string | undefined) => boolean },
): Pick<
  RestApiEvent,
  | 'headers'
  | 'multiValueHeaders'
  | 'queryStringParameters'
  | 'multiValueQueryStringParameters'
  | 'body'
  | 'isBase64Encoded'
> & { identity: RestIdentity } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const names = new Map<string, string>();
  const add = (name: string, value: string) => {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    headers[key] = value;
    const list = multiValueHeaders[key];
    if (list) list.push(value);
    else multiValueHeaders[key] = [value];
  };
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2)
    add(request.rawHeaders[i]!, request.rawHeaders[i + 1]!);
  const forwarded = names.get('x-forwarded-for');
  if (forwarded) {
    const value = `${headers[forwarded]}, ${request.sourceIp}`;
    headers[forwarded] = value;
    multiValueHeaders[forwarded] = [value];
  } else add('X-Forwarded-For', request.sourceIp);
  if (!names.has('x-forwarded-port')) add('X-Forwarded-Port', String(request.localPort));
  if (!names.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  if (!names.has('x-amzn-trace-id')) add('X-Amzn-Trace-Id', options.traceId);

  const query = parseQuery(request.rawQuery);
  let queryStringParameters: Record<string, string> | null = null;
  let multiValueQueryStringParameters: Record<string, string[]> | null = null;
  if (query.size > 0) {
    queryStringParameters = {};
    multiValueQueryStringParameters = {};
    for (const [key, values] of query) {
      queryStringParameters[key] = values[values.length - 1]!;
      multiValueQueryStringParameters[key] = values;
    }
  }

  let body: string | null = null;
  let isBase64Encoded = false;
  if (request.body.byteLength > 0) {
    if (options.base64Body(firstHeader(request.rawHeaders, 'content-type'))) {
      body = request.body.toString('base64');
      isBase64Encoded = true;
    } else {
      body = request.body.toString('utf8');
    }
  }

  return {
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    body,
    isBase64Encoded,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      apiKey: null,
      apiKeyId: null,
      accessKey: null,
      sourceIp: request.sourceIp,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: firstHeader(request.rawHeaders, 'user-agent') ?? null,
      user: null,
      principalOrgId: null,
      clientCert: null,
    },
  };
}

/**
 * Builds the REST proxy event ({@link proxyV1Request}). `rawPath` of the snapshot is the path below the
 * stage; `requestContext.path` has the stage in front. The body is base64-encoded when its content type is
 * one of the API's binary media types (API Gateway's rule).
 *
 * @example
 * const event = buildRestApiEvent(snapshot, { apiId: 'api', stage: 'Prod', resource: '/stream', … });
 */
export function buildRestApiEvent(request: HttpRequestSnapshot, options: RestApiEventOptions): RestApiEvent {
  const { identity, body, isBase64Encoded, ...parts } = proxyV1Request(request, {
    traceId: options.traceId,
    base64Body: (contentType) => isBinaryMediaType(contentType, options.binaryMediaTypes),
  });
  return {
    resource: options.resource,
    path: request.rawPath,
    httpMethod: request.method,
    ...parts,
    pathParameters: Object.keys(options.pathParameters).length > 0 ? options.pathParameters : null,
    stageVariables: null,
    requestContext: {
      resourceId: options.resourceId,
      resourcePath: options.resource,
      httpMethod: request.method,
      extendedRequestId: options.extendedRequestId,
      requestTime: formatRequestTime(request.receivedAt),
      path: `/${options.stage}${request.rawPath === '/' ? '/' : request.rawPath}`,
      accountId: options.accountId,
      protocol: request.protocol,
      stage: options.stage,
      domainPrefix: options.apiId,
      requestTimeEpoch: request.receivedAt,
      requestId: options.requestId,
      identity,
      domainName: `${options.apiId}.execute-api.localhost`,
      deploymentId: 'sluice',
      apiId: options.apiId,
    },
    body,
    isBase64Encoded,
  };
}
