/**
 * Test helpers for the HTTP fronts: strict structural checks modelled on the Swift runtime's event decoders
 * (swift-aws-lambda-events `FunctionURLRequest` and `APIGatewayRequest`: every non-optional key, with its
 * type), and a snapshot factory, for the emulator's HTTP front tests.
 */
import type { HttpRequestSnapshot } from '../../src/emulator/http/request.js';

type Check = (value: unknown, path: string) => string[];

const string: Check = (value, path) => (typeof value === 'string' ? [] : [`${path} must be a string`]);
const boolean: Check = (value, path) => (typeof value === 'boolean' ? [] : [`${path} must be a boolean`]);
const integer: Check = (value, path) => (Number.isInteger(value) ? [] : [`${path} must be an integer`]);
const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined || value === null ? [] : check(value, path);
const stringMap: Check = (value, path) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, item]) => string(item, `${path}.${key}`))
    : [`${path} must be an object of strings`];
const stringListMap: Check = (value, path) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, item]) =>
        Array.isArray(item)
          ? item.flatMap((entry, i) => string(entry, `${path}.${key}[${i}]`))
          : [`${path}.${key} must be an array`],
      )
    : [`${path} must be an object of string arrays`];
const stringList: Check = (value, path) =>
  Array.isArray(value)
    ? value.flatMap((item, i) => string(item, `${path}[${i}]`))
    : [`${path} must be an array`];
const object =
  (shape: Record<string, Check>): Check =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${path} must be an object`];
    return Object.entries(shape).flatMap(([key, check]) =>
      check((value as Record<string, unknown>)[key], `${path}.${key}`),
    );
  };

const iamAuthorizer = object({
  accessKey: string,
  accountId: string,
  callerId: string,
  cognitoIdentity: optional(string),
  principalOrgId: optional(string),
  userArn: string,
  userId: string,
});

/**
 * Problems a strict `FunctionURLRequest` decoder would find (empty when it decodes).
 *
 * @example
 * expect(functionUrlDecoderProblems(event)).toEqual([]);
 */
export function functionUrlDecoderProblems(event: unknown): string[] {
  return object({
    version: string,
    routeKey: string,
    rawPath: string,
    rawQueryString: string,
    cookies: optional(stringList),
    headers: stringMap,
    queryStringParameters: optional(stringMap),
    requestContext: object({
      accountId: string,
      apiId: string,
      authentication: optional(string),
      authorizer: optional(object({ iam: optional(iamAuthorizer) })),
      domainName: string,
      domainPrefix: string,
      http: object({ method: string, path: string, protocol: string, sourceIp: string, userAgent: string }),
      requestId: string,
      routeKey: string,
      stage: string,
      time: string,
      timeEpoch: integer,
    }),
    body: optional(string),
    pathParameters: optional(stringMap),
    isBase64Encoded: boolean,
    stageVariables: optional(stringMap),
  })(event, 'event');
}

/**
 * Problems a strict `APIGatewayRequest` (REST, 1.0) decoder would find (empty when it decodes).
 *
 * @example
 * expect(restDecoderProblems(event)).toEqual([]);
 */
export function restDecoderProblems(event: unknown): string[] {
  return object({
    resource: string,
    path: string,
    httpMethod: string,
    queryStringParameters: optional(stringMap),
    multiValueQueryStringParameters: optional(stringListMap),
    headers: optional(stringMap),
    multiValueHeaders: optional(stringListMap),
    pathParameters: optional(stringMap),
    stageVariables: optional(stringMap),
    requestContext: object({
      resourceId: string,
      apiId: string,
      domainName: optional(string),
      resourcePath: string,
      httpMethod: string,
      requestId: string,
      accountId: string,
      stage: string,
      identity: object({ sourceIp: optional(string), userAgent: optional(string) }),
      extendedRequestId: optional(string),
      path: string,
    }),
    body: optional(string),
    isBase64Encoded: boolean,
  })(event, 'event');
}

/**
 * A request snapshot for unit tests.
 *
 * @example
 * const request = snapshot({ method: 'POST', rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from('{}') });
 */
export function snapshot(overrides: Partial<HttpRequestSnapshot> = {}): HttpRequestSnapshot {
  return {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    rawHeaders: ['Host', 'fn.lambda-url.localhost:9000', 'User-Agent', 'curl/7.88.1', 'Accept', '*/*'],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    localPort: 9000,
    receivedAt: Date.UTC(2023, 3, 18, 17, 1, 46, 806),
    ...overrides,
  };
}
