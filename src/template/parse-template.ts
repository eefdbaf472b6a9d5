/**
 * SAM/CloudFormation template → the functions, URLs and API routes sluice serves and packages.
 *
 * Supported: `AWS::Serverless::Function` (with `Globals`), `AWS::Lambda::Function`, `AWS::Lambda::Url`,
 * `AWS::Serverless::Api` / `AWS::Serverless::HttpApi` (OpenAPI `DefinitionBody`, `AWS::Include`,
 * `DefinitionUri`), `Api`/`HttpApi` events, `Parameters`, `Mappings`, `Conditions` and the intrinsic
 * functions. Other resources are only used to resolve `Ref`s to them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionDefinition } from '../emulator/function-config.js';
import { splitHandlerString } from '../runtime/load-handler.js';
import {
  formatLocation,
  type SourceLocation,
  TemplateError,
  TemplateErrorCode,
  type TemplateErrorCodeValue,
} from './errors.js';
import { globalsFor, mergeGlobals } from './globals.js';
import {
  findModuleSource,
  isDirectory,
  isFile,
  isSourceFile,
  isTypeScriptFile,
  moduleCandidates,
  pickEntryPoint,
} from './handler-source.js';
import {
  IntrinsicEvaluator,
  isUnresolved,
  pseudoParameters,
  type ResourceResolver,
  Unresolved,
} from './intrinsics.js';
import { type ParsedSource, parseTemplateSource, type ValuePath } from './source.js';
import type {
  ApiRoute,
  FunctionCode,
  FunctionEvent,
  FunctionUrl,
  TemplateApi,
  TemplateFunction,
  TemplateOptions,
  TemplateProject,
  UrlCors,
} from './types.js';

const SERVERLESS_FUNCTION = 'AWS::Serverless::Function';
const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
const FUNCTION_TYPES = new Set([SERVERLESS_FUNCTION, LAMBDA_FUNCTION]);
/** SAM's implicit APIs for events without RestApiId/ApiId (SAM's generated logical ids). */
const IMPLICIT_REST_API = 'ServerlessRestApi';
const IMPLICIT_HTTP_API = 'ServerlessHttpApi';
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/**
 * The region a template resolves `AWS::Region` to when none is given: `AWS_REGION`, `AWS_DEFAULT_REGION`,
 * else `us-east-1` (the emulator's default).
 *
 * @example
 * defaultRegion({}); // 'us-east-1'
 */
export function defaultRegion(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/**
 * `AWS::StackName` when none is given: the template directory's name, as `sam init` names both (`sam-app`),
 * cut to what CloudFormation accepts (letters, digits, hyphens, starting with a letter).
 *
 * @example
 * defaultStackName('/src/lambda-streaming-sdk-sam/template.yaml'); // 'lambda-streaming-sdk-sam'
 */
export function defaultStackName(templateFile: string): string {
  const name = path
    .basename(path.dirname(path.resolve(templateFile)))
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128);
  return name || 'sluice';
}

/**
 * The name CloudFormation gives a function without `FunctionName`: `<stack>-<LogicalId>-<SUFFIX>`, at most 64
 * characters. CloudFormation's suffix is random; this one is a hash, so it is the same on every run.
 *
 * @example
 * physicalFunctionName('lambda-streaming-sdk-sam', 'HappyPathFunction'); // 'lambda-streaming-sdk-sam-HappyPathFunction-1R2D3…'
 */
export function physicalFunctionName(stackName: string, logicalId: string): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}`).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const suffix = Array.from(digest.subarray(0, 12), (byte) => alphabet[byte % alphabet.length]).join('');
  return `${`${stackName}-${logicalId}`.slice(0, 64 - suffix.length - 1)}-${suffix}`;
}

type Resource = { Type?: unknown; Properties?: unknown; Metadata?: unknown; Condition?: unknown };

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnresolved(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * Reads a template from its text. `file` is where it lives: relative `CodeUri`s and `AWS::Include` locations
 * resolve against its directory, and messages cite it. Reads the file system (to find handler sources and
 * included files) but writes nothing; `loadProject` also writes inline code.
 *
 * @example
 * const project = parseTemplate(readFileSync('template.yaml', 'utf8'), { file: path.resolve('template.yaml') });
 * project.functions.map((fn) => fn.definition.name); // ['HappyPathFunction', …]
 */
export function parseTemplate(text: string, options: TemplateOptions & { file: string }): TemplateProject {
  return new TemplateReader(parseTemplateSource(text, path.resolve(options.file)), options).read();
}

/**
 * Reads and parses a template file.
 *
 * @example
 * const { functions, apis } = loadTemplateFile('template.yaml', { region: 'eu-west-1' });
 */
export function loadTemplateFile(file: string, options: TemplateOptions = {}): TemplateProject {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new TemplateError(
      TemplateErrorCode.notFound,
      `cannot read the template: ${(error as Error).message}`,
      {
        file: absolute,
      },
    );
  }
  return parseTemplate(text, { ...options, file: absolute });
}

class TemplateReader {
  readonly #source: ParsedSource;
  readonly #options: TemplateOptions;
  readonly #file: string;
  readonly #dir: string;
  readonly #warnings: string[];
  readonly #resources: Record<string, Resource> = {};
  readonly #globals: unknown;
  readonly #evaluator: IntrinsicEvaluator;
  readonly #pseudo: ReturnType<typeof pseudoParameters>;
  readonly #names = new Map<string, string>();
  readonly #naming = new Set<string>();

  constructor(source: ParsedSource, options: TemplateOptions & { file: string }) {
    this.#source = source;
    this.#options = options;
    this.#file = source.file;
    this.#dir = path.dirname(source.file);
    this.#warnings = [...source.warnings];
    const root = asRecord(source.value);
    if (!root) {
      this.#fail(
        TemplateErrorCode.invalid,
        [],
        'this is not a CloudFormation template: expected a mapping with a Resources section',
      );
    }
    const resources = asRecord(root.Resources);
    if (!resources) {
      this.#fail(
        TemplateErrorCode.invalid,
        ['Resources'],
        'the template has no Resources section (a mapping of logical ids to resources)',
      );
    }
    for (const [id, resource] of Object.entries(resources)) {
      const record = asRecord(resource);
      if (!record || typeof record.Type !== 'string') {
        this.#fail(
          TemplateErrorCode.invalid,
          ['Resources', id],
          `resource ${id} needs a Type (for example AWS::Serverless::Function)`,
        );
      }
      this.#resources[id] = record as Resource;
    }
    this.#globals = root.Globals;
    this.#pseudo = pseudoParameters({
      region: options.region ?? defaultRegion(),
      accountId: options.accountId ?? '123456789012',
      stackName: options.stackName ?? defaultStackName(source.file),
    });
    this.#evaluator = new IntrinsicEvaluator({
      pseudo: this.#pseudo,
      parameters: this.#parameters(root.Parameters),
      mappings: root.Mappings ?? {},
      conditions: root.Conditions ?? {},
      resources: this.#resourceResolver(),
      include: (location, at) => this.#include(location, at),
    });
  }

  read(): TemplateProject {
    const functions: TemplateFunction[] = [];
    for (const [id, resource] of Object.entries(this.#resources)) {
      if (!FUNCTION_TYPES.has(resource.Type as string) || !this.#isCreated(id)) continue;
      const fn = this.#function(id, resource);
      if (fn) functions.push(fn);
    }
    this.#functionUrls(functions);
    for (const fn of functions) {
      const modes = new Set(fn.urls.map((url) => url.invokeMode));
      if (modes.size > 1) {
        this.#warn(
          ['Resources', fn.logicalId],
          `${fn.logicalId} has function URLs with different InvokeModes; sluice serves it as ${fn.urls[0]!.invokeMode}`,
        );
      }
      if (fn.url) {
        fn.definition.invokeMode = fn.url.invokeMode;
        fn.definition.url = { authType: fn.url.authType, invokeMode: fn.url.invokeMode };
        if (fn.url.cors) fn.definition.url.cors = fn.url.cors;
      }
    }
    const apis = this.#apis(functions);
    return {
      functions,
      apis,
      warnings: this.#warnings,
      root: this.#dir,
      templateFile: this.#file,
      stackName: this.#pseudo.stackName,
    };
  }

  // ---- messages ----

  #locate(at: ValuePath): SourceLocation {
    return this.#source.locate(at);
  }

  #fail(code: TemplateErrorCodeValue, at: ValuePath, message: string): never {
    throw new TemplateError(code, message, this.#locate(at));
  }

  #warn(at: ValuePath, message: string): void {
    this.#warnings.push(`${formatLocation(this.#locate(at))}: ${message}`);
  }

  /** Path of a function property: the resource's own, else the Globals entry it came from. */
  #propertyPath(id: string, key: string): ValuePath {
    const own = asRecord(this.#resources[id]?.Properties);
    if (own && Object.hasOwn(own, key)) return ['Resources', id, 'Properties', key];
    const globals = globalsFor(this.#globals, String(this.#resources[id]?.Type));
    if (globals && Object.hasOwn(globals, key)) return ['Globals', 'Function', key];
    return ['Resources', id];
  }

  // ---- parameters, resources, includes ----

  #parameters(section: unknown): Map<string, unknown> {
    const values = new Map<string, unknown>();
    const overrides = this.#options.parameterOverrides ?? {};
    const declared = asRecord(section) ?? {};
    for (const [name, declaration] of Object.entries(declared)) {
      const spec = asRecord(declaration) ?? {};
      const raw = Object.hasOwn(overrides, name) ? overrides[name] : spec.Default;
      if (raw === undefined || raw === null) {
        values.set(
          name,
          new Unresolved(
            `!Ref ${name}`,
            `parameter ${name} has no Default; give it a value (--parameter-overrides ${name}=…)`,
          ),
        );
        continue;
      }
      const type = typeof spec.Type === 'string' ? spec.Type : 'String';
      // List parameters are comma-delimited strings, as CloudFormation takes them.
      const isList = type === 'CommaDelimitedList' || /^List<.+>$/.test(type);
      const text = Array.isArray(raw) ? raw.map(String).join(',') : String(raw);
      values.set(name, isList ? text.split(',').map((item) => item.trim()) : text);
    }
    for (const name of Object.keys(overrides)) {
      if (!Object.hasOwn(declared, name)) {
        this.#warnings.push(
          `${formatLocation({ file: this.#file })}: parameter override ${name} matches no parameter of the template`,
        );
      }
    }
    return values;
  }

  #functionName(id: string): string {
    const known = this.#names.get(id);
    if (known !== undefined) return known;
    let name =
      this.#options.functionNames === 'physical' ? physicalFunctionName(this.#pseudo.stackName, id) : id;
    const declared = asRecord(this.#resources[id]?.Properties)?.FunctionName;
    if (declared !== undefined && !this.#naming.has(id)) {
      this.#naming.add(id);
      try {
        const resolved = this.#evaluator.resolve(declared, ['Resources', id, 'Properties', 'FunctionName']);
        if (typeof resolved === 'string') name = resolved;
        else {
          this.#warn(
            ['Resources', id, 'Properties', 'FunctionName'],
            `FunctionName of ${id} cannot be resolved locally (${isUnresolved(resolved) ? resolved.reason : 'not a string'}); it is served as ${name}`,
          );
        }
      } finally {
        this.#naming.delete(id);
      }
    }
    this.#names.set(id, name);
    return name;
  }

  #functionArn(id: string, qualifier?: string): string {
    const { partition, region, accountId } = this.#pseudo;
    return `arn:${partition}:lambda:${region}:${accountId}:function:${this.#functionName(id)}${qualifier ? `:${qualifier}` : ''}`;
  }

  #resourceResolver(): ResourceResolver {
    const { partition, region, accountId } = this.#pseudo;
    const property = (id: string, key: string): string | undefined => {
      const value = asRecord(this.#resources[id]?.Properties)?.[key];
      if (value === undefined) return undefined;
      const resolved = this.#evaluator.resolve(value, ['Resources', id, 'Properties', key]);
      return typeof resolved === 'string' ? resolved : undefined;
    };
    return {
      ref: (id) => {
        // SAM's `!Ref Function.Alias` (AutoPublishAlias) is the alias ARN.
        const alias = /^(.+)\.Alias$/.exec(id);
        if (alias && FUNCTION_TYPES.has(this.#resources[alias[1]!]?.Type as string)) {
          const name = asRecord(this.#resources[alias[1]!]?.Properties)?.AutoPublishAlias;
          if (typeof name === 'string') return this.#functionArn(alias[1]!, name);
        }
        const resource = this.#resources[id];
        if (!resource) {
          // SAM's generated resources keep their logical id as local identity.
          return id === IMPLICIT_REST_API || id === IMPLICIT_HTTP_API ? id : undefined;
        }
        switch (resource.Type) {
          case SERVERLESS_FUNCTION:
          case LAMBDA_FUNCTION:
            return this.#functionName(id);
          // The names of resources sluice does not create: the declared name if any, else the logical id,
          // as SAM CLI resolves a Ref to a resource it does not know (aws/aws-sam-cli#7413).
          case 'AWS::DynamoDB::Table':
          case 'AWS::Serverless::SimpleTable':
            return property(id, 'TableName') ?? id;
          case 'AWS::S3::Bucket':
            return property(id, 'BucketName') ?? id;
          case 'AWS::Logs::LogGroup':
            return property(id, 'LogGroupName') ?? id;
          case 'AWS::SQS::Queue':
            return `https://sqs.${region}.${this.#pseudo.urlSuffix}/${accountId}/${property(id, 'QueueName') ?? id}`;
          case 'AWS::SNS::Topic':
            return `arn:${partition}:sns:${region}:${accountId}:${property(id, 'TopicName') ?? id}`;
          default:
            return id;
        }
      },
      getAtt: (id, attribute) => {
        const resource = this.#resources[id];
        if (!resource) return undefined;
        switch (`${String(resource.Type)}.${attribute}`) {
          case `${SERVERLESS_FUNCTION}.Arn`:
          case `${LAMBDA_FUNCTION}.Arn`:
            return this.#functionArn(id);
          case 'AWS::DynamoDB::Table.Arn':
            return `arn:${partition}:dynamodb:${region}:${accountId}:table/${property(id, 'TableName') ?? id}`;
          case 'AWS::S3::Bucket.Arn':
            return `arn:${partition}:s3:::${property(id, 'BucketName') ?? id}`;
          case 'AWS::SQS::Queue.Arn':
            return `arn:${partition}:sqs:${region}:${accountId}:${property(id, 'QueueName') ?? id}`;
          case 'AWS::SQS::Queue.QueueName':
            return property(id, 'QueueName') ?? id;
          case 'AWS::IAM::Role.Arn':
            return `arn:${partition}:iam::${accountId}:role/${property(id, 'RoleName') ?? id}`;
          default:
            // Function URLs (`.FunctionUrl`) are only known once `sluice dev` serves them.
            return undefined;
        }
      },
    };
  }

  /** AWS::Include (and DefinitionUri): a YAML/JSON file next to the template; S3 locations stay unresolved. */
  #include(location: string, at: ValuePath): unknown {
    if (/^s3:\/\//i.test(location) || /^https?:\/\//i.test(location)) {
      return new Unresolved(`AWS::Include ${location}`, 'only local files can be included locally');
    }
    const file = path.resolve(this.#dir, location);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      this.#fail(
        TemplateErrorCode.codeNotFound,
        at,
        `cannot read included file ${location}: ${(error as Error).message}`,
      );
    }
    const included = parseTemplateSource(text, file);
    this.#warnings.push(...included.warnings);
    return included.value;
  }

  /** A resource's `Condition`: false drops it (with a warning), as CloudFormation does not create it. */
  #isCreated(id: string): boolean {
    const condition = this.#resources[id]?.Condition;
    if (condition === undefined) return true;
    if (typeof condition !== 'string') {
      this.#fail(
        TemplateErrorCode.invalid,
        ['Resources', id, 'Condition'],
        `the Condition of ${id} must be the name of a condition`,
      );
    }
    const value = this.#evaluator.condition(condition);
    if (value === false) {
      this.#warn(['Resources', id, 'Condition'], `${id} is skipped: its condition ${condition} is false`);
      return false;
    }
    if (isUnresolved(value)) {
      this.#warn(
        ['Resources', id, 'Condition'],
        `condition ${condition} of ${id} cannot be evaluated (${value.reason}); ${id} is included`,
      );
    }
    return true;
  }

  // ---- functions ----

  #function(id: string, resource: Resource): TemplateFunction | undefined {
    const serverless = resource.Type === SERVERLESS_FUNCTION;
    const base = ['Resources', id, 'Properties'] as const;
    const own = resource.Properties === undefined ? {} : asRecord(resource.Properties);
    if (!own) this.#fail(TemplateErrorCode.invalid, base, `the Properties of ${id} must be a mapping`);
    const merged = serverless ? mergeGlobals(globalsFor(this.#globals, SERVERLESS_FUNCTION), own) : own;
    const props = asRecord(this.#evaluator.resolve(merged, base)) ?? {};
    const at = (key: string) => this.#propertyPath(id, key);
    const needString = (key: string, what: string): string | undefined => {
      const value = props[key];
      if (value === undefined) return undefined;
      if (isUnresolved(value)) {
        this.#fail(
          TemplateErrorCode.unresolved,
          at(key),
          `${key} of ${id} cannot be resolved locally: ${value.reason}. ${what}`,
        );
      }
      if (typeof value !== 'string')
        this.#fail(TemplateErrorCode.invalid, at(key), `${key} of ${id} must be a string`);
      return value;
    };

    if (props.PackageType === 'Image') {
      this.#warn(
        base,
        `${id} is a container image function (PackageType: Image); sluice runs zip functions only, so it is skipped`,
      );
      return undefined;
    }
    const runtime = needString('Runtime', 'sluice needs it to know how to run the function.');
    const family =
      runtime === undefined || runtime.startsWith('nodejs')
        ? 'node'
        : runtime.startsWith('provided')
          ? 'provided'
          : 'other';
    if (family === 'other') {
      this.#warn(
        at('Runtime'),
        `${id} uses Runtime ${runtime}; sluice runs Node.js and custom (provided.*) runtimes, so it is skipped`,
      );
      return undefined;
    }
    if (runtime === undefined) {
      if (!serverless) {
        this.#fail(
          TemplateErrorCode.invalid,
          base,
          `${id} has no Runtime (AWS::Lambda::Function needs one, for example nodejs20.x)`,
        );
      }
      this.#warn(base, `${id} has no Runtime (SAM needs one to deploy it); sluice runs it as Node.js`);
    }

    const name = this.#functionName(id);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      this.#fail(
        TemplateErrorCode.invalid,
        at('FunctionName'),
        `function name ${JSON.stringify(name)} of ${id} is invalid: use 1 to 64 letters, digits, hyphens or underscores`,
      );
    }

    const codeProperty = serverless ? (props.InlineCode !== undefined ? 'InlineCode' : 'CodeUri') : 'Code';
    const { location: codeLocation, inline } = this.#codeLocation(id, serverless, props, at(codeProperty));
    const handlerString = needString('Handler', 'sluice needs it to find the handler.');
    const metadata =
      asRecord(this.#evaluator.resolve(resource.Metadata, ['Resources', id, 'Metadata'])) ?? {};
    const buildProperties = asRecord(metadata.BuildProperties) ?? {};

    let code: FunctionCode;
    let definitionHandler: string | undefined;
    let lambdaHandler: string | undefined;
    if (family === 'provided') {
      // Custom runtimes start `bootstrap` in the task root and get Handler only as `_HANDLER`.
      if (inline !== undefined)
        this.#fail(
          TemplateErrorCode.unsupported,
          at(codeProperty),
          `${id}: inline code needs a Node.js runtime`,
        );
      code = codeLocation.toLowerCase().endsWith('.zip')
        ? { kind: 'zip', file: codeLocation }
        : { kind: 'directory', directory: codeLocation };
      if (code.kind === 'directory' && !isDirectory(codeLocation)) {
        this.#fail(
          TemplateErrorCode.codeNotFound,
          at(codeProperty),
          `CodeUri of ${id} (${codeLocation}) does not exist`,
        );
      }
      definitionHandler = handlerString;
    } else {
      if (handlerString === undefined) {
        this.#fail(
          TemplateErrorCode.invalid,
          at('Handler'),
          `${id} has no Handler: give the module and export, for example src/app.handler`,
        );
      }
      let modulePath: string;
      let exportPath: string;
      try {
        ({ modulePath, exportPath } = splitHandlerString(handlerString));
      } catch (error) {
        this.#fail(
          TemplateErrorCode.invalid,
          at('Handler'),
          `Handler ${JSON.stringify(handlerString)} of ${id} is malformed (${(error as Error).message}): use path/module.export, for example src/app.handler`,
        );
      }
      lambdaHandler = handlerString;
      if (inline !== undefined) {
        code = { kind: 'inline', source: inline, file: codeLocation };
        definitionHandler = handlerString;
      } else {
        const entryPoints = Array.isArray(buildProperties.EntryPoints)
          ? buildProperties.EntryPoints.filter((entry): entry is string => typeof entry === 'string')
          : undefined;
        code = this.#nodeCode(
          id,
          codeLocation,
          at(codeProperty),
          modulePath,
          metadata.BuildMethod === 'esbuild',
          entryPoints,
        );
        definitionHandler = code.kind === 'source' ? exportPath : handlerString;
      }
    }

    const definition: FunctionDefinition = { name, code: codeKindPath(code) };
    if (definitionHandler !== undefined) definition.handler = definitionHandler;
    if (family === 'provided') definition.runtime = './bootstrap';
    const timeout = this.#number(id, props, 'Timeout');
    if (timeout !== undefined) definition.timeout = timeout;
    const memorySize = this.#number(id, props, 'MemorySize');
    if (memorySize !== undefined) definition.memorySize = memorySize;
    const concurrency = this.#number(id, props, 'ReservedConcurrentExecutions');
    if (concurrency !== undefined) definition.reservedConcurrency = concurrency;
    const environment = this.#environment(id, props);
    if (environment) definition.environment = environment;

    const architectures = Array.isArray(props.Architectures) ? props.Architectures.map(String) : ['x86_64'];
    if (Array.isArray(props.Layers) && props.Layers.length > 0) {
      this.#warn(
        at('Layers'),
        `${id} uses Layers, which sluice does not download: install what they provide (node_modules) locally`,
      );
    }

    const urls: FunctionUrl[] = [];
    if (serverless && props.FunctionUrlConfig !== undefined) {
      const alias = typeof props.AutoPublishAlias === 'string' ? props.AutoPublishAlias : undefined;
      urls.push(this.#url(`${id}Url`, props.FunctionUrlConfig, at('FunctionUrlConfig'), alias));
    }
    const events = serverless ? this.#events(id, props.Events) : [];

    const build: TemplateFunction['build'] = {};
    if (typeof buildProperties.Minify === 'boolean') build.minify = buildProperties.Minify;
    if (typeof buildProperties.Sourcemap === 'boolean') build.sourcemap = buildProperties.Sourcemap;

    const fn: TemplateFunction = {
      logicalId: id,
      resourceType: serverless ? SERVERLESS_FUNCTION : LAMBDA_FUNCTION,
      definition,
      code,
      architectures,
      urls,
      events,
      build,
      location: this.#locate(['Resources', id]),
    };
    if (lambdaHandler !== undefined) fn.handler = lambdaHandler;
    if (runtime !== undefined) fn.runtime = runtime;
    if (urls[0]) fn.url = urls[0];
    return fn;
  }

  /** The absolute local path of a function's code, or its inline source. */
  #codeLocation(
    id: string,
    serverless: boolean,
    props: Record<string, unknown>,
    at: ValuePath,
  ): { location: string; inline?: string } {
    const inlineFile = path.join(this.#dir, '.sluice', 'inline', id, 'index.js');
    const inlineSource = (value: unknown, key: string): string => {
      if (isUnresolved(value))
        this.#fail(
          TemplateErrorCode.unresolved,
          at,
          `${key} of ${id} cannot be resolved locally: ${value.reason}`,
        );
      if (typeof value !== 'string')
        this.#fail(TemplateErrorCode.invalid, at, `${key} of ${id} must be a string of code`);
      return value;
    };
    let uri: unknown;
    if (serverless) {
      if (props.InlineCode !== undefined)
        return { location: inlineFile, inline: inlineSource(props.InlineCode, 'InlineCode') };
      // SAM's CodeUri defaults to the template's directory (examples.md §2.4 has none).
      uri = props.CodeUri ?? '.';
    } else {
      const code = props.Code;
      const record = asRecord(code);
      if (record && record.ZipFile !== undefined)
        return { location: inlineFile, inline: inlineSource(record.ZipFile, 'Code.ZipFile') };
      if (record && (record.S3Bucket !== undefined || record.S3Key !== undefined)) {
        this.#fail(
          TemplateErrorCode.unsupported,
          at,
          `the Code of ${id} is in S3 (S3Bucket/S3Key), which sluice cannot run: point Code at a local directory or zip instead (sam build / aws cloudformation package upload it)`,
        );
      }
      if (record && record.ImageUri !== undefined) {
        this.#fail(
          TemplateErrorCode.unsupported,
          at,
          `${id} is a container image (Code.ImageUri); sluice runs zip functions only`,
        );
      }
      if (code === undefined)
        this.#fail(TemplateErrorCode.invalid, ['Resources', id, 'Properties'], `${id} has no Code`);
      uri = code;
    }
    if (isUnresolved(uri)) {
      this.#fail(
        TemplateErrorCode.unresolved,
        at,
        `the code location of ${id} cannot be resolved locally: ${uri.reason}`,
      );
    }
    const s3 =
      (typeof uri === 'string' && /^s3:\/\//i.test(uri)) ||
      (asRecord(uri) !== undefined &&
        (asRecord(uri)!.Bucket !== undefined || asRecord(uri)!.Key !== undefined));
    if (s3) {
      this.#fail(
        TemplateErrorCode.unsupported,
        at,
        `the code of ${id} is in S3, which sluice cannot run: use a local CodeUri (a directory or a zip)`,
      );
    }
    if (typeof uri !== 'string' || uri === '') {
      this.#fail(TemplateErrorCode.invalid, at, `the code location of ${id} must be a local path`);
    }
    return { location: path.resolve(this.#dir, uri) };
  }

  /**
   * Where a Node.js function's handler source is. See loadProject's documentation for the rules; in short:
   * EntryPoints if given, else the Handler's module under CodeUri (TypeScript first, then JavaScript), and for
   * a CodeUri that is a zip built by `sluice archive`, the module under the template's directory.
   */
  #nodeCode(
    id: string,
    location: string,
    at: ValuePath,
    modulePath: string,
    esbuild: boolean,
    entryPoints: string[] | undefined,
  ): FunctionCode {
    const tried: string[] = [];
    if (location.toLowerCase().endsWith('.zip')) {
      // The zip is a build output (`CodeUri: .sluice/archive/Fn/Fn.zip`, as Swift's examples point CodeUri at
      // `swift package archive`'s zip): run the sources behind it when they are here.
      const source = findModuleSource(this.#dir, modulePath);
      if (source) return { kind: 'source', entry: source };
      return { kind: 'zip', file: location };
    }
    if (isFile(location)) {
      if (isSourceFile(location)) return { kind: 'source', entry: location };
      this.#fail(
        TemplateErrorCode.invalid,
        at,
        `the code of ${id} (${location}) must be a directory, a zip or a source file`,
      );
    }
    if (!isDirectory(location)) {
      this.#fail(
        TemplateErrorCode.codeNotFound,
        at,
        `the code of ${id} is ${path.relative(this.#dir, location) || '.'}, which does not exist (${location})`,
      );
    }
    if (entryPoints && entryPoints.length > 0) {
      const entry = pickEntryPoint(entryPoints, modulePath);
      if (!entry) {
        this.#fail(
          TemplateErrorCode.handlerNotFound,
          ['Resources', id, 'Metadata', 'BuildProperties', 'EntryPoints'],
          `none of the EntryPoints of ${id} (${entryPoints.join(', ')}) matches the Handler's module ${modulePath}`,
        );
      }
      const file = path.resolve(location, entry);
      if (!isFile(file)) {
        this.#fail(
          TemplateErrorCode.handlerNotFound,
          ['Resources', id, 'Metadata', 'BuildProperties', 'EntryPoints'],
          `the entry point ${entry} of ${id} does not exist (${file})`,
        );
      }
      return { kind: 'source', entry: file };
    }
    tried.push(...moduleCandidates(location, modulePath));
    const source = findModuleSource(location, modulePath);
    if (!source) {
      const relative = tried.map((file) => path.relative(this.#dir, file));
      this.#fail(
        TemplateErrorCode.handlerNotFound,
        this.#propertyPath(id, 'Handler'),
        `the Handler of ${id} names module ${modulePath}, but there is no ${relative.slice(0, 2).join(' or ')} (nor .cts/.tsx/.js/.mjs/.cjs/.jsx) in its code ${path.relative(this.#dir, location) || '.'}`,
      );
    }
    // TypeScript must be bundled; plain JavaScript runs as is, as Lambda runs the unzipped package, unless the
    // template asks for SAM's esbuild build.
    if (isTypeScriptFile(source) || esbuild) return { kind: 'source', entry: source };
    return { kind: 'directory', directory: location };
  }

  #number(id: string, props: Record<string, unknown>, key: string): number | undefined {
    const value = props[key];
    if (value === undefined) return undefined;
    if (isUnresolved(value)) {
      this.#warn(
        this.#propertyPath(id, key),
        `${key} of ${id} cannot be resolved locally (${value.reason}); Lambda's default is used`,
      );
      return undefined;
    }
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      this.#fail(
        TemplateErrorCode.invalid,
        this.#propertyPath(id, key),
        `${key} of ${id} must be a number; got ${JSON.stringify(value)}`,
      );
    }
    return number;
  }

  #environment(id: string, props: Record<string, unknown>): Record<string, string> | undefined {
    if (props.Environment === undefined) return undefined;
    const variables = asRecord(asRecord(props.Environment)?.Variables);
    if (!variables) return undefined;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
      const at = [...this.#propertyPath(id, 'Environment'), 'Variables', key];
      if (isUnresolved(value)) {
        this.#warn(
          at,
          `environment variable ${key} of ${id} is ${value.expression}, which cannot be resolved locally (${value.reason}); it is set to "${value}"`,
        );
        out[key] = value.toString();
      } else if (value === null) out[key] = '';
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        out[key] = String(value);
      else this.#fail(TemplateErrorCode.invalid, at, `environment variable ${key} of ${id} must be a string`);
    }
    return out;
  }

  #url(logicalId: string, config: unknown, at: ValuePath, qualifier?: string): FunctionUrl {
    const record = asRecord(config);
    if (!record)
      this.#fail(
        TemplateErrorCode.invalid,
        at,
        `the function URL configuration of ${logicalId} must be a mapping`,
      );
    const authType = record.AuthType;
    if (authType !== 'NONE' && authType !== 'AWS_IAM') {
      this.#fail(
        TemplateErrorCode.invalid,
        [...at, 'AuthType'],
        `AuthType of ${logicalId} must be NONE or AWS_IAM; got ${JSON.stringify(authType)}`,
      );
    }
    const invokeMode = record.InvokeMode ?? 'BUFFERED';
    if (invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') {
      this.#fail(
        TemplateErrorCode.invalid,
        [...at, 'InvokeMode'],
        `InvokeMode of ${logicalId} must be BUFFERED or RESPONSE_STREAM; got ${JSON.stringify(invokeMode)}`,
      );
    }
    const url: FunctionUrl = { logicalId, authType, invokeMode };
    const cors = asRecord(record.Cors);
    if (cors) url.cors = this.#cors(cors);
    const declared = typeof record.Qualifier === 'string' ? record.Qualifier : qualifier;
    if (declared !== undefined) url.qualifier = declared;
    return url;
  }

  #cors(cors: Record<string, unknown>): UrlCors {
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
    const out: UrlCors = {};
    const set = <K extends keyof UrlCors>(key: K, value: UrlCors[K] | undefined) => {
      if (value !== undefined) out[key] = value;
    };
    set('allowOrigins', list(cors.AllowOrigins));
    set('allowMethods', list(cors.AllowMethods));
    set('allowHeaders', list(cors.AllowHeaders));
    set('exposeHeaders', list(cors.ExposeHeaders));
    if (cors.MaxAge !== undefined && Number.isFinite(Number(cors.MaxAge))) out.maxAge = Number(cors.MaxAge);
    if (typeof cors.AllowCredentials === 'boolean') out.allowCredentials = cors.AllowCredentials;
    else if (cors.AllowCredentials === 'true' || cors.AllowCredentials === 'false') {
      out.allowCredentials = cors.AllowCredentials === 'true';
    }
    return out;
  }

  #events(id: string, events: unknown): FunctionEvent[] {
    const out: FunctionEvent[] = [];
    const ignored = new Set<string>();
    for (const [name, event] of Object.entries(asRecord(events) ?? {})) {
      const record = asRecord(event) ?? {};
      const props = asRecord(record.Properties) ?? {};
      const at = ['Resources', id, 'Properties', 'Events', name];
      if (record.Type === 'Api') {
        if (typeof props.Path !== 'string' || typeof props.Method !== 'string') {
          this.#fail(
            TemplateErrorCode.invalid,
            at,
            `the Api event ${name} of ${id} needs a Path and a Method`,
          );
        }
        const api = typeof props.RestApiId === 'string' ? props.RestApiId : IMPLICIT_REST_API;
        out.push({
          name,
          kind: 'Api',
          path: props.Path,
          method: props.Method.toUpperCase(),
          apiLogicalId: api,
          streaming: props.ResponseTransferMode === 'STREAM',
        });
      } else if (record.Type === 'HttpApi') {
        const api = typeof props.ApiId === 'string' ? props.ApiId : IMPLICIT_HTTP_API;
        // Without Path and Method, SAM routes everything to the function ($default).
        const catchAll = props.Path === undefined && props.Method === undefined;
        const version = payloadFormatVersion(props.PayloadFormatVersion);
        out.push({
          name,
          kind: 'HttpApi',
          path: catchAll ? '$default' : String(props.Path ?? '/'),
          method: catchAll ? 'ANY' : String(props.Method ?? 'ANY').toUpperCase(),
          apiLogicalId: api,
          streaming: false,
          ...(version ? { payloadFormatVersion: version } : {}),
        });
      } else if (typeof record.Type === 'string') {
        ignored.add(record.Type);
      }
    }
    if (ignored.size > 0) {
      this.#warn(
        ['Resources', id, 'Properties', 'Events'],
        `${id}: events of type ${[...ignored].join(', ')} are not emulated (invoke the function directly)`,
      );
    }
    return out;
  }

  /** AWS::Lambda::Url resources, attached to the function they target. */
  #functionUrls(functions: TemplateFunction[]): void {
    for (const [id, resource] of Object.entries(this.#resources)) {
      if (resource.Type !== 'AWS::Lambda::Url' || !this.#isCreated(id)) continue;
      const base = ['Resources', id, 'Properties'];
      const props = asRecord(this.#evaluator.resolve(resource.Properties, base)) ?? {};
      const target = props.TargetFunctionArn;
      const fn = typeof target === 'string' ? this.#functionByReference(functions, target) : undefined;
      if (!fn) {
        const what = isUnresolved(target)
          ? `${target.expression} (${target.reason})`
          : JSON.stringify(target);
        this.#warn(
          [...base, 'TargetFunctionArn'],
          `function URL ${id} targets ${what}, which is not a function of this template; it is skipped`,
        );
        continue;
      }
      const qualifier = typeof target === 'string' ? /:function:[^:]+:([^:]+)$/.exec(target)?.[1] : undefined;
      const url = this.#url(id, props, base, qualifier);
      fn.urls.push(url);
      fn.url ??= url;
    }
  }

  #functionByReference(functions: TemplateFunction[], reference: string): TemplateFunction | undefined {
    const name =
      /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(reference)?.[1] ?? reference;
    return (
      functions.find((fn) => fn.definition.name === name) ??
      functions.find((fn) => fn.logicalId === reference)
    );
  }

  // ---- APIs ----

  #apis(functions: TemplateFunction[]): TemplateApi[] {
    const apis = new Map<string, TemplateApi>();
    for (const [id, resource] of Object.entries(this.#resources)) {
      const kind =
        resource.Type === 'AWS::Serverless::Api'
          ? 'REST'
          : resource.Type === 'AWS::Serverless::HttpApi'
            ? 'HTTP'
            : undefined;
      if (!kind || !this.#isCreated(id)) continue;
      const base = ['Resources', id, 'Properties'];
      const merged = mergeGlobals(
        globalsFor(this.#globals, String(resource.Type)),
        asRecord(resource.Properties) ?? {},
      );
      const props = asRecord(this.#evaluator.resolve(merged, base)) ?? {};
      const stage = props.StageName;
      const api: TemplateApi = {
        logicalId: id,
        kind,
        stageName: typeof stage === 'string' ? stage : kind === 'REST' ? 'Prod' : '$default',
        implicit: false,
        routes: [],
      };
      let body = props.DefinitionBody;
      if (body === undefined && typeof props.DefinitionUri === 'string') {
        body = this.#evaluator.resolve(this.#include(props.DefinitionUri, [...base, 'DefinitionUri']), [
          ...base,
          'DefinitionUri',
        ]);
      }
      if (isUnresolved(body)) {
        this.#warn(
          [...base, 'DefinitionBody'],
          `the OpenAPI definition of ${id} cannot be read locally (${body.reason}); only its functions' events are served`,
        );
      } else if (body !== undefined) {
        api.routes.push(...this.#openApiRoutes(id, body, functions, [...base, 'DefinitionBody']));
      }
      apis.set(id, api);
    }
    for (const fn of functions) {
      for (const event of fn.events) {
        const apiId = event.apiLogicalId ?? (event.kind === 'Api' ? IMPLICIT_REST_API : IMPLICIT_HTTP_API);
        let api = apis.get(apiId);
        if (!api) {
          if (apiId !== IMPLICIT_REST_API && apiId !== IMPLICIT_HTTP_API) {
            this.#warn(
              ['Resources', fn.logicalId, 'Properties', 'Events', event.name],
              `event ${event.name} of ${fn.logicalId} refers to API ${apiId}, which is not in this template`,
            );
            continue;
          }
          api = {
            logicalId: apiId,
            kind: event.kind === 'Api' ? 'REST' : 'HTTP',
            stageName: event.kind === 'Api' ? 'Prod' : '$default',
            implicit: true,
            routes: [],
          };
          apis.set(apiId, api);
        }
        const defined = api.routes.find(
          (route) => route.path === event.path && route.method === event.method,
        );
        if (defined) {
          // The OpenAPI definition decides how the route integrates (SAM keeps an existing integration).
          event.streaming ||= defined.streaming;
          defined.streaming ||= event.streaming;
        } else {
          api.routes.push({
            path: event.path,
            method: event.method,
            functionLogicalId: fn.logicalId,
            streaming: event.streaming,
            ...(event.payloadFormatVersion ? { payloadFormatVersion: event.payloadFormatVersion } : {}),
          });
        }
      }
    }
    return [...apis.values()];
  }

  #openApiRoutes(apiId: string, body: unknown, functions: TemplateFunction[], at: ValuePath): ApiRoute[] {
    const routes: ApiRoute[] = [];
    const paths = asRecord(asRecord(body)?.paths);
    if (!paths) return routes;
    for (const [routePath, operations] of Object.entries(paths)) {
      for (const [key, operation] of Object.entries(asRecord(operations) ?? {})) {
        const method =
          key === ANY_METHOD ? 'ANY' : HTTP_METHODS.has(key.toLowerCase()) ? key.toUpperCase() : undefined;
        if (!method) continue;
        const integration = asRecord(asRecord(operation)?.['x-amazon-apigateway-integration']);
        if (!integration) continue;
        const where = [...at, 'paths', routePath, key, 'x-amazon-apigateway-integration'];
        const type = String(integration.type ?? '').toLowerCase();
        if (type !== 'aws_proxy') {
          this.#warn(
            where,
            `${apiId} ${method} ${routePath}: only Lambda proxy integrations (type aws_proxy) are served; this ${type || 'untyped'} integration is skipped`,
          );
          continue;
        }
        const uri = integration.uri;
        const uriText =
          typeof uri === 'string' ? uri : isUnresolved(uri) ? (uri.partial ?? uri.expression) : '';
        const fn = this.#functionFromUri(uriText, functions);
        if (!fn) {
          this.#warn(
            [...where, 'uri'],
            `${apiId} ${method} ${routePath}: the integration uri ${uriText || JSON.stringify(uri)} names no function of this template; the route is skipped`,
          );
          continue;
        }
        const version = payloadFormatVersion(integration.payloadFormatVersion);
        routes.push({
          path: routePath,
          method,
          functionLogicalId: fn.logicalId,
          ...(version ? { payloadFormatVersion: version } : {}),
          // API Gateway streams when the integration's responseTransferMode is STREAM; the
          // response-streaming-invocations URI is the one such integrations use (API Gateway developer guide,
          // "Configure a Lambda proxy integration with payload response streaming").
          streaming:
            String(integration.responseTransferMode ?? '').toUpperCase() === 'STREAM' ||
            /\/response-streaming-invocations$/.test(uriText),
        });
      }
    }
    return routes;
  }

  #functionFromUri(uri: string, functions: TemplateFunction[]): TemplateFunction | undefined {
    const target = /\/functions\/(.+?)\/(?:invocations|response-streaming-invocations)$/.exec(uri)?.[1];
    if (!target) return undefined;
    const byName = this.#functionByReference(functions, target);
    if (byName) return byName;
    // An unresolved `${Fn.Arn}` leaves the logical id in the marker text.
    const logical = /!GetAtt ([A-Za-z0-9]+)\.Arn/.exec(target)?.[1];
    return logical ? functions.find((fn) => fn.logicalId === logical) : undefined;
  }
}

/** The path the emulator's `code` takes for a function's code. */
function codeKindPath(code: FunctionCode): string {
  switch (code.kind) {
    case 'source':
      return code.entry;
    case 'directory':
      return code.directory;
    case 'zip':
      return code.file;
    case 'inline':
      return path.dirname(code.file);
  }
}

/** `PayloadFormatVersion` as a template writes it (`"1.0"`, `'2.0'`, or YAML's number `1.0`). */
function payloadFormatVersion(value: unknown): '1.0' | '2.0' | undefined {
  const text = typeof value === 'number' ? value.toFixed(1) : value;
  return text === '1.0' || text === '2.0' ? text : undefined;
}
