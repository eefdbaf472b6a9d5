/**
 * The event a function URL sends its function: API Gateway's payload format 2.0, as documented
 * (urls-invocation.md) and as captured from real function URLs (aws/aws-lambda-go `lambdaurl/testdata`,
 * http-fronts.md §1.2). Pure: a request snapshot in, the event out.
 */
import { isUtf8 } from 'node:buffer';
import {
  firstHeader,
  formatRequestTime,
  type HttpRequestSnapshot,
  headerValues,
  isTextContentType,
  parseQuery,
} from './request.js';

/**
 * `requestContext.authorizer.iam` of a request signed for an `AWS_IAM` function URL.
 *
 * @example
 * const iam: IamAuthorizer = {
 *   accessKey: 'AKIAIOSFODNN7EXAMPLE', accountId: '123456789012', callerId: 'AIDA0123456789ABCDEF0',
 *   cognitoIdentity: null, principalOrgId: null,
 *   userArn: 'arn:aws:iam::123456789012:user/sluice', userId: 'AIDA0123456789ABCDEF0',
 * };
 */
export interface IamAuthorizer {
  accessKey: string;
  accountId: string;
  callerId: string;
  cognitoIdentity: null;
  principalOrgId: null;
  userArn: string;
  userId: string;
}

/**
 * `requestContext.http` of a payload 2.0 event.
 *
 * @example
 * const http: PayloadV2Http = { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' };
 */
export interface PayloadV2Http {
  method: string;
  path: string;
  protocol: string;
  sourceIp: string;
  userAgent: string;
}

/**
 * The payload 2.0 event of a function URL.
 *
 * @example
 * const event: FunctionUrlEvent = buildFunctionUrlEvent(snapshot, options);
 * event.requestContext.http.method; // 'GET'
 */
export interface FunctionUrlEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    authorizer?: { iam: IamAuthorizer };
    domainName: string;
    domainPrefix: string;
    http: PayloadV2Http;
    requestId: string;
    routeKey: '$default';
    stage: '$default';
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/**
 * What the event says about the URL itself and the invocation.
 *
 * @example
 * const options: FunctionUrlEventOptions = {
 *   requestId: randomUUID(), apiId: 'stream', domainName: 'stream.lambda-url.localhost',
 *   traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793', accountId: 'anonymous',
 * };
 */
export interface FunctionUrlEventOptions {
  requestId: string;
  /** The URL id: locally, the function name (the label before `.lambda-url.localhost`). */
  apiId: string;
  domainName: string;
  /** `x-amzn-trace-id`, added to the headers unless the client sent one. */
  traceId: string;
  /** The caller's account: the signer's for `AWS_IAM`, `anonymous` for `NONE` (as on AWS). */
  accountId: string;
  /** `AWS_IAM` only: the verified signer. The `authorization` header is then not passed on. */
  iam?: IamAuthorizer;
}

/**
 * The parts of a payload 2.0 event that come from the request alone, shared by function URLs and HTTP APIs
 * (both send format 2.0): header names lower-cased and duplicates comma-joined (`"header2": "h1,h2"`),
 * `cookies` split from the `Cookie` header (which is also kept), `queryStringParameters` decoded with repeated
 * keys comma-joined, keys without content omitted as AWS omits them, the body base64-encoded unless its content
 * type is text, and the headers Lambda and API Gateway add (`x-amzn-trace-id`, `x-forwarded-for`,
 * `x-forwarded-port`, `x-forwarded-proto`). `http.path` is the percent-decoded `rawPath`.
 *
 * @example
 * const parts = payloadV2Request(snapshot, { traceId });
 * parts.http.method; // 'GET'
 */
export function payloadV2Request(
  request: HttpRequestSnapshot,
  options: { traceId: string; dropAuthorization?: boolean },
): {
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  http: PayloadV2Http;
  body: { body?: string; isBase64Encoded: boolean };
} {
  const grouped = headerValues(request.rawHeaders);
  if (options.dropAuthorization) grouped.delete('authorization');
  const headers: Record<string, string> = {};
  for (const [name, values] of grouped) headers[name] = values.join(',');
  headers['x-amzn-trace-id'] ??= options.traceId;
  headers['x-forwarded-for'] =
    headers['x-forwarded-for'] === undefined
      ? request.sourceIp
      : `${headers['x-forwarded-for']}, ${request.sourceIp}`;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';

  const cookies = (grouped.get('cookie') ?? [])
    .flatMap((value) => value.split(';'))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '');

  const query = parseQuery(request.rawQuery);
  const queryStringParameters: Record<string, string> = {};
  for (const [key, values] of query) queryStringParameters[key] = values.join(',');

  let path: string;
  try {
    path = decodeURI(request.rawPath);
  } catch {
    path = request.rawPath;
  }

  let body: { body?: string; isBase64Encoded: boolean } = { isBase64Encoded: false };
  if (request.body.byteLength > 0) {
    // Text only when it decodes losslessly: a `text/plain` body that is not valid UTF-8 would be mangled into
    // U+FFFD and unrecoverable, so it is base64-encoded like a binary body (localstack applies a similar check).
    body =
      isTextContentType(firstHeader(request.rawHeaders, 'content-type')) && isUtf8(request.body)
        ? { body: request.body.toString('utf8'), isBase64Encoded: false }
        : { body: request.body.toString('base64'), isBase64Encoded: true };
  }

  return {
    rawPath: request.rawPath,
    rawQueryString: request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query.size > 0 ? { queryStringParameters } : {}),
    http: {
      method: request.method,
      path,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: firstHeader(request.rawHeaders, 'user-agent') ?? '',
    },
    body,
  };
}

/**
 * Builds a function URL's payload 2.0 event ({@link payloadV2Request}); `routeKey` and `stage` are `$default`,
 * and with `iam` the `authorization` header is not passed on.
 *
 * @example
 * const event = buildFunctionUrlEvent(snapshot, {
 *   requestId, apiId: 'hello', domainName: 'hello.lambda-url.localhost', traceId, accountId: 'anonymous',
 * });
 */
export function buildFunctionUrlEvent(
  request: HttpRequestSnapshot,
  options: FunctionUrlEventOptions,
): FunctionUrlEvent {
  const { http, body, ...parts } = payloadV2Request(request, {
    traceId: options.traceId,
    dropAuthorization: options.iam !== undefined,
  });
  return {
    version: '2.0',
    routeKey: '$default',
    ...parts,
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId,
      ...(options.iam ? { authorizer: { iam: options.iam } } : {}),
      domainName: options.domainName,
      domainPrefix: options.apiId,
      http,
      requestId: options.requestId,
      routeKey: '$default',
      stage: '$default',
      time: formatRequestTime(request.receivedAt),
      timeEpoch: request.receivedAt,
    },
    ...body,
  };
}
