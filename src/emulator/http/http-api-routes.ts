/**
 * API Gateway HTTP APIs as the emulator serves them: definitions (what a SAM template's `HttpApi` events and
 * `AWS::Serverless::HttpApi` resources declare), validation, stages and route matching with HTTP API rules
 * (API Gateway developer guide, "Routing API requests"): among the routes whose method (or `ANY`) and path
 * match, the most specific path wins (literal over `{param}` over `{proxy+}`, segment by segment), an exact
 * method over `ANY` on the same path; then the `$default` route; otherwise 404 `{"message":"Not Found"}`.
 * Unlike REST APIs, a path whose routes lack the method falls through to a greedy or `$default` route.
 */
import { EmulatorConfigError } from '../errors.js';
import {
  API_ID,
  matchSegments,
  moreSpecific,
  parseResourcePath,
  pathParts,
  type RestMethod,
  ROUTE_METHODS,
  type RouteSegment,
  resourceKey,
  routePathText,
} from './rest-routes.js';

/**
 * The payload format version of an HTTP API's Lambda integration: `2.0` (the default, as SAM and the console
 * create them) or `1.0` (the REST proxy event, with `version: "1.0"`).
 *
 * @example
 * const version: HttpApiPayloadFormatVersion = '1.0';
 */
export type HttpApiPayloadFormatVersion = '1.0' | '2.0';

/**
 * The route path of an HTTP API's catch-all route, and the name of its default stage.
 *
 * @example
 * const route: HttpApiRouteDefinition = { method: 'ANY', path: HTTP_API_DEFAULT, function: 'app' };
 */
export const HTTP_API_DEFAULT = '$default';

/**
 * One route of an HTTP API.
 *
 * @example
 * const route: HttpApiRouteDefinition = { method: 'GET', path: '/items/{id}', function: 'items' };
 */
export interface HttpApiRouteDefinition {
  /** `GET` … `OPTIONS`, or `ANY` for every method the API does not route otherwise. `ANY` for `$default`. */
  method: RestMethod;
  /** `/`, `/items/{id}`, `/{proxy+}` (greedy, last segment only), or `$default`: the catch-all route. */
  path: string;
  /** Name of the function the route invokes. */
  function: string;
  /** This route's integration payload format; default: the API's. */
  payloadFormatVersion?: HttpApiPayloadFormatVersion;
}

/**
 * An HTTP API, served (it never streams) at `http://<id>.execute-api.localhost:<port>/<path>` and
 * `http://127.0.0.1:<port>/http-api/<id>/<path>` for the `$default` stage, with `/<stage>` in front of
 * `<path>` for a named stage.
 *
 * @example
 * const api: HttpApiDefinition = {
 *   name: 'ServerlessHttpApi',
 *   routes: [{ method: 'GET', path: '/items/{id}', function: 'items' }],
 * };
 */
export interface HttpApiDefinition {
  /** The API id in the host name, the path-style URL and `requestContext.apiId`. Default: from `name`. */
  id?: string;
  /** The API's name (a template's logical id). */
  name?: string;
  /** Stage: `$default` (the default: no path segment) or a name of letters, digits, `-` and `_`. */
  stage?: string;
  /** The integrations' payload format; default `2.0`. */
  payloadFormatVersion?: HttpApiPayloadFormatVersion;
  routes: readonly HttpApiRouteDefinition[];
}

/**
 * A validated route.
 *
 * @example
 * route.routeKey; // 'GET /items/{id}'
 */
export interface HttpApiRoute {
  readonly method: RestMethod;
  /** The normalised path, or `$default`. */
  readonly path: string;
  /** `routeKey` of the events: `GET /items/{id}`, or `$default`. */
  readonly routeKey: string;
  readonly function: string;
  readonly payloadFormatVersion: HttpApiPayloadFormatVersion;
  /** Empty for `$default`. */
  readonly segments: readonly RouteSegment[];
  readonly catchAll: boolean;
}

/**
 * A validated HTTP API with its defaults.
 *
 * @example
 * const [api] = resolveHttpApis([{ name: 'ServerlessHttpApi', routes }]); // { id: 'serverlesshttpapi', stage: '$default', … }
 */
export interface HttpApi {
  readonly id: string;
  readonly name: string;
  readonly stage: string;
  readonly routes: readonly HttpApiRoute[];
}

const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
const VERSIONS: readonly string[] = ['1.0', '2.0'];

/**
 * Validates HTTP API definitions and fills in defaults: `id` from `name` (lower-cased, other characters
 * dropped) or `httpapi`, `httpapi2`, … ; stage `$default`; payload format `2.0`. `takenIds` are the REST
 * APIs' ids: both kinds share `<id>.execute-api.localhost`, so an id may name one API only. Throws
 * `EmulatorConfigError` naming the API and route; function names are checked by the emulator.
 *
 * @example
 * resolveHttpApis([{ name: 'ServerlessHttpApi', routes: [{ method: 'ANY', path: '$default', function: 'app' }] }]);
 * // [{ id: 'serverlesshttpapi', stage: '$default', routes: [{ routeKey: '$default', … }] }]
 */
export function resolveHttpApis(
  definitions: readonly HttpApiDefinition[] = [],
  takenIds: Iterable<string> = [],
): HttpApi[] {
  const restIds = new Set(takenIds);
  const ids = new Set<string>();
  return definitions.map((definition, index) => {
    const fallback = index === 0 ? 'httpapi' : `httpapi${index + 1}`;
    const derived = definition.name?.toLowerCase().replace(/[^a-z0-9-]/g, '') || fallback;
    const id = definition.id ?? derived;
    const label = `HTTP API ${JSON.stringify(definition.name ?? id)}`;
    if (typeof id !== 'string' || !API_ID.test(id)) {
      throw new EmulatorConfigError(
        `${label}: id ${JSON.stringify(id)} must be lower-case letters, digits and hyphens (it is a host name label).`,
      );
    }
    if (ids.has(id)) throw new EmulatorConfigError(`${label}: id ${JSON.stringify(id)} is used twice.`);
    if (restIds.has(id)) {
      throw new EmulatorConfigError(
        `${label}: id ${JSON.stringify(id)} is also a REST API's (both are served at ${id}.execute-api.localhost); give one an id of its own.`,
      );
    }
    ids.add(id);
    const stage = definition.stage ?? HTTP_API_DEFAULT;
    if (typeof stage !== 'string' || (stage !== HTTP_API_DEFAULT && !STAGE.test(stage))) {
      throw new EmulatorConfigError(
        `${label}: stage ${JSON.stringify(stage)} must be $default, or letters, digits, hyphens and underscores.`,
      );
    }
    const apiVersion = definition.payloadFormatVersion ?? '2.0';
    if (!VERSIONS.includes(apiVersion)) {
      throw new EmulatorConfigError(
        `${label}: payloadFormatVersion must be "1.0" or "2.0"; got ${JSON.stringify(apiVersion)}.`,
      );
    }
    if (!Array.isArray(definition.routes))
      throw new EmulatorConfigError(`${label}: routes must be an array.`);
    const seen = new Set<string>();
    const routes = definition.routes.map((route): HttpApiRoute => {
      const where = `${label}, route ${route?.method} ${route?.path}`;
      const method = typeof route?.method === 'string' ? route.method.toUpperCase() : route?.method;
      if (typeof method !== 'string' || !(ROUTE_METHODS as readonly string[]).includes(method)) {
        throw new EmulatorConfigError(`${where}: method must be one of ${ROUTE_METHODS.join(', ')}.`);
      }
      if (typeof route.function !== 'string' || route.function === '') {
        throw new EmulatorConfigError(`${where}: function must name a function.`);
      }
      const version = route.payloadFormatVersion ?? apiVersion;
      if (!VERSIONS.includes(version)) {
        throw new EmulatorConfigError(
          `${where}: payloadFormatVersion must be "1.0" or "2.0"; got ${JSON.stringify(version)}.`,
        );
      }
      const catchAll = route.path === HTTP_API_DEFAULT;
      if (catchAll && method !== 'ANY') {
        throw new EmulatorConfigError(`${where}: the $default route has no method of its own; use ANY.`);
      }
      const segments = catchAll ? [] : parseResourcePath(route.path, where);
      const path = catchAll ? HTTP_API_DEFAULT : routePathText(segments);
      const key = catchAll ? HTTP_API_DEFAULT : `${method} ${resourceKey(segments)}`;
      if (seen.has(key)) throw new EmulatorConfigError(`${where}: declared twice.`);
      seen.add(key);
      return {
        method: method as RestMethod,
        path,
        routeKey: catchAll ? HTTP_API_DEFAULT : `${method} ${path}`,
        function: route.function,
        payloadFormatVersion: version,
        segments,
        catchAll,
      };
    });
    return { id, name: definition.name ?? id, stage, routes };
  });
}

/**
 * The path a route is matched against: for the `$default` stage the whole path; for a named stage the path
 * after `/<stage>`, or undefined when the path is not in that stage.
 *
 * @example
 * stageRoutePath({ stage: 'dev', … }, '/dev/items/1'); // '/items/1'
 * stageRoutePath({ stage: '$default', … }, '/items/1'); // '/items/1'
 */
export function stageRoutePath(api: Pick<HttpApi, 'stage'>, rawPath: string): string | undefined {
  if (api.stage === HTTP_API_DEFAULT) return rawPath;
  const prefix = `/${api.stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}

/**
 * A request matched to a route of an HTTP API.
 *
 * @example
 * const match = matchHttpRoute(api, 'GET', '/items/42');
 * if (match.kind === 'route') match.pathParameters; // { id: '42' }
 */
export type HttpRouteMatch =
  | { kind: 'route'; route: HttpApiRoute; pathParameters: Record<string, string> }
  | { kind: 'no-route' };

/**
 * Finds the route for a method and a path (below the stage, raw as sent): the most specific matching path
 * among the routes with this method or `ANY`, an exact method winning over `ANY` on the same path; else the
 * `$default` route.
 *
 * @example
 * matchHttpRoute(api, 'POST', '/pets/dog/1'); // ANY /{proxy+} when only GET routes name /pets/dog/…
 */
export function matchHttpRoute(api: HttpApi, method: string, rawPath: string): HttpRouteMatch {
  const parts = pathParts(rawPath);
  const upper = method.toUpperCase();
  let best: { route: HttpApiRoute; pathParameters: Record<string, string> } | undefined;
  for (const route of api.routes) {
    if (route.catchAll || (route.method !== upper && route.method !== 'ANY')) continue;
    const pathParameters = matchSegments(route.segments, parts);
    if (!pathParameters) continue;
    const better =
      !best ||
      moreSpecific(route.segments, best.route.segments) ||
      (!moreSpecific(best.route.segments, route.segments) &&
        best.route.method === 'ANY' &&
        route.method !== 'ANY');
    if (better) best = { route, pathParameters };
  }
  if (best) return { kind: 'route', ...best };
  const fallback = api.routes.find((route) => route.catchAll);
  return fallback ? { kind: 'route', route: fallback, pathParameters: {} } : { kind: 'no-route' };
}
