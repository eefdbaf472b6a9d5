import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sluiceBootstrapPath } from './default-runtime.js';
import { type Emulator, startEmulator } from './emulator.js';
import { decodeMarker, encodeMarker, lambdaTimestamp, matchManagementPath } from './function-api.js';
import type { FunctionDefinition } from './function-config.js';

// ListFunctions, GetFunction, GetFunctionConfiguration and GetFunctionUrlConfig through the AWS SDK for
// JavaScript v3 over real sockets, and the environment a function sees (sluice's runtime from dist/).

const FIXTURES = fileURLToPath(new URL('./test-fixtures', import.meta.url));
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const LAMBDA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

/** SAM-style physical names, as the SDK client of examples.md §2.4 looks them up by prefix. */
const SAM_NAMES = [
  'lambda-streaming-sdk-sam-HappyPathFunction-1A2B3C4D',
  'lambda-streaming-sdk-sam-MidstreamErrorFunction-5E6F7G8H',
  'lambda-streaming-sdk-sam-TimeoutFunction-9I0J1K2L',
];

const echo = (name: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  code: FIXTURES,
  handler: 'handlers.echo',
  ...extra,
});

function clientFor(emulator: Emulator): LambdaClient {
  return new LambdaClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'placeholder', secretAccessKey: 'placeholder' },
    maxAttempts: 1,
  });
}

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('function management APIs, through the AWS SDK', () => {
  let emulator: Emulator;
  let client: LambdaClient;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: () => {},
      functions: [
        // Defined out of order: ListFunctions sorts by name.
        echo('zeta', {
          description: 'streams numbers',
          runtimeName: 'nodejs22.x',
          architecture: 'arm64',
          timeout: 30,
          memorySize: 512,
          environment: { TABLE: 'numbers', STAGE: 'dev' },
          url: {
            authType: 'AWS_IAM',
            invokeMode: 'RESPONSE_STREAM',
            cors: { allowOrigins: ['https://app.example'], allowMethods: ['get', 'POST'], maxAge: 300 },
          },
        }),
        ...SAM_NAMES.map((name) => echo(name)),
        echo('alpha', { url: {} }),
      ],
    });
    client = clientFor(emulator);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  describe('ListFunctions', () => {
    it('lists every function, sorted by name, with the members Lambda returns', async () => {
      const result = await client.send(new ListFunctionsCommand({}));
      expect(result.NextMarker).toBeUndefined();
      expect(result.Functions?.map((fn) => fn.FunctionName)).toEqual(['alpha', ...SAM_NAMES, 'zeta']);
      const zeta = result.Functions?.find((fn) => fn.FunctionName === 'zeta');
      expect(zeta).toEqual({
        FunctionName: 'zeta',
        FunctionArn: `${ARN}zeta`,
        Runtime: 'nodejs22.x',
        Handler: 'handlers.echo',
        CodeSize: 0,
        Description: 'streams numbers',
        Timeout: 30,
        MemorySize: 512,
        LastModified: expect.stringMatching(LAMBDA_TIMESTAMP),
        Version: '$LATEST',
        Environment: { Variables: { TABLE: 'numbers', STAGE: 'dev' } },
        TracingConfig: { Mode: 'PassThrough' },
        PackageType: 'Zip',
        Architectures: ['arm64'],
        EphemeralStorage: { Size: 512 },
        LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/zeta' },
      } satisfies FunctionConfiguration);
      // Defaults; no Environment for a function without variables; no State (GetFunction only), as on Lambda.
      const alpha = result.Functions?.[0];
      expect(alpha).toMatchObject({
        Runtime: 'nodejs20.x',
        Description: '',
        Timeout: 3,
        MemorySize: 128,
        Architectures: ['x86_64'],
      });
      expect(alpha).not.toHaveProperty('Environment');
      expect(alpha).not.toHaveProperty('State');
      expect(alpha).not.toHaveProperty('LastUpdateStatus');
    });

    it('pages with MaxItems and Marker', async () => {
      const first = await client.send(new ListFunctionsCommand({ MaxItems: 2 }));
      expect(first.Functions?.map((fn) => fn.FunctionName)).toEqual(['alpha', SAM_NAMES[0]]);
      expect(first.NextMarker).toEqual(expect.any(String));
      const second = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
      expect(second.Functions?.map((fn) => fn.FunctionName)).toEqual(SAM_NAMES.slice(1));
      const last = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: second.NextMarker }));
      expect(last.Functions?.map((fn) => fn.FunctionName)).toEqual(['zeta']);
      expect(last.NextMarker).toBeUndefined();
    });

    it('finds functions by name prefix with paginateListFunctions, as the examples.md §2.4 client does', async () => {
      const pages: string[][] = [];
      const found: Record<string, string> = {};
      for await (const page of paginateListFunctions({ client, pageSize: 2 }, {})) {
        pages.push((page.Functions ?? []).map((fn) => fn.FunctionName ?? ''));
        for (const fn of page.Functions ?? []) {
          for (const kind of ['HappyPath', 'MidstreamError', 'Timeout']) {
            if (fn.FunctionName?.startsWith(`lambda-streaming-sdk-sam-${kind}`))
              found[kind] = fn.FunctionName;
          }
        }
      }
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(found).toEqual({
        HappyPath: SAM_NAMES[0],
        MidstreamError: SAM_NAMES[1],
        Timeout: SAM_NAMES[2],
      });
      // The name found invokes.
      const result = await client.send(new InvokeCommand({ FunctionName: found.HappyPath }));
      expect(json(result.Payload).functionName).toBe(SAM_NAMES[0]);
    });

    it("answers a MaxItems or Marker Lambda would refuse with Lambda's errors", async () => {
      await expect(client.send(new ListFunctionsCommand({ MaxItems: 0 }))).rejects.toMatchObject({
        name: 'ValidationException',
        message:
          "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
        $metadata: { httpStatusCode: 400 },
      });
      await expect(client.send(new ListFunctionsCommand({ Marker: 'not a marker' }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('caps a page at 50 functions whatever MaxItems asks for, and lists with FunctionVersion ALL', async () => {
      const many = await startEmulator({
        logger: () => {},
        functions: Array.from({ length: 52 }, (_, i) => echo(`fn-${String(i).padStart(2, '0')}`)),
      });
      const manyClient = clientFor(many);
      try {
        const first = await manyClient.send(
          new ListFunctionsCommand({ MaxItems: 1000, FunctionVersion: 'ALL' }),
        );
        expect(first.Functions).toHaveLength(50);
        const rest = await manyClient.send(new ListFunctionsCommand({ Marker: first.NextMarker }));
        expect(rest.Functions?.map((fn) => fn.FunctionName)).toEqual(['fn-50', 'fn-51']);
      } finally {
        manyClient.destroy();
        await many.close();
      }
    });
  });

  describe('GetFunction and GetFunctionConfiguration', () => {
    it('returns the configuration, with State and LastUpdateStatus, and where the code is', async () => {
      const result = await client.send(new GetFunctionCommand({ FunctionName: 'zeta' }));
      expect(result.Configuration).toMatchObject({
        FunctionName: 'zeta',
        FunctionArn: `${ARN}zeta`,
        Runtime: 'nodejs22.x',
        Handler: 'handlers.echo',
        Timeout: 30,
        MemorySize: 512,
        Version: '$LATEST',
        State: 'Active',
        LastUpdateStatus: 'Successful',
        Environment: { Variables: { TABLE: 'numbers', STAGE: 'dev' } },
      });
      expect(result.Code).toEqual({ RepositoryType: 'S3', Location: pathToFileURL(FIXTURES).href });
      const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'zeta' }));
      expect(configuration).toMatchObject(result.Configuration!);
    });

    it('accepts an ARN or a $LATEST qualifier, and qualifies the FunctionArn as the caller did', async () => {
      const byArn = await client.send(new GetFunctionCommand({ FunctionName: `${ARN}alpha` }));
      expect(byArn.Configuration?.FunctionArn).toBe(`${ARN}alpha`);
      const qualified = await client.send(
        new GetFunctionConfigurationCommand({ FunctionName: 'alpha', Qualifier: '$LATEST' }),
      );
      expect(qualified.FunctionArn).toBe(`${ARN}alpha:$LATEST`);
    });

    it('answers an unknown function or version with ResourceNotFoundException (404)', async () => {
      await expect(client.send(new GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Function not found: ${ARN}nope`,
        $metadata: { httpStatusCode: 404 },
      });
      await expect(
        client.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
      await expect(
        client.send(new GetFunctionCommand({ FunctionName: 'alpha', Qualifier: 'prod' })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Function not found: ${ARN}alpha:prod`,
      });
      await expect(client.send(new GetFunctionCommand({ FunctionName: 'bad name!' }))).rejects.toMatchObject({
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      });
    });
  });

  describe('GetFunctionUrlConfig', () => {
    it("returns the function's local URL and its settings, and the URL serves the function", async () => {
      const result = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'zeta' }));
      expect(result).toMatchObject({
        FunctionUrl: emulator.endpoints.functionUrls.zeta?.url,
        FunctionArn: `${ARN}zeta`,
        AuthType: 'AWS_IAM',
        InvokeMode: 'RESPONSE_STREAM',
        Cors: {
          AllowCredentials: false,
          AllowOrigins: ['https://app.example'],
          AllowMethods: ['GET', 'POST'],
          MaxAge: 300,
        },
        CreationTime: expect.stringMatching(LAMBDA_TIMESTAMP),
        LastModifiedTime: expect.stringMatching(LAMBDA_TIMESTAMP),
      });
      expect(result.Cors?.AllowHeaders).toBeUndefined();

      const alpha = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'alpha' }));
      expect(alpha).toMatchObject({ AuthType: 'NONE', InvokeMode: 'BUFFERED' });
      expect(alpha.Cors).toBeUndefined();
      const response = await fetch(alpha.FunctionUrl!);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { functionName: string }).functionName).toBe('alpha');
    });

    it('answers a function without a URL, or an unknown one, with ResourceNotFoundException (404)', async () => {
      for (const FunctionName of [SAM_NAMES[0], 'nope']) {
        await expect(client.send(new GetFunctionUrlConfigCommand({ FunctionName }))).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
          message: 'The resource you requested does not exist.',
          $metadata: { httpStatusCode: 404 },
        });
      }
    });
  });

  it('reflects a reload: new functions are listed, removed ones are not found, LastModified moves', async () => {
    const reloading = await startEmulator({ logger: () => {}, functions: [echo('before', { url: {} })] });
    const reloadingClient = clientFor(reloading);
    try {
      const before = await reloadingClient.send(new GetFunctionCommand({ FunctionName: 'before' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await reloading.reload({ functions: [echo('after')] });
      const listed = await reloadingClient.send(new ListFunctionsCommand({}));
      expect(listed.Functions?.map((fn) => fn.FunctionName)).toEqual(['after']);
      expect(listed.Functions?.[0]?.LastModified).not.toBe(before.Configuration?.LastModified);
      await expect(
        reloadingClient.send(new GetFunctionUrlConfigCommand({ FunctionName: 'before' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      reloadingClient.destroy();
      await reloading.close();
    }
  });
});

describe('the environment a function sees', () => {
  let emulator: Emulator;
  let client: LambdaClient;

  beforeAll(async () => {
    emulator = await startEmulator({
      logger: () => {},
      functions: [
        echo('node'),
        echo('node22', { runtimeName: 'nodejs22.x' }),
        // sluice's runtime run as a custom runtime command, declared provided.al2023.
        echo('custom', {
          runtime: [process.execPath, sluiceBootstrapPath()],
          runtimeName: 'provided.al2023',
        }),
      ],
    });
    client = clientFor(emulator);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  const envOf = async (FunctionName: string) =>
    json((await client.send(new InvokeCommand({ FunctionName }))).Payload).env as Record<
      string,
      string | null
    >;

  it('sets AWS_EXECUTION_ENV from the runtime name, LAMBDA_RUNTIME_DIR and AWS_XRAY_CONTEXT_MISSING', async () => {
    const env = await envOf('node');
    expect(env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs20.x');
    expect(env.AWS_XRAY_CONTEXT_MISSING).toBe('LOG_ERROR');
    expect(env.LAMBDA_RUNTIME_DIR).toBe(path.dirname(sluiceBootstrapPath()));
    expect(existsSync(path.join(env.LAMBDA_RUNTIME_DIR!, 'bootstrap.js'))).toBe(true);
    expect((await envOf('node22')).AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs22.x');
  });

  it('leaves AWS_EXECUTION_ENV and LAMBDA_RUNTIME_DIR unset for a custom runtime', async () => {
    const env = await envOf('custom');
    expect(env.AWS_EXECUTION_ENV).toBeNull();
    expect(env.LAMBDA_RUNTIME_DIR).toBeNull();
    expect(env.AWS_XRAY_CONTEXT_MISSING).toBe('LOG_ERROR');
  });

  it('sets _X_AMZN_TRACE_ID per invocation from the caller’s X-Amzn-Trace-Id, or a fresh one', async () => {
    const first = await envOf('node');
    const second = await envOf('node');
    const pattern = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;
    expect(first._X_AMZN_TRACE_ID).toMatch(pattern);
    expect(second._X_AMZN_TRACE_ID).toMatch(pattern);
    expect(second._X_AMZN_TRACE_ID).not.toBe(first._X_AMZN_TRACE_ID);

    const traceId = 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1';
    const response = await fetch(`${emulator.url}/2015-03-31/functions/node/invocations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Amzn-Trace-Id': traceId },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { env: Record<string, string> }).env._X_AMZN_TRACE_ID).toBe(traceId);
  });
});

describe('management routes and markers', () => {
  it.each([
    ['GET', '/2015-03-31/functions', { operation: 'ListFunctions' }],
    ['GET', '/2015-03-31/functions/', { operation: 'ListFunctions' }],
    ['GET', '/2015-03-31/functions/f', { operation: 'GetFunction', label: 'f' }],
    ['GET', '/2015-03-31/functions/f/configuration', { operation: 'GetFunctionConfiguration', label: 'f' }],
    ['GET', '/2021-10-31/functions/f/url', { operation: 'GetFunctionUrlConfig', label: 'f' }],
    ['POST', '/2015-03-31/functions/f', undefined],
    ['GET', '/2015-03-31/functions/f/invocations', undefined],
    ['GET', '/2021-10-31/functions/f', undefined],
  ])('%s %s', (method, pathname, expected) => {
    expect(matchManagementPath(method, pathname)).toEqual(expected);
  });

  it('round-trips every function name through a marker, and rejects what is not one', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/), (name) => {
        expect(decodeMarker(encodeMarker(name))).toBe(name);
      }),
    );
    expect(decodeMarker('not a marker')).toBeUndefined();
    expect(decodeMarker(encodeMarker('has space'))).toBeUndefined();
  });

  it('formats times as Lambda does', () => {
    expect(lambdaTimestamp(new Date(Date.UTC(2025, 0, 31, 9, 15, 2, 123)))).toBe(
      '2025-01-31T09:15:02.123+0000',
    );
  });
});
