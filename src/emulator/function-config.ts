/**
 * Function definitions: what a user declares, AWS's defaults for what they leave out, and validation with
 * AWS's limits (CreateFunction's constraints), so a function that runs here would also be accepted by Lambda.
 */
import path from 'node:path';
import { EmulatorConfigError } from './errors.js';

/**
 * How a function URL delivers the function's response (Lambda's `InvokeMode`). It does not change how the
 * Invoke APIs behave: `Invoke` buffers and `InvokeWithResponseStream` streams any function.
 *
 * @example
 * const mode: InvokeMode = 'RESPONSE_STREAM';
 */
export type InvokeMode = 'BUFFERED' | 'RESPONSE_STREAM';

/**
 * How a function URL authenticates callers (Lambda's `AuthType`).
 *
 * @example
 * const auth: FunctionUrlAuthType = 'AWS_IAM';
 */
export type FunctionUrlAuthType = 'NONE' | 'AWS_IAM';

/**
 * The instruction set a function is declared for (Lambda's `Architectures`, which holds exactly one). Reported by
 * the management APIs; the function runs on the host's architecture whatever it says.
 *
 * @example
 * const architecture: Architecture = 'arm64';
 */
export type Architecture = 'x86_64' | 'arm64';

/**
 * A function URL's CORS settings (Lambda's `Cors`, camel-cased).
 *
 * @example
 * const cors: FunctionUrlCors = { allowOrigins: ['https://app.example'], allowMethods: ['GET', 'POST'], maxAge: 300 };
 */
export interface FunctionUrlCors {
  /** `Access-Control-Allow-Credentials`; default false. */
  allowCredentials?: boolean;
  /** `Access-Control-Allow-Headers` of preflight answers (≤ 100). */
  allowHeaders?: readonly string[];
  /** `Access-Control-Allow-Methods` of preflight answers (≤ 6, e.g. `GET`, `POST`, `*`). */
  allowMethods?: readonly string[];
  /** Origins allowed (≤ 100): exact origins, `*`, or one wildcard (`https://*.example.com`). */
  allowOrigins?: readonly string[];
  /** `Access-Control-Expose-Headers` of responses (≤ 100). */
  exposeHeaders?: readonly string[];
  /** `Access-Control-Max-Age` of preflight answers, seconds, 0–86400. */
  maxAge?: number;
}

/**
 * A function URL (Lambda's `FunctionUrlConfig`). The URL is served at
 * `http://<FunctionName>.lambda-url.localhost:<port>/…` and `http://127.0.0.1:<port>/lambda-url/<FunctionName>/…`.
 *
 * @example
 * const url: FunctionUrlDefinition = { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM', cors: { allowOrigins: ['*'] } };
 */
export interface FunctionUrlDefinition {
  /** Default `NONE`. `AWS_IAM` requires SigV4-signed requests (signing name `lambda`). */
  authType?: FunctionUrlAuthType;
  /** Default: the function's `invokeMode` (itself `BUFFERED` by default). */
  invokeMode?: InvokeMode;
  cors?: FunctionUrlCors;
}

/**
 * CORS settings with defaults filled in.
 *
 * @example
 * config.url?.cors?.allowOrigins; // ['*']
 */
export interface FunctionUrlCorsConfig {
  readonly allowCredentials: boolean;
  readonly allowHeaders: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowOrigins: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge: number | undefined;
}

/**
 * A function URL with defaults filled in.
 *
 * @example
 * config.url; // { authType: 'NONE', invokeMode: 'RESPONSE_STREAM', cors: undefined }
 */
export interface FunctionUrlConfig {
  readonly authType: FunctionUrlAuthType;
  readonly invokeMode: InvokeMode;
  readonly cors: FunctionUrlCorsConfig | undefined;
}

/**
 * A function as the user declares it.
 *
 * @example
 * const fn: FunctionDefinition = {
 *   name: 'stream',
 *   code: './src/handlers/stream.ts', // bundled with esbuild; a directory is used as the task root as-is
 *   handler: 'handler',               // for a source file: the export; for a directory: `file.export`
 *   timeout: 30,
 *   invokeMode: 'RESPONSE_STREAM',
 * };
 */
export interface FunctionDefinition {
  /** Function name: letters, digits, `-` and `_`, at most 64 characters (Lambda's rule). */
  name: string;
  /**
   * A directory used as the task root as-is, or a TypeScript/JavaScript entry file (`.ts`, `.mts`, `.cts`,
   * `.tsx`, `.js`, `.mjs`, `.cjs`, `.jsx`) bundled with esbuild into a temporary task root. Relative paths
   * resolve against the emulator's `cwd`.
   */
  code: string;
  /**
   * For a directory: `_HANDLER` (`index.handler`, `dir/file.export`), default `index.handler`. For a source
   * file: the name (or dotted path) of the handler export, default `handler`; `<file>.<export>` naming the
   * entry file is accepted too.
   */
  handler?: string;
  /**
   * The command that starts the runtime, with the task root as its working directory: an executable (a
   * compiled `bootstrap`) or an argv array. Default: sluice's own runtime, `node <sluice>/dist/runtime/bootstrap.js`.
   *
   * @example
   * runtime: ['node', 'node_modules/aws-lambda-ric/bin/index.mjs', 'index.handler'] // AWS's Node runtime client
   */
  runtime?: string | readonly string[];
  /**
   * Lambda's `Runtime` identifier (`nodejs20.x`, `provided.al2023`): what `GetFunction` and `ListFunctions`
   * report, and the source of `AWS_EXECUTION_ENV` (`AWS_Lambda_nodejs20.x`; unset for `provided.*`, as on
   * Lambda). It does not choose what runs: `runtime` does. Default `nodejs20.x` with sluice's own runtime,
   * `provided.al2023` with a runtime command.
   */
  runtimeName?: string;
  /** Lambda's `Description`, reported by `GetFunction` and `ListFunctions`; at most 256 characters. Default empty. */
  description?: string;
  /** Reported as `Architectures`; default `x86_64`, as on Lambda. Not enforced: the host's architecture runs. */
  architecture?: Architecture;
  /** Seconds, 1–900 (AWS's range; fractions allowed for tests). Default 3, as on Lambda. */
  timeout?: number;
  /** MB, 128–10240. Default 128, as on Lambda. Reported to the function; not enforced. */
  memorySize?: number;
  /** Variables added to the execution environment. Lambda's reserved names are rejected, as on AWS. */
  environment?: Readonly<Record<string, string>>;
  /** Default `BUFFERED`. */
  invokeMode?: InvokeMode;
  /** A function URL for the function; none by default. */
  url?: FunctionUrlDefinition;
  /**
   * Concurrent invocations this function may run (one execution environment each); beyond it callers get
   * `TooManyRequestsException`. Default 10. 0 throttles every invocation, as on Lambda.
   */
  reservedConcurrency?: number;
}

/**
 * A definition after validation, with every default filled in.
 *
 * @example
 * const config = resolveFunctionConfig({ name: 'f', code: './fn' });
 * config.timeout; // 3
 */
export interface FunctionConfig {
  readonly name: string;
  /** Absolute path of the directory or entry file. */
  readonly code: string;
  readonly codeKind: 'directory' | 'source';
  /** `_HANDLER` for a directory; the export path for a source file. */
  readonly handler: string;
  /** argv of the runtime command; undefined means sluice's own runtime. */
  readonly runtime: readonly string[] | undefined;
  /** Lambda's `Runtime` identifier, e.g. `nodejs20.x`. */
  readonly runtimeName: string;
  readonly description: string;
  readonly architecture: Architecture;
  readonly timeout: number;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly invokeMode: InvokeMode;
  readonly reservedConcurrency: number;
  /** The function URL, if it has one. */
  readonly url: FunctionUrlConfig | undefined;
}

/**
 * AWS's defaults for what a definition leaves out.
 *
 * @example
 * FUNCTION_DEFAULTS.timeout; // 3 (seconds)
 */
export const FUNCTION_DEFAULTS = {
  timeout: 3,
  memorySize: 128,
  invokeMode: 'BUFFERED' as InvokeMode,
  reservedConcurrency: 10,
  directoryHandler: 'index.handler',
  sourceHandler: 'handler',
  /** `runtimeName` of a function run by sluice's own runtime (a Node.js runtime). */
  runtimeName: 'nodejs20.x',
  /** `runtimeName` of a function run by its own runtime command (a custom runtime). */
  customRuntimeName: 'provided.al2023',
  architecture: 'x86_64' as Architecture,
} as const;

/**
 * Extensions of entry files the emulator bundles with esbuild.
 *
 * @example
 * SOURCE_EXTENSIONS.includes(path.extname(file)); // true for 'handler.ts'
 */
export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'] as const;

/**
 * Environment variables Lambda reserves: a function configuration that sets one is rejected ("Lambda was
 * unable to configure your environment variables because the environment variables you have provided
 * contains reserved keys").
 *
 * @example
 * RESERVED_ENVIRONMENT_KEYS.has('AWS_REGION'); // true
 */
export const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Printable ASCII without spaces: the value lands in `AWS_EXECUTION_ENV` and in API responses. */
const RUNTIME_NAME = /^[\x21-\x7e]{1,128}$/;
const ENVIRONMENT_KEY = /^[a-zA-Z]([a-zA-Z0-9_])*$/;

function fail(name: string, message: string): never {
  throw new EmulatorConfigError(`Function ${JSON.stringify(name)}: ${message}`);
}

function inRange(
  name: string,
  field: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(name, `${field} must be a number from ${min} to ${max}; got ${String(value)}.`);
  }
  if (integer && !Number.isInteger(value)) fail(name, `${field} must be an integer; got ${value}.`);
  return value;
}

/**
 * Validates a definition and fills in AWS's defaults. Throws `EmulatorConfigError` naming the function and the
 * field. Does not touch the file system; the code path is checked when the code is built.
 *
 * @example
 * resolveFunctionConfig({ name: 'hello', code: 'fn/hello.ts' }, '/repo');
 * // { name: 'hello', code: '/repo/fn/hello.ts', codeKind: 'source', handler: 'handler', timeout: 3, ... }
 */
export function resolveFunctionConfig(
  definition: FunctionDefinition,
  cwd: string = process.cwd(),
): FunctionConfig {
  const name = definition?.name;
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
    throw new EmulatorConfigError(
      `Function name ${JSON.stringify(name)} is invalid: use 1 to 64 letters, digits, hyphens or underscores.`,
    );
  }
  if (typeof definition.code !== 'string' || definition.code.length === 0) {
    fail(name, 'code must be the path of a directory or of a .ts/.js entry file.');
  }
  const code = path.resolve(cwd, definition.code);
  const codeKind = (SOURCE_EXTENSIONS as readonly string[]).includes(path.extname(code).toLowerCase())
    ? 'source'
    : 'directory';
  let handler =
    definition.handler ??
    (codeKind === 'directory' ? FUNCTION_DEFAULTS.directoryHandler : FUNCTION_DEFAULTS.sourceHandler);
  // For a source file, a Lambda-style `file.export` naming that file means its export.
  const moduleName = path.basename(code, path.extname(code));
  if (codeKind === 'source' && typeof handler === 'string' && handler.startsWith(`${moduleName}.`)) {
    handler = handler.slice(moduleName.length + 1);
  }
  if (typeof handler !== 'string' || handler.length === 0 || handler.length > 128) {
    fail(name, 'handler must be a non-empty string of at most 128 characters.');
  }
  if (codeKind === 'source' && !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(handler)) {
    fail(
      name,
      `handler ${JSON.stringify(handler)} must name an export of ${definition.code}, e.g. "handler".`,
    );
  }

  let runtime: readonly string[] | undefined;
  if (definition.runtime !== undefined) {
    runtime = typeof definition.runtime === 'string' ? [definition.runtime] : [...definition.runtime];
    if (runtime.length === 0 || runtime.some((part) => typeof part !== 'string' || part.length === 0)) {
      fail(name, 'runtime must be an executable path or a non-empty argv array of non-empty strings.');
    }
  }

  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(definition.environment ?? {})) {
    if (!ENVIRONMENT_KEY.test(key))
      fail(name, `environment variable name ${JSON.stringify(key)} is invalid.`);
    if (RESERVED_ENVIRONMENT_KEYS.has(key)) {
      fail(name, `environment variable ${key} is reserved by Lambda and cannot be set.`);
    }
    if (typeof value !== 'string') fail(name, `environment variable ${key} must be a string.`);
    environment[key] = value;
  }

  const runtimeName =
    definition.runtimeName ??
    (runtime === undefined ? FUNCTION_DEFAULTS.runtimeName : FUNCTION_DEFAULTS.customRuntimeName);
  if (typeof runtimeName !== 'string' || !RUNTIME_NAME.test(runtimeName)) {
    fail(
      name,
      `runtimeName must be a Lambda runtime identifier such as "nodejs20.x"; got ${JSON.stringify(runtimeName)}.`,
    );
  }
  const description = definition.description ?? '';
  if (typeof description !== 'string' || description.length > 256) {
    fail(name, 'description must be a string of at most 256 characters.');
  }
  const architecture = definition.architecture ?? FUNCTION_DEFAULTS.architecture;
  if (architecture !== 'x86_64' && architecture !== 'arm64') {
    fail(name, `architecture must be x86_64 or arm64; got ${JSON.stringify(architecture)}.`);
  }

  const invokeMode = definition.invokeMode ?? FUNCTION_DEFAULTS.invokeMode;
  if (invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') {
    fail(name, `invokeMode must be BUFFERED or RESPONSE_STREAM; got ${JSON.stringify(invokeMode)}.`);
  }

  return {
    name,
    code,
    codeKind,
    url: resolveUrl(name, definition.url, invokeMode),
    handler,
    runtime,
    runtimeName,
    description,
    architecture,
    timeout: inRange(name, 'timeout', definition.timeout, FUNCTION_DEFAULTS.timeout, 0.001, 900, false),
    memorySize: inRange(
      name,
      'memorySize',
      definition.memorySize,
      FUNCTION_DEFAULTS.memorySize,
      128,
      10240,
      true,
    ),
    environment,
    invokeMode,
    reservedConcurrency: inRange(
      name,
      'reservedConcurrency',
      definition.reservedConcurrency,
      FUNCTION_DEFAULTS.reservedConcurrency,
      0,
      1000,
      true,
    ),
  };
}

function stringList(name: string, field: string, value: unknown, max: number, maxLength: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) {
    fail(name, `${field} must be an array of at most ${max} strings.`);
  }
  for (const item of value) {
    if (typeof item !== 'string' || item.length === 0 || item.length > maxLength) {
      fail(
        name,
        `${field} items must be strings of 1 to ${maxLength} characters; got ${JSON.stringify(item)}.`,
      );
    }
  }
  return [...(value as string[])];
}

/** Validates a function URL with AWS's `CreateFunctionUrlConfig` constraints. */
function resolveUrl(
  name: string,
  url: FunctionUrlDefinition | undefined,
  functionInvokeMode: InvokeMode,
): FunctionUrlConfig | undefined {
  if (url === undefined) return undefined;
  if (typeof url !== 'object' || url === null)
    fail(name, 'url must be an object ({ authType, invokeMode, cors }).');
  const authType = url.authType ?? 'NONE';
  if (authType !== 'NONE' && authType !== 'AWS_IAM') {
    fail(name, `url.authType must be NONE or AWS_IAM; got ${JSON.stringify(authType)}.`);
  }
  const invokeMode = url.invokeMode ?? functionInvokeMode;
  if (invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') {
    fail(name, `url.invokeMode must be BUFFERED or RESPONSE_STREAM; got ${JSON.stringify(invokeMode)}.`);
  }
  let cors: FunctionUrlCorsConfig | undefined;
  if (url.cors !== undefined) {
    const c = url.cors;
    if (typeof c !== 'object' || c === null) fail(name, 'url.cors must be an object.');
    if (c.allowCredentials !== undefined && typeof c.allowCredentials !== 'boolean') {
      fail(name, 'url.cors.allowCredentials must be true or false.');
    }
    cors = {
      allowCredentials: c.allowCredentials ?? false,
      allowHeaders: stringList(name, 'url.cors.allowHeaders', c.allowHeaders, 100, 1024),
      allowMethods: stringList(name, 'url.cors.allowMethods', c.allowMethods, 6, 6).map((method) =>
        method.toUpperCase(),
      ),
      allowOrigins: stringList(name, 'url.cors.allowOrigins', c.allowOrigins, 100, 253),
      exposeHeaders: stringList(name, 'url.cors.exposeHeaders', c.exposeHeaders, 100, 1024),
      maxAge:
        c.maxAge === undefined ? undefined : inRange(name, 'url.cors.maxAge', c.maxAge, 0, 0, 86400, true),
    };
  }
  return { authType, invokeMode, cors };
}
