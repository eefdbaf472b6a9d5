import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFunctionConfig } from '../emulator/function-config.js';
import { TemplateError, TemplateErrorCode } from './errors.js';
import { loadProject } from './load-project.js';
import { physicalFunctionName } from './parse-template.js';
import type { TemplateFunction, TemplateProject } from './types.js';

const FIXTURES = fileURLToPath(new URL('./test-fixtures/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);

/** The parts of a function the examples pin down, with paths relative to the template's directory. */
function summary(project: TemplateProject) {
  return project.functions.map((fn: TemplateFunction) => ({
    id: fn.logicalId,
    name: fn.definition.name,
    code: `${fn.code.kind}:${path.relative(project.root, fn.definition.code) || '.'}`,
    handler: fn.definition.handler,
    timeout: fn.definition.timeout,
    memorySize: fn.definition.memorySize,
    invokeMode: fn.definition.invokeMode,
    urls: fn.urls.map(
      (url) =>
        `${url.logicalId} ${url.authType} ${url.invokeMode}${url.qualifier ? ` @${url.qualifier}` : ''}`,
    ),
    events: fn.events.map(
      (event) =>
        `${event.kind} ${event.method} ${event.path} ${event.apiLogicalId}${event.streaming ? ' STREAM' : ''}`,
    ),
  }));
}

const apiSummary = (project: TemplateProject) =>
  project.apis.map((api) => ({
    id: api.logicalId,
    kind: api.kind,
    stage: api.stageName,
    implicit: api.implicit,
    routes: api.routes.map(
      (r) => `${r.method} ${r.path} → ${r.functionLogicalId}${r.streaming ? ' STREAM' : ''}`,
    ),
  }));

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away project directory with `files` in it. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluice-template-'));
  temporary.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function loadError(target: string, options = {}): Promise<TemplateError> {
  try {
    await loadProject(target, options);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('reference examples (examples.md)', () => {
  it('every function definition is one the emulator accepts', async () => {
    for (const name of [
      'swift-function-url',
      'swift-api-gateway',
      'ttfb-write',
      'ttfb-pipeline',
      'large',
      'sdk',
      'dynamodb',
      'bedrock-streaming',
      'bedrock-response-streaming',
      'apigw-bedrock',
      'sam-init',
    ]) {
      const loaded = await loadProject(fixture(name));
      expect(loaded.functions.length, name).toBeGreaterThan(0);
      for (const fn of loaded.functions) expect(() => resolveFunctionConfig(fn.definition)).not.toThrow();
    }
  });

  it('§1.2 Swift function URL: custom runtime from the archive zip, 5 s, AWS_IAM RESPONSE_STREAM', async () => {
    const loaded = await loadProject(fixture('swift-function-url'));
    expect(summary(loaded)).toEqual([
      {
        id: 'StreamingNumbers',
        name: 'StreamingNumbers',
        code: 'zip:.build/plugins/AWSLambdaPackager/outputs/AWSLambdaPackager/StreamingNumbers/StreamingNumbers.zip',
        handler: 'swift.bootstrap',
        timeout: 5,
        memorySize: 128,
        invokeMode: 'RESPONSE_STREAM',
        urls: ['StreamingNumbersUrl AWS_IAM RESPONSE_STREAM'],
        events: [],
      },
    ]);
    const [fn] = loaded.functions;
    expect(fn!.definition.runtime).toBe('./bootstrap');
    expect(fn!.definition.environment).toEqual({ LOG_LEVEL: 'trace' });
    expect(fn!.architectures).toEqual(['arm64']);
    expect(fn!.runtime).toBe('provided.al2');
    expect(fn!.handler).toBeUndefined();
    expect(loaded.apis).toEqual([]);
    expect(loaded.warnings).toEqual([]);
  });

  it('§1.3 Swift API Gateway: REST API stage prod, ANY /stream streaming', async () => {
    const loaded = await loadProject(fixture('swift-api-gateway'));
    expect(summary(loaded)[0]).toMatchObject({
      timeout: 60,
      invokeMode: undefined,
      urls: [],
      events: ['Api ANY /stream StreamingApi STREAM'],
    });
    expect(apiSummary(loaded)).toEqual([
      {
        id: 'StreamingApi',
        kind: 'REST',
        stage: 'prod',
        implicit: false,
        routes: ['ANY /stream → StreamingNumbers STREAM'],
      },
    ]);
  });

  it('§2.1 ttfb write: FunctionUrlConfig and an AWS::Lambda::Url, two streaming URLs', async () => {
    const loaded = await loadProject(fixture('ttfb-write'));
    expect(summary(loaded)).toEqual([
      {
        id: 'StreamingFunction',
        name: 'StreamingFunction',
        code: 'directory:src',
        handler: 'index.handler',
        timeout: 30,
        memorySize: 512,
        invokeMode: 'RESPONSE_STREAM',
        urls: ['StreamingFunctionUrl AWS_IAM RESPONSE_STREAM @live', 'MyFunctionUrl AWS_IAM RESPONSE_STREAM'],
        events: [],
      },
    ]);
    expect(loaded.functions[0]!.url?.logicalId).toBe('StreamingFunctionUrl');
  });

  it('§2.2 ttfb pipeline: ESM index.mjs, the URL only as AWS::Lambda::Url', async () => {
    const loaded = await loadProject(fixture('ttfb-pipeline'));
    expect(summary(loaded)).toEqual([
      {
        id: 'StreamingFunction',
        name: 'StreamingFunction',
        code: 'directory:src',
        handler: 'index.handler',
        timeout: 30,
        memorySize: 256,
        invokeMode: 'RESPONSE_STREAM',
        urls: ['MyFunctionUrl AWS_IAM RESPONSE_STREAM'],
        events: [],
      },
    ]);
  });

  it('§2.3 large: 256 MB, AWS_IAM RESPONSE_STREAM URL', async () => {
    expect(summary(await loadProject(fixture('large')))[0]).toMatchObject({
      memorySize: 256,
      timeout: 30,
      urls: ['MyFunctionUrl AWS_IAM RESPONSE_STREAM'],
    });
  });

  it('§2.4 sdk: Globals, CodeUri defaulting to the template directory, the repeated Outputs key', async () => {
    const loaded = await loadProject(fixture('sdk'));
    expect(summary(loaded)).toEqual(
      [
        ['HappyPathFunction', 'src/happy.handler', 10],
        ['MidstreamErrorFunction', 'src/midstream-error.handler', 10],
        ['TimeoutFunction', 'src/happy.handler', 1],
      ].map(([id, handler, timeout]) => ({
        id,
        name: id,
        code: 'directory:.',
        handler,
        timeout,
        memorySize: 128,
        invokeMode: undefined,
        urls: [],
        events: [],
      })),
    );
    expect(loaded.functions.map((fn) => fn.architectures)).toEqual([['x86_64'], ['x86_64'], ['x86_64']]);
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /sdk\/template\.yaml:35:3: duplicate key "MidstreamErrorFunction"; the last one is used/,
      ),
    ]);
  });

  it('§2.4 sdk: CloudFormation-style names for SDK clients that list functions by stack prefix', async () => {
    const loaded = await loadProject(fixture('sdk'), {
      functionNames: 'physical',
      stackName: 'lambda-streaming-sdk-sam',
    });
    const names = loaded.functions.map((fn) => fn.definition.name);
    expect(names[0]).toMatch(/^lambda-streaming-sdk-sam-HappyPathFunction-[A-Z0-9]{12}$/);
    expect(names[1]).toMatch(/^lambda-streaming-sdk-sam-MidstreamErrorFunction-[A-Z0-9]{12}$/);
    expect(names[0]).toBe(physicalFunctionName('lambda-streaming-sdk-sam', 'HappyPathFunction'));
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('§2.5 DynamoDB: a streaming and a buffered URL; Refs to the table resolve to its name', async () => {
    const loaded = await loadProject(fixture('dynamodb'));
    expect(summary(loaded)).toEqual([
      {
        id: 'StreamingFunction',
        name: 'StreamingFunction',
        code: 'directory:src/streaming-function',
        handler: 'index.handler',
        timeout: 30,
        memorySize: 512,
        invokeMode: 'RESPONSE_STREAM',
        urls: ['StreamingFunctionUrl AWS_IAM RESPONSE_STREAM @live'],
        events: [],
      },
      {
        id: 'DataDumpFunction',
        name: 'DataDumpFunction',
        code: 'directory:src/data-dump',
        handler: 'index.handler',
        timeout: 30,
        memorySize: 512,
        invokeMode: 'BUFFERED',
        urls: ['DataDumpFunctionUrl AWS_IAM BUFFERED'],
        events: [],
      },
    ]);
    expect(loaded.functions[0]!.definition.environment).toEqual({
      TABLE_NAME: 'DataTable',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/DataTable',
    });
  });

  it('§2.6 Bedrock streaming: two URLs, a POST /generate Api event on the implicit API, empty variables', async () => {
    const loaded = await loadProject(fixture('bedrock-streaming'));
    expect(summary(loaded)[0]).toMatchObject({
      timeout: 300,
      urls: ['StreamingFunctionUrl AWS_IAM RESPONSE_STREAM @live', 'MyFunctionUrl AWS_IAM RESPONSE_STREAM'],
      events: ['Api POST /generate ServerlessRestApi'],
    });
    expect(loaded.functions[0]!.definition.environment).toEqual({
      BEDROCK_AWS_ACCESS_KEY_ID: '',
      BEDROCK_AWS_SECRET_ACCESS_KEY: '',
    });
    expect(apiSummary(loaded)).toEqual([
      {
        id: 'ServerlessRestApi',
        kind: 'REST',
        stage: 'Prod',
        implicit: true,
        routes: ['POST /generate → StreamingFunction'],
      },
    ]);
  });

  it('§2.7 Bedrock response streaming: Globals with Layers (warned), fn.handler in src', async () => {
    const loaded = await loadProject(fixture('bedrock-response-streaming'));
    expect(summary(loaded)).toEqual([
      {
        id: 'Fn',
        name: 'Fn',
        code: 'directory:src',
        handler: 'fn.handler',
        timeout: 30,
        memorySize: 512,
        invokeMode: 'RESPONSE_STREAM',
        urls: ['FnUrl AWS_IAM RESPONSE_STREAM'],
        events: [],
      },
    ]);
    expect(loaded.warnings).toEqual([expect.stringMatching(/template\.yaml:\d+:\d+: Fn uses Layers/)]);
  });

  it('§2.8 apigw-lambda-bedrock-sam-node: OpenAPI through AWS::Include, a streaming and a buffered POST /ask', async () => {
    const loaded = await loadProject(fixture('apigw-bedrock'));
    expect(summary(loaded).map((fn) => [fn.id, fn.code, fn.handler, fn.timeout])).toEqual([
      ['StreamingResponseFunction', 'directory:src/streaming', 'index.handler', 300],
      ['NonStreamingResponseFunction', 'directory:src/nonstreaming', 'index.handler', 300],
    ]);
    expect(loaded.functions[0]!.definition.environment).toEqual({ BEDROCK_REGION: 'us-east-1' });
    expect(apiSummary(loaded)).toEqual([
      {
        id: 'StreamingApi',
        kind: 'REST',
        stage: 'Prod',
        implicit: false,
        routes: ['POST /ask → StreamingResponseFunction STREAM'],
      },
      {
        id: 'NonStreamingApi',
        kind: 'REST',
        stage: 'Prod',
        implicit: false,
        routes: ['POST /ask → NonStreamingResponseFunction'],
      },
    ]);
  });

  it('§4 sam init: Timeout 10, AWS_IAM RESPONSE_STREAM', async () => {
    expect(summary(await loadProject(fixture('sam-init')))).toEqual([
      {
        id: 'StreamingFunction',
        name: 'StreamingFunction',
        code: 'directory:src',
        handler: 'index.handler',
        timeout: 10,
        memorySize: undefined,
        invokeMode: 'RESPONSE_STREAM',
        urls: ['StreamingFunctionUrl AWS_IAM RESPONSE_STREAM'],
        events: [],
      },
    ]);
  });

  it('resolves AWS::Region from the options', async () => {
    const loaded = await loadProject(fixture('apigw-bedrock'), { region: 'eu-west-1' });
    expect(loaded.functions[0]!.definition.environment).toEqual({ BEDROCK_REGION: 'eu-west-1' });
  });
});

describe('TypeScript handlers', () => {
  const template = (properties: string, extra = '') =>
    `Transform: AWS::Serverless-2016-10-31\n${extra}Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n${properties
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n')}\n`;

  it('finds app.ts for Handler app.handler under CodeUri and bundles it', async () => {
    const dir = project({
      'template.yaml': template('CodeUri: src/\nHandler: app.handler'),
      'src/app.ts': '',
    });
    const [fn] = (await loadProject(dir)).functions;
    expect(fn!.code).toEqual({ kind: 'source', entry: path.join(dir, 'src/app.ts') });
    expect(fn!.definition).toMatchObject({ code: path.join(dir, 'src/app.ts'), handler: 'handler' });
    expect(fn!.handler).toBe('app.handler');
  });

  it('finds src/app.mts for Handler src/app.handler with CodeUri defaulting to the template directory', async () => {
    const dir = project({ 'template.yaml': template('Handler: src/app.handler'), 'src/app.mts': '' });
    const [fn] = (await loadProject(dir)).functions;
    expect(fn!.definition.code).toBe(path.join(dir, 'src/app.mts'));
  });

  it('prefers the TypeScript source over compiled JavaScript next to it', async () => {
    const dir = project({ 'template.yaml': template('Handler: app.handler'), 'app.ts': '', 'app.js': '' });
    expect((await loadProject(dir)).functions[0]!.code).toEqual({
      kind: 'source',
      entry: path.join(dir, 'app.ts'),
    });
  });

  it('keeps a nested export path', async () => {
    const dir = project({ 'template.yaml': template('Handler: app.handlers.stream'), 'app.ts': '' });
    expect((await loadProject(dir)).functions[0]!.definition.handler).toBe('handlers.stream');
  });

  it('uses Metadata.BuildProperties.EntryPoints of SAM esbuild projects', async () => {
    const dir = project({
      'template.yaml': `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: hello-world/
      Handler: app.lambdaHandler
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Minify: true
        Sourcemap: true
        EntryPoints:
          - src/app.ts
`,
      'hello-world/src/app.ts': '',
    });
    const [fn] = (await loadProject(dir)).functions;
    expect(fn!.code).toEqual({ kind: 'source', entry: path.join(dir, 'hello-world/src/app.ts') });
    expect(fn!.definition.handler).toBe('lambdaHandler');
    expect(fn!.build).toEqual({ minify: true, sourcemap: true });
  });

  it('bundles plain JavaScript when the template asks for BuildMethod esbuild', async () => {
    const dir = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildMethod: esbuild\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n`,
      'index.js': '',
    });
    expect((await loadProject(dir)).functions[0]!.code.kind).toBe('source');
  });

  it('serves the sources behind a CodeUri that is the zip sluice archive builds', async () => {
    const dir = project({
      'template.yaml': template('CodeUri: .sluice/archive/Fn/Fn.zip\nHandler: src/handler.handler'),
      'src/handler.ts': '',
    });
    const [fn] = (await loadProject(dir)).functions;
    expect(fn!.code).toEqual({ kind: 'source', entry: path.join(dir, 'src/handler.ts') });
    expect(fn!.handler).toBe('src/handler.handler');
  });

  it('writes InlineCode to .sluice/inline/<LogicalId>/index.js', async () => {
    const dir = project({
      'template.yaml': template(
        "Handler: index.handler\nInlineCode: |\n  exports.handler = async () => 'inline';",
      ),
    });
    const [fn] = (await loadProject(dir)).functions;
    const file = path.join(dir, '.sluice/inline/Fn/index.js');
    expect(fn!.code).toMatchObject({ kind: 'inline', file });
    expect(fn!.definition).toMatchObject({ code: path.dirname(file), handler: 'index.handler' });
    expect(readFileSync(file, 'utf8')).toBe("exports.handler = async () => 'inline';\n");
  });

  it('reads AWS::Lambda::Function with a local Code path', async () => {
    const dir = project({
      'template.yaml': `Resources:\n  Plain:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: !Sub '\${AWS::StackName}-plain'\n      Runtime: nodejs20.x\n      Handler: main.handler\n      Code: ./fn\n      Timeout: 9\n      ReservedConcurrentExecutions: 2\n`,
      'fn/main.ts': '',
    });
    const loaded = await loadProject(dir, { stackName: 'stack' });
    expect(loaded.functions[0]!.definition).toEqual({
      name: 'stack-plain',
      code: path.join(dir, 'fn/main.ts'),
      handler: 'handler',
      timeout: 9,
      reservedConcurrency: 2,
    });
    expect(loaded.functions[0]!.resourceType).toBe('AWS::Lambda::Function');
  });
});

describe('template features', () => {
  it('merges Globals into each function (maps merge, lists append, scalars override)', async () => {
    const dir = project({
      'template.yaml': `Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
    Environment:
      Variables:
        SHARED: global
        OVERRIDDEN: global
    Architectures: [arm64]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Timeout: 20
      Environment:
        Variables:
          OVERRIDDEN: local
          OWN: local
`,
      'app.ts': '',
    });
    const [fn] = (await loadProject(dir)).functions;
    expect(fn!.definition.timeout).toBe(20);
    expect(fn!.definition.environment).toEqual({ SHARED: 'global', OVERRIDDEN: 'local', OWN: 'local' });
    expect(fn!.architectures).toEqual(['arm64']);
  });

  it('uses parameter defaults and overrides, Conditions and Mappings', async () => {
    const dir = project({
      'template.yaml': `Parameters:
  Stage: { Type: String, Default: dev }
  Memory: { Type: Number, Default: 256 }
Mappings:
  Timeouts:
    dev: { Seconds: 5 }
    prod: { Seconds: 30 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      MemorySize: !Ref Memory
      Timeout: !FindInMap [Timeouts, !Ref Stage, Seconds]
      Environment:
        Variables:
          MODE: !If [IsProd, production, development]
  OnlyInProd:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
`,
      'app.ts': '',
    });
    const dev = await loadProject(dir);
    expect(dev.functions.map((fn) => fn.logicalId)).toEqual(['Fn']);
    expect(dev.functions[0]!.definition).toMatchObject({
      memorySize: 256,
      timeout: 5,
      environment: { MODE: 'development' },
    });
    expect(dev.warnings).toEqual([
      expect.stringMatching(/OnlyInProd is skipped: its condition IsProd is false/),
    ]);
    const prod = await loadProject(dir, { parameterOverrides: { Stage: 'prod' } });
    expect(prod.functions.map((fn) => fn.logicalId)).toEqual(['Fn', 'OnlyInProd']);
    expect(prod.functions[0]!.definition).toMatchObject({ timeout: 30, environment: { MODE: 'production' } });
  });

  it('sets an unresolvable environment variable to a marker and says so', async () => {
    const dir = project({
      'template.yaml': `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      Environment:
        Variables:
          QUEUE: !ImportValue shared-queue
`,
      'app.ts': '',
    });
    const loaded = await loadProject(dir);
    expect(loaded.functions[0]!.definition.environment).toEqual({
      QUEUE: '<unresolved: !ImportValue shared-queue>',
    });
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /template\.yaml:9:31: environment variable QUEUE of Fn is !ImportValue shared-queue, which cannot be resolved locally/,
      ),
    ]);
  });

  it('reads CORS, HttpApi events and Api events that stream by ResponseTransferMode', async () => {
    const dir = project({
      'template.yaml': `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      FunctionUrlConfig:
        AuthType: NONE
        InvokeMode: RESPONSE_STREAM
        Cors:
          AllowOrigins: ['https://example.com']
          AllowMethods: [GET, POST]
          AllowHeaders: [content-type]
          ExposeHeaders: [x-request-id]
          MaxAge: 300
          AllowCredentials: true
      Events:
        Streamed:
          Type: Api
          Properties: { Path: /stream, Method: get, ResponseTransferMode: STREAM }
        Http:
          Type: HttpApi
          Properties: { Path: '/items/{id}', Method: GET }
        CatchAll:
          Type: HttpApi
        Nightly:
          Type: Schedule
          Properties: { Schedule: rate(1 day) }
`,
      'app.ts': '',
    });
    const loaded = await loadProject(dir);
    const [fn] = loaded.functions;
    expect(fn!.url).toEqual({
      logicalId: 'FnUrl',
      authType: 'NONE',
      invokeMode: 'RESPONSE_STREAM',
      cors: {
        allowOrigins: ['https://example.com'],
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['content-type'],
        exposeHeaders: ['x-request-id'],
        maxAge: 300,
        allowCredentials: true,
      },
    });
    expect(summary(loaded)[0]!.events).toEqual([
      'Api GET /stream ServerlessRestApi STREAM',
      'HttpApi GET /items/{id} ServerlessHttpApi',
      'HttpApi ANY $default ServerlessHttpApi',
    ]);
    expect(apiSummary(loaded)).toEqual([
      {
        id: 'ServerlessRestApi',
        kind: 'REST',
        stage: 'Prod',
        implicit: true,
        routes: ['GET /stream → Fn STREAM'],
      },
      {
        id: 'ServerlessHttpApi',
        kind: 'HTTP',
        stage: '$default',
        implicit: true,
        routes: ['GET /items/{id} → Fn', 'ANY $default → Fn'],
      },
    ]);
    expect(loaded.warnings).toEqual([expect.stringMatching(/events of type Schedule are not emulated/)]);
  });

  it('reads JSON templates', async () => {
    const dir = project({
      'template.json': JSON.stringify({
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Runtime: 'nodejs20.x',
              Handler: 'index.handler',
              Code: '.',
              FunctionName: { 'Fn::Join': ['-', ['a', 'b']] },
            },
          },
        },
      }),
      'index.mjs': '',
    });
    expect((await loadProject(dir)).functions[0]!.definition).toMatchObject({
      name: 'a-b',
      code: dir,
      handler: 'index.handler',
    });
  });

  it('skips functions of other runtimes and container images, with a warning', async () => {
    const dir = project({
      'template.yaml': `Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: app.handler }
  Image:
    Type: AWS::Serverless::Function
    Properties: { PackageType: Image, ImageUri: repo:latest }
`,
    });
    const loaded = await loadProject(dir);
    expect(loaded.functions).toEqual([]);
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/:4:\d+: Py uses Runtime python3\.12; sluice runs Node\.js and custom/),
      expect.stringMatching(/Image is a container image function/),
    ]);
  });
});

describe('errors name the file, line and what to do', () => {
  it('a Handler whose module has no source: SLUICE_TEMPLATE_HANDLER_NOT_FOUND at the Handler line', async () => {
    const dir = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      CodeUri: src\n      Handler: missing.handler\n`,
      'src/other.ts': '',
    });
    const error = await loadError(dir);
    expect(error.code).toBe(TemplateErrorCode.handlerNotFound);
    expect(error.location).toEqual({ file: path.join(dir, 'template.yaml'), line: 7, column: 16 });
    expect(error.message).toContain(
      'the Handler of Fn names module missing, but there is no src/missing.ts or src/missing.mts',
    );
  });

  it('a CodeUri that does not exist: SLUICE_TEMPLATE_CODE_NOT_FOUND', async () => {
    const dir = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      CodeUri: nowhere/\n      Handler: app.handler\n`,
    });
    const error = await loadError(dir);
    expect(error.code).toBe(TemplateErrorCode.codeNotFound);
    expect(error.message).toMatch(/template\.yaml:6:16: the code of Fn is nowhere, which does not exist/);
  });

  it('code in S3: SLUICE_TEMPLATE_UNSUPPORTED', async () => {
    const dir = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Code:\n        S3Bucket: bucket\n        S3Key: key.zip\n`,
    });
    const error = await loadError(dir);
    expect(error.code).toBe(TemplateErrorCode.unsupported);
    expect(error.message).toMatch(/template\.yaml:7:7: the Code of Fn is in S3/);
  });

  it('a Handler that cannot be resolved: SLUICE_TEMPLATE_UNRESOLVED with the reason', async () => {
    const dir = project({
      'template.yaml': `Parameters:\n  HandlerName: { Type: String }\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: !Ref HandlerName\n`,
    });
    const error = await loadError(dir);
    expect(error.code).toBe(TemplateErrorCode.unresolved);
    expect(error.message).toMatch(
      /template\.yaml:8:21: Handler of Fn cannot be resolved locally: parameter HandlerName has no Default/,
    );
  });

  it('an invalid AuthType: SLUICE_TEMPLATE_INVALID naming the property', async () => {
    const dir = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: app.handler\n      FunctionUrlConfig:\n        AuthType: IAM\n`,
      'app.ts': '',
    });
    const error = await loadError(dir);
    expect(error.code).toBe(TemplateErrorCode.invalid);
    expect(error.message).toMatch(
      /template\.yaml:8:19: AuthType of FnUrl must be NONE or AWS_IAM; got "IAM"/,
    );
  });

  it('a malformed Handler and a missing one', async () => {
    const malformed = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: handler\n`,
    });
    expect((await loadError(malformed)).message).toMatch(/:6:16: Handler "handler" of Fn is malformed/);
    const missing = project({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n`,
    });
    expect((await loadError(missing)).message).toMatch(/:2:3: Fn has no Handler/);
  });

  it('a template without Resources, and a resource without Type', async () => {
    const empty = project({ 'template.yaml': 'Description: nothing here\n' });
    expect(await loadError(empty)).toMatchObject({ code: TemplateErrorCode.invalid });
    const typeless = project({ 'template.yaml': 'Resources:\n  Fn:\n    Properties: {}\n' });
    expect((await loadError(typeless)).message).toMatch(/template\.yaml:2:3: resource Fn needs a Type/);
  });

  it('a YAML syntax error: SLUICE_TEMPLATE_SYNTAX at its line', async () => {
    const dir = project({ 'template.yaml': 'Resources:\n  Fn:\n    Type: [unclosed\n' });
    const error = await loadError(dir);
    expect(error.code).toBe(TemplateErrorCode.syntax);
    expect(error.location?.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^.*template\.yaml:\d+:\d+: /);
  });
});
