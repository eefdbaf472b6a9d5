/**
 * What a template (or a bare handler file) describes, in the terms sluice runs and packages: functions with
 * their emulator definition, function URLs, API routes.
 */
import type { FunctionDefinition, InvokeMode } from '../emulator/function-config.js';
import type { SourceLocation } from './errors.js';

/**
 * A function URL's CORS settings (`FunctionUrlConfig.Cors` / `AWS::Lambda::Url` `Cors`), in camelCase.
 *
 * @example
 * const cors: UrlCors = { allowOrigins: ['https://example.com'], allowMethods: ['GET'], maxAge: 300 };
 */
export interface UrlCors {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
  allowCredentials?: boolean;
}

/**
 * A function URL: from a function's `FunctionUrlConfig` (logical id `<Function>Url`, the resource SAM
 * generates) or from an `AWS::Lambda::Url` resource.
 *
 * @example
 * const url: FunctionUrl = { logicalId: 'StreamingFunctionUrl', authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' };
 */
export interface FunctionUrl {
  logicalId: string;
  authType: 'NONE' | 'AWS_IAM';
  invokeMode: InvokeMode;
  cors?: UrlCors;
  /** Alias or version the URL points at (`Qualifier`, or the function's `AutoPublishAlias`). */
  qualifier?: string;
}

/**
 * An `Api` (REST) or `HttpApi` event of a function.
 *
 * @example
 * const event: FunctionEvent = { name: 'Stream', kind: 'Api', path: '/stream', method: 'ANY', apiLogicalId: 'StreamingApi', streaming: true };
 */
export interface FunctionEvent {
  /** The event's key under `Events`. */
  name: string;
  kind: 'Api' | 'HttpApi';
  /** `/stream`, `/items/{id}`; `$default` for an HttpApi event without Path and Method (SAM's catch-all). */
  path: string;
  /** Upper case; `ANY` for any method. */
  method: string;
  /** The API the route belongs to: `RestApiId`/`ApiId`, or SAM's implicit `ServerlessRestApi`/`ServerlessHttpApi`. */
  apiLogicalId?: string;
  /**
   * The route streams: its OpenAPI integration has `responseTransferMode: STREAM` or the
   * response-streaming-invocations URI, or the event has `ResponseTransferMode: STREAM`.
   */
  streaming: boolean;
  /** HttpApi events: the event's `PayloadFormatVersion`, when it sets one (SAM's default is 2.0). */
  payloadFormatVersion?: '1.0' | '2.0';
}

/**
 * Where a function's code comes from.
 *
 * @example
 * const code: FunctionCode = { kind: 'source', entry: '/app/src/handler.ts' };
 */
export type FunctionCode =
  /** A TypeScript/JavaScript entry that is bundled with esbuild (locally and by `sluice archive`). */
  | { kind: 'source'; entry: string }
  /** A directory of JavaScript used as the task root as-is, as Lambda uses an unzipped package. */
  | { kind: 'directory'; directory: string }
  /** A built package (`swift package archive`'s zip, say); it must be unpacked before it can run. */
  | { kind: 'zip'; file: string }
  /** `InlineCode` / `Code.ZipFile`: `loadProject` writes `source` to `file` (Lambda names it `index.js`). */
  | { kind: 'inline'; source: string; file: string };

/**
 * One function of a template.
 *
 * @example
 * const [fn] = (await loadProject('template.yaml')).functions;
 * await startEmulator({ functions: [fn!.definition] });
 */
export interface TemplateFunction {
  logicalId: string;
  resourceType: 'AWS::Serverless::Function' | 'AWS::Lambda::Function' | 'source';
  /** What the emulator runs: `startEmulator({ functions: [definition] })` (after unpacking a `zip`). */
  definition: FunctionDefinition;
  code: FunctionCode;
  /**
   * The `Handler` string Lambda is given once deployed (`src/app.handler`); `sluice archive` lays the bundle out
   * so that it stays valid. Undefined for custom runtimes (`provided.*`), whose handler is the `bootstrap`.
   */
  handler?: string;
  /** `Runtime` (`nodejs20.x`, `provided.al2`), when the template names one. */
  runtime?: string;
  /** `Architectures`, default `['x86_64']` as on Lambda. */
  architectures: string[];
  /** The first function URL (`FunctionUrlConfig` before `AWS::Lambda::Url` resources). */
  url?: FunctionUrl;
  /** Every function URL of the function (examples.md §2.1 declares two). */
  urls: FunctionUrl[];
  events: FunctionEvent[];
  /** esbuild settings from `Metadata.BuildProperties` (SAM's esbuild builder): `Minify`, `Sourcemap`. */
  build: { minify?: boolean; sourcemap?: boolean };
  /** Where the resource is declared. */
  location?: SourceLocation;
}

/**
 * A route of an API.
 *
 * @example
 * const route: ApiRoute = { path: '/ask', method: 'POST', functionLogicalId: 'StreamingResponseFunction', streaming: true };
 */
export interface ApiRoute {
  path: string;
  method: string;
  functionLogicalId: string;
  streaming: boolean;
  /**
   * HTTP API routes: the integration's payload format, when the event (`PayloadFormatVersion`) or the OpenAPI
   * integration (`payloadFormatVersion`) sets one; 2.0 otherwise.
   */
  payloadFormatVersion?: '1.0' | '2.0';
}

/**
 * An API Gateway API: an `AWS::Serverless::Api` (REST) or `AWS::Serverless::HttpApi`, or the implicit one SAM
 * creates for events without `RestApiId`/`ApiId` (`ServerlessRestApi`, stage `Prod`; `ServerlessHttpApi`,
 * stage `$default`).
 *
 * @example
 * const api: TemplateApi = { logicalId: 'StreamingApi', kind: 'REST', stageName: 'prod', implicit: false, routes: [] };
 */
export interface TemplateApi {
  logicalId: string;
  kind: 'REST' | 'HTTP';
  stageName: string;
  /** True for SAM's implicit APIs. */
  implicit: boolean;
  routes: ApiRoute[];
}

/**
 * A loaded project: the template's functions and APIs, and what the user should know.
 *
 * @example
 * const { functions, apis, warnings } = await loadProject('.');
 * for (const warning of warnings) console.warn(warning);
 */
export interface TemplateProject {
  functions: TemplateFunction[];
  apis: TemplateApi[];
  warnings: string[];
  /** Directory that relative paths (and `.sluice/`) are based on: the template's, or the handler's project. */
  root: string;
  /** The template file, when there is one. */
  templateFile?: string;
  /** `AWS::StackName` as resolved. */
  stackName: string;
}

/**
 * How to resolve a template.
 *
 * @example
 * await loadProject('template.yaml', { region: 'eu-west-1', parameterOverrides: { Stage: 'dev' } });
 */
export interface TemplateOptions {
  /** `AWS::Region`; default `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
  /** `AWS::AccountId`; default `123456789012` (the emulator's). */
  accountId?: string;
  /** `AWS::StackName`; default the template directory's name (what `sam init` names the stack). */
  stackName?: string;
  /** Parameter values, as `sam deploy --parameter-overrides` gives them; they win over `Default`. */
  parameterOverrides?: Readonly<Record<string, string>>;
  /**
   * Function names when `FunctionName` is absent: `logical-id` (default, as `sam local` names them) or
   * `physical` (`<stack>-<LogicalId>-<SUFFIX>`, as CloudFormation names them; SDK clients that look functions
   * up by that prefix, examples.md §2.4, find them).
   */
  functionNames?: 'logical-id' | 'physical';
  /** Base of a relative path given to `loadProject`; default `process.cwd()`. */
  cwd?: string;
}
