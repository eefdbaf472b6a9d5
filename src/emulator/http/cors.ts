/**
 * A function URL's CORS configuration applied as Lambda applies it: "Lambda automatically adds the CORS
 * headers to all responses through the function URL … If there are conflicting headers, the configured CORS
 * headers on the function URL take precedence" (urls-configuration.md), and the front answers preflight
 * requests itself. Preflight details are not documented (http-fronts.md §1.7); the emulator answers an
 * `OPTIONS` request carrying `Origin` and `Access-Control-Request-Method` with 200 and the configured headers,
 * echoing the request's origin when it is allowed. Pure functions.
 */
import type { FunctionUrlCorsConfig } from '../function-config.js';

/**
 * Response headers as `[name, value]` pairs (a name may repeat).
 *
 * @example
 * const headers: HeaderList = [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']];
 */
export type HeaderList = Array<[string, string]>;

function originAllowed(cors: FunctionUrlCorsConfig, origin: string): boolean {
  const wanted = origin.toLowerCase();
  return cors.allowOrigins.some((allowed) => {
    if (allowed === '*') return true;
    const pattern = allowed.toLowerCase();
    if (!pattern.includes('*')) return pattern === wanted;
    // `https://*.example.com`: one wildcard standing for any host prefix.
    const [head, tail] = pattern.split('*', 2) as [string, string];
    return wanted.length >= head.length + tail.length && wanted.startsWith(head) && wanted.endsWith(tail);
  });
}

/**
 * The `Access-Control-Allow-Origin` value for a request origin, or undefined when it is not allowed. With
 * `AllowOrigins: ["*"]` and no credentials it is `*`; otherwise the origin is echoed (browsers reject `*`
 * with credentials).
 *
 * @example
 * allowOriginFor({ allowOrigins: ['https://app.example'], … }, 'https://app.example'); // 'https://app.example'
 */
export function allowOriginFor(cors: FunctionUrlCorsConfig, origin: string | undefined): string | undefined {
  if (origin === undefined || !originAllowed(cors, origin)) return undefined;
  return cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

/**
 * Whether a request is a CORS preflight the front answers itself.
 *
 * @example
 * isPreflight('OPTIONS', { origin: 'https://a.example', 'access-control-request-method': 'POST' }); // true
 */
export function isPreflight(
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): boolean {
  return (
    method === 'OPTIONS' &&
    headers.origin !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/**
 * The headers of the front's answer to a preflight (status 200, empty body).
 *
 * @example
 * preflightHeaders(cors, 'https://app.example', 'PUT', 'content-type');
 * // [['Access-Control-Allow-Origin', 'https://app.example'], ['Access-Control-Allow-Methods', 'GET,PUT'], …]
 */
export function preflightHeaders(
  cors: FunctionUrlCorsConfig,
  origin: string | undefined,
  requestMethod: string | undefined,
  requestHeaders: string | undefined,
): HeaderList {
  const allowOrigin = allowOriginFor(cors, origin);
  if (allowOrigin === undefined) return [];
  const headers: HeaderList = [['Access-Control-Allow-Origin', allowOrigin]];
  if (allowOrigin !== '*') headers.push(['Vary', 'Origin']);
  if (cors.allowMethods.length > 0) {
    const methods =
      cors.allowMethods.includes('*') && cors.allowCredentials && requestMethod
        ? requestMethod
        : cors.allowMethods.join(',');
    headers.push(['Access-Control-Allow-Methods', methods]);
  }
  if (cors.allowHeaders.length > 0) {
    const allowed =
      cors.allowHeaders.includes('*') && cors.allowCredentials && requestHeaders
        ? requestHeaders
        : cors.allowHeaders.join(',');
    headers.push(['Access-Control-Allow-Headers', allowed]);
  }
  if (cors.maxAge !== undefined) headers.push(['Access-Control-Max-Age', String(cors.maxAge)]);
  if (cors.allowCredentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  return headers;
}

/**
 * Applies the configured CORS headers to a response's headers: the function's own `Access-Control-*`
 * headers are dropped (the URL's configuration takes precedence), then `Allow-Origin`, `Expose-Headers` and
 * `Allow-Credentials` are added when the request's origin is allowed.
 *
 * @example
 * const headers = applyCors(cors, req.headers.origin, functionHeaders);
 */
export function applyCors(
  cors: FunctionUrlCorsConfig,
  origin: string | undefined,
  headers: HeaderList,
): HeaderList {
  const result = headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  const allowOrigin = allowOriginFor(cors, origin);
  if (allowOrigin === undefined) return result;
  result.push(['Access-Control-Allow-Origin', allowOrigin]);
  if (allowOrigin !== '*' && !result.some(([name]) => name.toLowerCase() === 'vary'))
    result.push(['Vary', 'Origin']);
  if (cors.exposeHeaders.length > 0)
    result.push(['Access-Control-Expose-Headers', cors.exposeHeaders.join(',')]);
  if (cors.allowCredentials) result.push(['Access-Control-Allow-Credentials', 'true']);
  return result;
}
