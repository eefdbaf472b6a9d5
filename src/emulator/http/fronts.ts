/**
 * Which HTTP front serves a request, decided from its host, path and the listener it arrived on. On the
 * emulator's port, in this order:
 *
 * 1. host `<FunctionName>.lambda-url.localhost[:port]`: that function's URL, every path (AWS gives each URL
 *    its own host);
 * 2. host `<apiId>.execute-api.localhost[:port]`: that HTTP API, every path (`/<path>` for its `$default`
 *    stage, `/<stage>/<path>` otherwise), else that REST API, at `/<stage>/<path>`;
 * 3. on the dedicated local-invoke listener, a path ending in the invocation endpoint (`/invoke`; matched by
 *    suffix, as the Swift runtime's local server matches it);
 * 4. `POST /2015-03-31/…/invocations` and `POST /2021-11-15/…/response-streaming-invocations`: Lambda's API;
 * 5. `/lambda-url/<FunctionName>/…`: that function's URL, the prefix removed;
 * 6. `/http-api/<apiId>/…`: that HTTP API, the prefix removed (an HTTP API's `$default` stage has no path
 *    segment, so on the emulator's own host it needs a prefix of its own);
 * 7. the invocation endpoint path exactly (`/invoke`): the local invoke endpoint;
 * 8. `/<stage>/…`: the REST APIs with that stage (stage names cannot contain `-`, so they never clash with the
 *    paths above); when several APIs share the stage, the most specific matching route wins.
 *
 * Anything else is left to the emulator, which answers Lambda's `UnknownOperationException` (404).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FrontContext } from './front-context.js';
import { handleFunctionUrl } from './function-url.js';
import { HTTP_API_PATH_PREFIX, handleHttpApi } from './http-api.js';
import type { HttpApi } from './http-api-routes.js';
import { handleLocalInvoke } from './local-invoke.js';
import { decodeComponent, splitTarget } from './request.js';
import { handleRestApi } from './rest-api.js';
import { matchRestRoute, moreSpecific, type RestApi, type RestRoute } from './rest-routes.js';

/**
 * The listener a request arrived on: the emulator's port, or the dedicated local-invoke port.
 *
 * @example
 * const listener: FrontListener = 'local-invoke';
 */
export type FrontListener = 'main' | 'local-invoke';

/**
 * A request routed to a front.
 *
 * @example
 * const target = matchFront(routing, 'GET', 'stream.lambda-url.localhost:9000', '/a?b=1', 'main');
 * // { kind: 'function-url', functionName: 'stream', rawPath: '/a', rawQuery: 'b=1', … }
 */
export type FrontTarget =
  | {
      kind: 'function-url';
      /** The name as it appeared (host labels may have been lower-cased by the client). */
      functionName: string;
      rawPath: string;
      rawQuery: string;
      /** The full path as sent (what a SigV4 signature covers). */
      signedPath: string;
    }
  | { kind: 'rest-api'; api: RestApi | undefined; rawPath: string; rawQuery: string }
  | {
      kind: 'http-api';
      api: HttpApi | undefined;
      /** The path the API sees (its stage included), the `/http-api/<id>` prefix removed. */
      rawPath: string;
      rawQuery: string;
    }
  | { kind: 'local-invoke' };

/**
 * What routing needs to know.
 *
 * @example
 * const routing: FrontRouting = { apis, httpApis, invokeEndpoint: '/invoke' };
 */
export interface FrontRouting {
  apis: readonly RestApi[];
  httpApis: readonly HttpApi[];
  /** The local invocation endpoint path, e.g. `/invoke`. */
  invokeEndpoint: string;
}

/**
 * The path prefix of function URLs on the emulator's own host.
 *
 * @example
 * const url = `${emulator.url}${FUNCTION_URL_PATH_PREFIX}my-function/`; // http://127.0.0.1:9000/lambda-url/my-function/
 */
export const FUNCTION_URL_PATH_PREFIX = '/lambda-url/';

const LAMBDA_API_PATH = /^\/(2015-03-31|2021-11-15)\//;

function hostLabel(host: string | undefined, suffix: string): string | undefined {
  if (!host) return undefined;
  const name = host.trim().replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  if (!name.endsWith(suffix)) return undefined;
  const label = host.trim().slice(0, name.length - suffix.length);
  return label !== '' && !label.includes('.') ? label : undefined;
}

function restTarget(
  apis: readonly RestApi[],
  method: string,
  path: string,
  query: string,
): FrontTarget | undefined {
  const match = /^\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  const [, stage, rest] = match;
  const candidates = apis.filter((api) => api.stage === stage);
  if (candidates.length === 0) return undefined;
  const rawPath = rest ?? '/';
  // Several APIs may share a stage on the emulator's host: the most specific matching route wins.
  let best: { api: RestApi; route: RestRoute } | undefined;
  for (const api of candidates) {
    const match = matchRestRoute(api, method, rawPath);
    if (match.kind === 'route' && (!best || moreSpecific(match.route.segments, best.route.segments))) {
      best = { api, route: match.route };
    }
  }
  return { kind: 'rest-api', api: best?.api ?? candidates[0], rawPath, rawQuery: query };
}

/**
 * Routes a request to a front, or returns undefined for Lambda's API and unknown paths.
 *
 * @example
 * matchFront(routing, 'POST', '127.0.0.1:9000', '/invoke', 'main'); // { kind: 'local-invoke' }
 * matchFront(routing, 'POST', '127.0.0.1:9000', '/2015-03-31/functions/f/invocations', 'main'); // undefined
 */
export function matchFront(
  routing: FrontRouting,
  method: string,
  host: string | undefined,
  requestTarget: string,
  listener: FrontListener,
): FrontTarget | undefined {
  const { path, query } = splitTarget(requestTarget);
  const functionLabel = hostLabel(host, '.lambda-url.localhost');
  if (functionLabel !== undefined) {
    return {
      kind: 'function-url',
      functionName: functionLabel,
      rawPath: path,
      rawQuery: query,
      signedPath: path,
    };
  }
  const apiLabel = hostLabel(host, '.execute-api.localhost');
  if (apiLabel !== undefined) {
    const httpApi = routing.httpApis.find((api) => api.id === apiLabel.toLowerCase());
    if (httpApi) return { kind: 'http-api', api: httpApi, rawPath: path, rawQuery: query };
    const apis = routing.apis.filter((api) => api.id === apiLabel.toLowerCase());
    return (
      restTarget(apis, method, path, query) ?? {
        kind: 'rest-api',
        api: undefined,
        rawPath: path,
        rawQuery: query,
      }
    );
  }
  if (listener === 'local-invoke' && path.endsWith(routing.invokeEndpoint)) return { kind: 'local-invoke' };
  // The invoke endpoint may be set to a Lambda API path: the Swift README's
  // LOCAL_LAMBDA_INVOCATION_ENDPOINT=/2015-03-31/functions/function/invocations (the path of AWS's emulator).
  // Whoever configured it wants the local endpoint there, so it wins over the Lambda API.
  if (path === routing.invokeEndpoint) return { kind: 'local-invoke' };
  if (method === 'POST' && LAMBDA_API_PATH.test(path)) return undefined;
  if (path.startsWith(FUNCTION_URL_PATH_PREFIX)) {
    const rest = path.slice(FUNCTION_URL_PATH_PREFIX.length);
    const slash = rest.indexOf('/');
    const functionName = slash === -1 ? rest : rest.slice(0, slash);
    if (functionName !== '') {
      return {
        kind: 'function-url',
        functionName: decodeComponent(functionName),
        rawPath: slash === -1 ? '/' : rest.slice(slash),
        rawQuery: query,
        signedPath: path,
      };
    }
  }
  if (path.startsWith(HTTP_API_PATH_PREFIX)) {
    const rest = path.slice(HTTP_API_PATH_PREFIX.length);
    const slash = rest.indexOf('/');
    const apiId = decodeComponent(slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
    if (apiId !== '') {
      return {
        kind: 'http-api',
        api: routing.httpApis.find((api) => api.id === apiId),
        rawPath: slash === -1 ? '/' : rest.slice(slash),
        rawQuery: query,
      };
    }
  }
  return restTarget(routing.apis, method, path, query);
}

/**
 * Serves a request routed to a front.
 *
 * @example
 * const target = matchFront(context, req.method!, req.headers.host, req.url!, 'main');
 * if (target) await serveFront(context, target, req, res, randomUUID());
 */
export async function serveFront(
  context: FrontContext,
  target: FrontTarget,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  if (target.kind === 'function-url') await handleFunctionUrl(context, req, res, target, requestId);
  else if (target.kind === 'rest-api') await handleRestApi(context, req, res, target, requestId);
  else if (target.kind === 'http-api') await handleHttpApi(context, req, res, target, requestId);
  else await handleLocalInvoke(context, req, res, requestId);
}
