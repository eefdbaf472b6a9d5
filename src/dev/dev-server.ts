/**
 * `startDev`: what `sluice dev` runs. Loads the project (a template, a directory or a handler file), builds
 * each function as `sluice archive` bundles it, starts the emulator with its function URLs, API routes, the
 * Lambda API and `/invoke`, prints what it serves with a command for each, and watches the sources: a change
 * rebuilds and recycles the execution environments without closing the port. A change that does not build
 * leaves the previous version serving.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type Emulator, startEmulator } from '../emulator/emulator.js';
import type { FunctionDefinition } from '../emulator/function-config.js';
import { resolveCredentials } from '../emulator/http/credentials.js';
import type { HttpApiDefinition, HttpApiRouteDefinition } from '../emulator/http/http-api-routes.js';
import type { RestApiDefinition, RestMethod } from '../emulator/http/rest-routes.js';
import { type EmulatorLogger, stderrLogger } from '../emulator/logger.js';
import { SluiceError } from '../protocol/index.js';
import { loadProject } from '../template/load-project.js';
import { defaultRegion } from '../template/parse-template.js';
import type { TemplateProject } from '../template/types.js';
import { buildFunctions, type DevBuildStatus, type DevCodeKind, type FunctionBuild } from './build.js';
import { type DevApi, type DevEndpoint, describeEndpoints, formatEndpoints } from './endpoints.js';
import { DevError, DevErrorCode } from './errors.js';
import { openScratch } from './scratch.js';
import { SourceWatcher } from './watcher.js';

/**
 * `sluice dev`'s defaults: the Swift runtime's local server port (7000) and host.
 *
 * @example
 * DEV_DEFAULTS.port; // 7000
 */
export const DEV_DEFAULTS = { port: 7000, host: '127.0.0.1' } as const;

/**
 * @example
 * const options: DevOptions = { target: 'template.yaml', port: 0, watch: false, out: (text) => log.push(text) };
 */
export interface DevOptions {
  /** A template, a directory (with template.yaml, or handler sources) or a handler file; default `.`. */
  target?: string;
  /** Default `LOCAL_LAMBDA_PORT`, else 7000; 0 picks a free port. */
  port?: number;
  /** Default `LOCAL_LAMBDA_HOST`, else 127.0.0.1. */
  host?: string;
  /** Watch the sources and reload on change; default true. */
  watch?: boolean;
  /** `AWS::Region` and the emulator's region; default `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-east-1. */
  region?: string;
  /** Template parameter values, as `sam deploy --parameter-overrides`. */
  parameterOverrides?: Readonly<Record<string, string>>;
  /** Base of a relative target; default `process.cwd()`. */
  cwd?: string;
  /** Function logs (`[FunctionName requestId] line`); default stderr. */
  logger?: EmulatorLogger;
  /** The table, the serving line and reload notices; default stdout. */
  out?: (text: string) => void;
  /** Warnings and build errors; default stderr. */
  err?: (text: string) => void;
  /** Called after each reload a change (or `reload()`) caused. */
  onReload?: (result: DevReload) => void;
  /** Debounce of file events, ms; default 100. */
  watchDebounceMs?: number;
  /** Environment read for `LOCAL_LAMBDA_PORT`/`HOST`, credentials and the region; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A function being served.
 *
 * @example
 * server.functions.find((fn) => fn.status !== 'ok'); // a function whose sources do not build
 */
export interface DevFunction {
  name: string;
  logicalId: string;
  kind: DevCodeKind;
  status: DevBuildStatus;
  /** The handler source, code directory or zip. */
  source: string;
  /** The task root the runtime runs in, and `_HANDLER`. */
  taskRoot: string;
  handler: string;
  /** Build errors and warnings, formatted. */
  problems: readonly string[];
}

/**
 * What a reload did.
 *
 * @example
 * const { outcome } = await server.reload(); // 'reloaded', 'unchanged' or 'failed'
 */
export interface DevReload {
  /** `reloaded`: new code serves. `unchanged`: the builds are the same. `failed`: the previous version serves. */
  outcome: 'reloaded' | 'unchanged' | 'failed';
  /** The changed files that caused it (empty for an explicit `reload()`). */
  changed: readonly string[];
  durationMs: number;
  /** Why it failed (template or emulator error), when it did. */
  error?: Error;
}

/**
 * A running `sluice dev`.
 *
 * @example
 * const server = await startDev({ target: 'examples/streaming-function-url', port: 0 });
 * await fetch(server.endpoints.find((row) => row.kind === 'function-url')!.url);
 * await server.close();
 */
export interface DevServer {
  /** `http://<host>:<port>`: the SDK endpoint and base of every URL. */
  readonly url: string;
  readonly port: number;
  /** The rows of the table, for the version serving now. */
  readonly endpoints: readonly DevEndpoint[];
  readonly functions: readonly DevFunction[];
  /** The emulator underneath. */
  readonly emulator: Emulator;
  /** Reloads now, as a change to the sources would. */
  reload(): Promise<DevReload>;
  /** Stops watching, stops the emulator (waiting for every runtime process to exit), removes the builds. */
  close(): Promise<void>;
}

function checkPort(port: unknown, where: string): number {
  const value = typeof port === 'string' && /^\d+$/.test(port.trim()) ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new DevError(
      DevErrorCode.invalidOption,
      `${where} must be a port number from 0 to 65535 (0 picks a free port); got ${JSON.stringify(port)}`,
    );
  }
  return value;
}

/**
 * The port and host `sluice dev` listens on: the options, else `LOCAL_LAMBDA_PORT`/`LOCAL_LAMBDA_HOST` (the
 * Swift runtime's local server variables), else 127.0.0.1:7000.
 *
 * @example
 * resolveListen({}, { LOCAL_LAMBDA_PORT: '8080' }); // { port: 8080, host: '127.0.0.1' }
 */
export function resolveListen(
  options: { port?: number; host?: string },
  env: Readonly<Record<string, string | undefined>>,
): { port: number; host: string } {
  const port =
    options.port !== undefined
      ? checkPort(options.port, 'port')
      : env.LOCAL_LAMBDA_PORT
        ? checkPort(env.LOCAL_LAMBDA_PORT, 'LOCAL_LAMBDA_PORT')
        : DEV_DEFAULTS.port;
  const host = options.host ?? (env.LOCAL_LAMBDA_HOST || DEV_DEFAULTS.host);
  if (typeof host !== 'string' || host === '') {
    throw new DevError(DevErrorCode.invalidOption, `host must be a host name or address; got ${host}`);
  }
  return { port, host };
}

/**
 * The emulator's APIs for a project: REST APIs as they are (a route streams when its integration does); HTTP
 * APIs (`HttpApi` events, `AWS::Serverless::HttpApi`) as the emulator's HTTP APIs, with their stage (SAM's
 * implicit `ServerlessHttpApi` has `$default`: no path segment), their routes (an event without Path and
 * Method is the `$default` catch-all route) and payload format 2.0 unless the event or the OpenAPI integration
 * says 1.0. Routes to functions that are not served are left out.
 *
 * @example
 * const apis = emulatorApis(project, builds);
 * await startEmulator({ functions, ...emulatorApiOptions(apis) });
 */
export function emulatorApis(project: TemplateProject, builds: readonly FunctionBuild[]): DevApi[] {
  const names = new Map(
    project.functions
      .filter((fn) => builds.some((build) => build.name === fn.definition.name))
      .map((fn) => [fn.logicalId, fn.definition.name]),
  );
  const apis: DevApi[] = [];
  // An OpenAPI definition and an event may declare the same route: keep the first.
  const unique = <T extends { method: string; path: string }>(routes: T[]): T[] => {
    const seen = new Set<string>();
    return routes.filter((route) => {
      const key = route.path === '$default' ? route.path : `${route.method} ${route.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  for (const api of project.apis) {
    const served = api.routes.flatMap((route) => {
      const fn = names.get(route.functionLogicalId);
      return fn ? [{ route, fn, method: route.method.toUpperCase() as RestMethod }] : [];
    });
    if (api.kind === 'HTTP') {
      const routes = unique(
        served.map(
          ({ route, fn, method }): HttpApiRouteDefinition => ({
            method: route.path === '$default' ? 'ANY' : method,
            path: route.path,
            function: fn,
            ...(route.payloadFormatVersion ? { payloadFormatVersion: route.payloadFormatVersion } : {}),
          }),
        ),
      );
      if (routes.length === 0) continue;
      apis.push({ kind: 'HTTP', definition: { name: api.logicalId, stage: api.stageName, routes } });
    } else {
      const routes = unique(
        served.map(({ route, fn, method }): RestApiDefinition['routes'][number] => ({
          method,
          path: route.path,
          function: fn,
          streaming: route.streaming,
        })),
      );
      if (routes.length === 0) continue;
      apis.push({ kind: 'REST', definition: { name: api.logicalId, stage: api.stageName, routes } });
    }
  }
  return apis;
}

/**
 * The `apis` and `httpApis` options of `startEmulator` (and `reload`) for what {@link emulatorApis} returned.
 *
 * @example
 * await startEmulator({ functions, ...emulatorApiOptions(emulatorApis(project, builds)) });
 */
export function emulatorApiOptions(apis: readonly DevApi[]): {
  apis: RestApiDefinition[];
  httpApis: HttpApiDefinition[];
} {
  return {
    apis: apis.flatMap((api) => (api.kind === 'REST' ? [api.definition] : [])),
    httpApis: apis.flatMap((api) => (api.kind === 'HTTP' ? [api.definition] : [])),
  };
}

/**
 * What the emulator serves for the builds: each definition plus the template's `Runtime` and `Architectures`,
 * which ListFunctions/GetFunction report and `AWS_EXECUTION_ENV` is derived from.
 *
 * @example
 * await startEmulator({ functions: emulatorFunctions(project, builds) });
 */
export function emulatorFunctions(
  project: TemplateProject,
  builds: readonly FunctionBuild[],
): FunctionDefinition[] {
  return builds.map((build) => {
    const fn = project.functions.find((candidate) => candidate.logicalId === build.logicalId);
    const definition: FunctionDefinition = { ...build.definition };
    if (fn?.runtime !== undefined) definition.runtimeName = fn.runtime;
    const architecture = fn?.architectures[0];
    if (architecture === 'x86_64' || architecture === 'arm64') definition.architecture = architecture;
    return definition;
  });
}

function describeProblems(build: FunctionBuild): string {
  const what =
    build.status === 'failed'
      ? `does not build; invocations raise ${build.errorType} (as Lambda's runtime would) until it does`
      : build.status === 'stale'
        ? 'does not build; the previous build keeps serving'
        : 'warning';
  const body = build.problems.join('\n').replace(/^/gm, '  ');
  return `sluice dev: ${build.name}: ${what}:\n${body}\n`;
}

function toDevFunction(build: FunctionBuild): DevFunction {
  return {
    name: build.name,
    logicalId: build.logicalId,
    kind: build.kind,
    status: build.status,
    source: build.source,
    taskRoot: path.resolve(build.definition.code),
    handler: build.definition.handler ?? 'index.handler',
    problems: build.problems,
  };
}

/**
 * Starts `sluice dev` on a project. Resolves once it serves, after printing the table and
 * `sluice dev is serving at <url> (Ctrl-C to stop)`. Rejects with `TemplateError` (a template that does not
 * parse: file:line), `DevError` (port in use, nothing to serve) or an emulator error; a function whose sources
 * do not build does not stop it (see `buildFunctions`).
 *
 * @example
 * import { startDev } from 'sluice/dev';
 *
 * const server = await startDev({ target: 'template.yaml', port: 0 });
 * process.once('SIGINT', () => void server.close());
 */
export async function startDev(options: DevOptions = {}): Promise<DevServer> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const target = options.target ?? '.';
  const out = options.out ?? ((text: string) => void process.stdout.write(text));
  const err = options.err ?? ((text: string) => void process.stderr.write(text));
  const { port, host } = resolveListen(options, env);
  const region = options.region ?? defaultRegion(env as NodeJS.ProcessEnv);
  const credentials = resolveCredentials(undefined, env)[0]!;
  const load = () =>
    loadProject(target, {
      cwd,
      region,
      ...(options.parameterOverrides ? { parameterOverrides: options.parameterOverrides } : {}),
    });
  const shown = (file: string) => path.relative(cwd, file) || '.';

  let project = await load();
  const printedWarnings = new Set<string>();
  const printWarnings = (warnings: readonly string[]) => {
    for (const warning of warnings) {
      if (printedWarnings.has(warning)) continue;
      printedWarnings.add(warning);
      err(`sluice dev: warning: ${warning}\n`);
    }
  };
  printWarnings(project.warnings);
  if (project.functions.length === 0) {
    throw new DevError(
      DevErrorCode.nothingToServe,
      `${target} has no function sluice can run (Node.js or provided.* runtimes, zip packages)${project.warnings.length > 0 ? '; see the warnings above' : ''}`,
    );
  }

  const scratch = await openScratch(project.root);
  let generation = 1;
  let builds: FunctionBuild[];
  let apis: DevApi[];
  let emulator: Emulator;
  try {
    builds = await buildFunctions(project, { scratch, generation });
    for (const build of builds) if (build.problems.length > 0) err(describeProblems(build));
    apis = emulatorApis(project, builds);
    try {
      emulator = await startEmulator({
        functions: emulatorFunctions(project, builds),
        ...emulatorApiOptions(apis),
        port,
        host,
        region,
        cwd: project.root,
        logger: options.logger ?? stderrLogger,
        env,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new DevError(
          DevErrorCode.portInUse,
          `port ${port} on ${host} is in use (another sluice dev?): stop what listens there, or pick another port with --port <n> (--port 0 picks a free one)`,
          { cause: error },
        );
      }
      throw error;
    }
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }

  const source = () => shown(project.templateFile ?? path.resolve(cwd, target));
  const heading = (ms: number) =>
    `sluice dev: ${source()} (${builds.length} function${builds.length === 1 ? '' : 's'}, ready in ${Math.round(ms)} ms)`;
  let endpoints: DevEndpoint[] = [];
  const table = (ms: number) => {
    endpoints = describeEndpoints({
      emulator,
      builds,
      apis,
      region,
      credentials,
      // The emulator's /invoke runs the first function.
      defaultFunction: builds[0]?.name,
    });
    return formatEndpoints(endpoints, {
      heading: heading(ms),
      footer: `SDK clients: endpoint ${emulator.url}, region ${region}, any credentials`,
    });
  };
  let lastTable = table(performance.now() - started);
  out(lastTable);
  out(`sluice dev is serving at ${emulator.url} (Ctrl-C to stop)\n`);

  let watcher: SourceWatcher | undefined;
  const watchSet = () => ({
    files: [
      ...(project.templateFile ? [project.templateFile] : []),
      ...builds.flatMap((build) => build.watchFiles),
    ],
    trees: builds.flatMap((build) => build.watchTrees),
  });

  let closed = false;
  /** Task roots of the builds serving now and of the previous ones (their environments may still run). */
  let keep = new Set(builds.map((build) => path.resolve(build.definition.code)));
  const prune = async () => {
    for (let old = 1; old < generation; old++) {
      const dir = path.join(scratch, String(old));
      if ([...keep].some((root) => root.startsWith(`${dir}${path.sep}`))) continue;
      await rm(dir, { recursive: true, force: true });
    }
  };

  const reloadOnce = async (changed: readonly string[]): Promise<DevReload> => {
    const begun = performance.now();
    const done = (outcome: DevReload['outcome'], error?: Error): DevReload => ({
      outcome,
      changed,
      durationMs: performance.now() - begun,
      ...(error ? { error } : {}),
    });
    const what = changed.length > 0 ? `${changed.map(shown).join(', ')} changed` : 'reload';
    let next: TemplateProject;
    try {
      next = await load();
      if (next.functions.length === 0) {
        throw new DevError(DevErrorCode.nothingToServe, `${target} no longer has a function sluice can run`);
      }
    } catch (error) {
      const message = error instanceof SluiceError ? `${error.message} [${error.code}]` : String(error);
      err(`sluice dev: ${what}; the previous version keeps serving: ${message}\n`);
      return done('failed', error as Error);
    }
    printWarnings(next.warnings);
    generation++;
    let nextBuilds: FunctionBuild[];
    try {
      nextBuilds = await buildFunctions(next, {
        scratch,
        generation,
        previous: new Map(builds.map((build) => [build.name, build])),
      });
    } catch (error) {
      const message = error instanceof SluiceError ? `${error.message} [${error.code}]` : String(error);
      err(`sluice dev: ${what}; the previous version keeps serving: ${message}\n`);
      return done('failed', error as Error);
    }
    for (const build of nextBuilds) {
      const before = builds.find((candidate) => candidate.name === build.name);
      // Errors show on every build; a warning only when it is new.
      if (build.problems.length === 0) continue;
      if (build.status === 'ok' && before?.problems.join() === build.problems.join()) continue;
      err(describeProblems(build));
    }
    const nextApis = emulatorApis(next, nextBuilds);
    const definitions = (from: TemplateProject, list: readonly FunctionBuild[], apiList: readonly DevApi[]) =>
      JSON.stringify([emulatorFunctions(from, list), apiList]);
    const directoryChanged = nextBuilds.some((build) =>
      build.watchTrees.some((tree) =>
        changed.some((file) => file === tree || file.startsWith(`${tree}${path.sep}`)),
      ),
    );
    const unchanged =
      !directoryChanged &&
      changed.length > 0 &&
      definitions(project, builds, apis) === definitions(next, nextBuilds, nextApis) &&
      nextBuilds.every((build, index) => build.fingerprint === builds[index]?.fingerprint);
    if (unchanged) {
      builds = nextBuilds;
      project = next;
      watcher?.watch(watchSet());
      if (nextBuilds.every((build) => build.status === 'ok'))
        out(`sluice dev: ${what}; the build is the same\n`);
      return done('unchanged');
    }
    try {
      await emulator.reload({
        functions: emulatorFunctions(next, nextBuilds),
        ...emulatorApiOptions(nextApis),
      });
    } catch (error) {
      const message = error instanceof SluiceError ? `${error.message} [${error.code}]` : String(error);
      err(`sluice dev: ${what}; the previous version keeps serving: ${message}\n`);
      return done('failed', error as Error);
    }
    keep = new Set([...builds, ...nextBuilds].map((build) => path.resolve(build.definition.code)));
    builds = nextBuilds;
    apis = nextApis;
    project = next;
    watcher?.watch(watchSet());
    await prune();
    const result = done('reloaded');
    const nextTable = table(result.durationMs);
    // The heading carries the build time; reprint only when what is served changed.
    if (nextTable.split('\n').slice(1).join('\n') !== lastTable.split('\n').slice(1).join('\n'))
      out(nextTable);
    lastTable = nextTable;
    out(`sluice dev: reloaded in ${Math.round(result.durationMs)} ms (${what})\n`);
    return result;
  };

  // One reload at a time; changes that arrive meanwhile make one more.
  let running: Promise<DevReload> | undefined;
  let queued: { files: Set<string>; promise: Promise<DevReload> } | undefined;
  const reload = (changed: readonly string[]): Promise<DevReload> => {
    if (closed) return Promise.resolve({ outcome: 'failed', changed, durationMs: 0 });
    if (!running) {
      running = reloadOnce(changed).finally(() => {
        running = undefined;
      });
      return running.then((result) => {
        options.onReload?.(result);
        return result;
      });
    }
    if (queued) {
      for (const file of changed) queued.files.add(file);
      return queued.promise;
    }
    const files = new Set(changed);
    const promise = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return reload([...files]);
      });
    queued = { files, promise };
    return promise;
  };

  if (options.watch ?? true) {
    watcher = new SourceWatcher((files) => void reload(files), {
      ...(options.watchDebounceMs === undefined ? {} : { debounceMs: options.watchDebounceMs }),
    });
    watcher.watch(watchSet());
  }

  let closing: Promise<void> | undefined;
  return {
    url: emulator.url,
    port: emulator.port,
    get endpoints() {
      return endpoints;
    },
    get functions() {
      return builds.map(toDevFunction);
    },
    emulator,
    reload: () => reload([]),
    close: () => {
      closing ??= (async () => {
        closed = true;
        watcher?.close();
        await running?.catch(() => undefined);
        await emulator.close();
        await rm(scratch, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
