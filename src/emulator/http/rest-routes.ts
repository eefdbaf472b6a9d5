/**
 * API Gateway REST APIs as the emulator serves them: definitions (what a SAM template's `Api` events and
 * OpenAPI paths declare), validation, and route matching with API Gateway's rules: a literal segment beats a
 * `{param}`, which beats a greedy `{proxy+}`; the most specific matching resource is chosen first and then its
 * method (or `ANY`), so a resource without the method answers 403 "Missing Authentication Token" rather than
 * falling back to a less specific resource, as on API Gateway.
 */
import { createHash } from 'node:crypto';
import { EmulatorConfigError } from '../errors.js';
import { decodeComponent } from './request.js';

/**
 * HTTP methods a REST route can declare; `ANY` matches every method.
 *
 * @example
 * const method: RestMethod = 'ANY';
 */
export type RestMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS' | 'ANY';

/**
 * The methods a route can declare (REST and HTTP APIs alike).
 *
 * @example
 * ROUTE_METHODS.includes('PATCH'); // true
 */
export const ROUTE_METHODS: readonly RestMethod[] = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'ANY',
];
const METHODS: readonly string[] = ROUTE_METHODS;

/**
 * One route of a REST API.
 *
 * @example
 * const route: RestRouteDefinition = { method: 'GET', path: '/stream', function: 'stream', streaming: true };
 */
export interface RestRouteDefinition {
  method: RestMethod;
  /** A resource path: `/`, `/items/{id}`, `/{proxy+}` (greedy, last segment only). */
  path: string;
  /** Name of the function the route invokes. */
  function: string;
  /**
   * `true` for `responseTransferMode: STREAM` (integration URI `…/2021-11-15/functions/…/response-streaming-invocations`):
   * the function is invoked with InvokeWithResponseStream and its prelude sets the response head. Default
   * `false`: a buffered Lambda proxy integration.
   */
  streaming?: boolean;
}

/**
 * A REST API, served at `http://127.0.0.1:<port>/<stage>/<path>` and at
 * `http://<id>.execute-api.localhost:<port>/<stage>/<path>`.
 *
 * @example
 * const api: RestApiDefinition = {
 *   name: 'ServerlessRestApi',
 *   stage: 'prod',
 *   routes: [{ method: 'ANY', path: '/stream', function: 'stream', streaming: true }],
 * };
 */
export interface RestApiDefinition {
  /** The API id in the host name and in `requestContext.apiId`: lower-case letters, digits, `-`. Default: from `name`. */
  id?: string;
  /** The API's name (a template's logical id). */
  name?: string;
  /** Stage name, the first path segment: letters, digits, `_`. Default `Prod` (SAM's implicit API stage). */
  stage?: string;
  /** Content types whose request bodies reach the function base64-encoded (`*&#47;*` for all); default none. */
  binaryMediaTypes?: readonly string[];
  routes: readonly RestRouteDefinition[];
}

/**
 * A validated route.
 *
 * @example
 * route.segments; // [{ kind: 'literal', value: 'items' }, { kind: 'param', name: 'id' }]
 */
export interface RestRoute {
  readonly method: RestMethod;
  readonly path: string;
  readonly function: string;
  readonly streaming: boolean;
  readonly segments: readonly RouteSegment[];
  /** `requestContext.resourceId`: six characters derived from the path, stable across runs. */
  readonly resourceId: string;
}

/**
 * One segment of a resource path.
 *
 * @example
 * const segment: RouteSegment = { kind: 'greedy', name: 'proxy' };
 */
export type RouteSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

/**
 * A validated API with its defaults.
 *
 * @example
 * const api = resolveRestApis([{ routes }])[0]!; // { id: 'api', stage: 'Prod', … }
 */
export interface RestApi {
  readonly id: string;
  readonly name: string;
  readonly stage: string;
  readonly binaryMediaTypes: readonly string[];
  readonly routes: readonly RestRoute[];
}

/**
 * SAM's default stage of the implicit API.
 *
 * @example
 * DEFAULT_STAGE; // 'Prod'
 */
export const DEFAULT_STAGE = 'Prod';

const STAGE = /^[A-Za-z0-9_]{1,128}$/;

/**
 * What an API id must look like: a host name label (it is the `<apiId>` of `<apiId>.execute-api.localhost`).
 *
 * @example
 * API_ID.test('serverlesshttpapi'); // true
 */
export const API_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Parses a route's resource path into segments, throwing `EmulatorConfigError` (prefixed with `where`) when it
 * is not `/`, literals, `{name}` and a final `{name+}`.
 *
 * @example
 * parseResourcePath('/items/{id}', 'GET /items/{id}'); // [{ kind: 'literal', value: 'items' }, { kind: 'param', name: 'id' }]
 */
export function parseResourcePath(path: string, where: string): RouteSegment[] {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new EmulatorConfigError(`${where}: path must start with "/"; got ${JSON.stringify(path)}.`);
  }
  const parts = path === '/' ? [] : path.replace(/\/$/, '').slice(1).split('/');
  const names = new Set<string>();
  return parts.map((part, index) => {
    if (part === '')
      throw new EmulatorConfigError(`${where}: path ${JSON.stringify(path)} has an empty segment.`);
    const match = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(part);
    if (!match) {
      if (/[{}]/.test(part)) {
        throw new EmulatorConfigError(
          `${where}: segment ${JSON.stringify(part)} of ${path} must be a literal, {name} or {name+}.`,
        );
      }
      return { kind: 'literal', value: decodeComponent(part) };
    }
    const name = match[1]!;
    if (names.has(name)) throw new EmulatorConfigError(`${where}: path parameter {${name}} appears twice.`);
    names.add(name);
    if (match[2]) {
      if (index !== parts.length - 1) {
        throw new EmulatorConfigError(`${where}: greedy parameter {${name}+} must be the last segment.`);
      }
      return { kind: 'greedy', name };
    }
    return { kind: 'param', name };
  });
}

/**
 * The identity of a resource path: two paths that differ only in parameter names are the same resource.
 *
 * @example
 * resourceKey(parseResourcePath('/items/{id}', '')) === resourceKey(parseResourcePath('/items/{key}', '')); // true
 */
export function resourceKey(segments: readonly RouteSegment[]): string {
  return segments
    .map((segment) =>
      segment.kind === 'literal' ? `/${segment.value}` : segment.kind === 'param' ? '/{}' : '/{+}',
    )
    .join('');
}

function resourceId(path: string): string {
  // Base 36 of a hash: API Gateway's ids are ten (APIs) or six (resources) lower-case alphanumerics.
  return BigInt(`0x${createHash('sha256').update(path).digest('hex').slice(0, 12)}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);
}

/**
 * Validates API definitions and fills in defaults: `id` from `name` (lower-cased, other characters dropped) or
 * `api`, `api2`, … ; stage `Prod`. Throws `EmulatorConfigError` naming the API and route. Function names are
 * checked by the emulator, which knows them.
 *
 * @example
 * resolveRestApis([{ name: 'ServerlessRestApi', routes: [{ method: 'GET', path: '/hi', function: 'hi' }] }]);
 * // [{ id: 'serverlessrestapi', stage: 'Prod', … }]
 */
export function resolveRestApis(definitions: readonly RestApiDefinition[] = []): RestApi[] {
  const ids = new Set<string>();
  return definitions.map((definition, index) => {
    const fallback = index === 0 ? 'api' : `api${index + 1}`;
    const derived = definition.name?.toLowerCase().replace(/[^a-z0-9-]/g, '') || fallback;
    const id = definition.id ?? derived;
    const label = `API ${JSON.stringify(definition.name ?? id)}`;
    if (typeof id !== 'string' || !API_ID.test(id)) {
      throw new EmulatorConfigError(
        `${label}: id ${JSON.stringify(id)} must be lower-case letters, digits and hyphens (it is a host name label).`,
      );
    }
    if (ids.has(id)) throw new EmulatorConfigError(`${label}: id ${JSON.stringify(id)} is used twice.`);
    ids.add(id);
    const stage = definition.stage ?? DEFAULT_STAGE;
    if (typeof stage !== 'string' || !STAGE.test(stage)) {
      throw new EmulatorConfigError(
        `${label}: stage ${JSON.stringify(stage)} must be letters, digits and underscores (API Gateway's rule).`,
      );
    }
    if (!Array.isArray(definition.routes))
      throw new EmulatorConfigError(`${label}: routes must be an array.`);
    const binaryMediaTypes = [...(definition.binaryMediaTypes ?? [])];
    if (binaryMediaTypes.some((type) => typeof type !== 'string' || !type.includes('/'))) {
      throw new EmulatorConfigError(
        `${label}: binaryMediaTypes must be media types such as "image/png" or "*/*".`,
      );
    }
    const seen = new Set<string>();
    const routes = definition.routes.map((route): RestRoute => {
      const where = `${label}, route ${route?.method} ${route?.path}`;
      const method = typeof route?.method === 'string' ? route.method.toUpperCase() : route?.method;
      if (typeof method !== 'string' || !METHODS.includes(method)) {
        throw new EmulatorConfigError(`${where}: method must be one of ${METHODS.join(', ')}.`);
      }
      const segments = parseResourcePath(route.path, where);
      const normalized = routePathText(segments);
      const key = `${method} ${resourceKey(segments)}`;
      if (seen.has(key)) throw new EmulatorConfigError(`${where}: declared twice.`);
      seen.add(key);
      if (typeof route.function !== 'string' || route.function === '') {
        throw new EmulatorConfigError(`${where}: function must name a function.`);
      }
      if (route.streaming !== undefined && typeof route.streaming !== 'boolean') {
        throw new EmulatorConfigError(`${where}: streaming must be true or false.`);
      }
      return {
        method: method as RestMethod,
        path: normalized,
        function: route.function,
        streaming: route.streaming ?? false,
        segments,
        resourceId: resourceId(normalized),
      };
    });
    return { id, name: definition.name ?? id, stage, binaryMediaTypes, routes };
  });
}

/**
 * A request matched to a route.
 *
 * @example
 * const match = matchRestRoute(api, 'GET', '/items/42');
 * if (match.kind === 'route') match.pathParameters; // { id: '42' }
 */
export type RestRouteMatch =
  | { kind: 'route'; route: RestRoute; pathParameters: Record<string, string> }
  | { kind: 'no-route' };

/**
 * Matches the segments of a request path (raw, as sent) against a route's; returns the decoded path
 * parameters, or undefined when the path does not match.
 *
 * @example
 * matchSegments(route.segments, ['items', '42']); // { id: '42' }
 */
export function matchSegments(
  segments: readonly RouteSegment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0) return undefined;
      parameters[segment.name] = rest.map(decodeComponent).join('/');
      return parameters;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === 'literal') {
      if (decodeComponent(part) !== segment.value) return undefined;
    } else {
      parameters[segment.name] = decodeComponent(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

const RANK = { literal: 3, param: 2, greedy: 1 } as const;

/**
 * Whether resource path `a` is more specific than `b` (API Gateway's precedence: segment by segment, literal
 * over `{param}` over `{proxy+}`).
 *
 * @example
 * moreSpecific(route('/items/{id}').segments, route('/{proxy+}').segments); // true
 */
export function moreSpecific(a: readonly RouteSegment[], b: readonly RouteSegment[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = a[i] ? RANK[a[i]!.kind] : 0;
    const right = b[i] ? RANK[b[i]!.kind] : 0;
    if (left !== right) return left > right;
  }
  return false;
}

/**
 * The segments of a request path (raw, as sent), a trailing slash ignored: `/items/42/` → `['items', '42']`.
 *
 * @example
 * pathParts('/'); // []
 */
export function pathParts(rawPath: string): string[] {
  const trimmed = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  return trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
}

/**
 * The normalised text of a resource path (`/items/{id}`), literals decoded.
 *
 * @example
 * routePathText(parseResourcePath('/a%20b/{id}/', '')); // '/a b/{id}'
 */
export function routePathText(segments: readonly RouteSegment[]): string {
  return `/${segments.map((segment) => (segment.kind === 'literal' ? segment.value : segment.kind === 'param' ? `{${segment.name}}` : `{${segment.name}+}`)).join('/')}`;
}

/**
 * Finds the route for a method and a path below the stage (raw, as sent). The most specific resource that
 * matches the path wins; then the method, or `ANY`.
 *
 * @example
 * matchRestRoute(api, 'POST', '/anything/else'); // { kind: 'route', route: ANY /{proxy+}, pathParameters: { proxy: 'anything/else' } }
 */
export function matchRestRoute(api: RestApi, method: string, rawPath: string): RestRouteMatch {
  const parts = pathParts(rawPath);
  let best: { segments: readonly RouteSegment[]; parameters: Record<string, string> } | undefined;
  for (const route of api.routes) {
    const parameters = matchSegments(route.segments, parts);
    if (!parameters) continue;
    if (!best || moreSpecific(route.segments, best.segments)) best = { segments: route.segments, parameters };
  }
  if (!best) return { kind: 'no-route' };
  const upper = method.toUpperCase();
  const resource = resourceKey(best.segments);
  const onResource = api.routes.filter((route) => resourceKey(route.segments) === resource);
  const route =
    onResource.find((candidate) => candidate.method === upper) ??
    onResource.find((candidate) => candidate.method === 'ANY');
  if (!route) return { kind: 'no-route' };
  return { kind: 'route', route, pathParameters: matchSegments(route.segments, parts) ?? best.parameters };
}

/**
 * Whether a content type is one of the API's binary media types (`*&#47;*`, `image/*` and exact types).
 *
 * @example
 * isBinaryMediaType('image/png', ['image/*']); // true
 */
export function isBinaryMediaType(
  contentType: string | undefined,
  binaryMediaTypes: readonly string[],
): boolean {
  if (!contentType || binaryMediaTypes.length === 0) return false;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  const [type, subtype] = media.split('/');
  return binaryMediaTypes.some((pattern) => {
    const [patternType, patternSubtype] = pattern.toLowerCase().split('/');
    return (
      (patternType === '*' || patternType === type) && (patternSubtype === '*' || patternSubtype === subtype)
    );
  });
}
