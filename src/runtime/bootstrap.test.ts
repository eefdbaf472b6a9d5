/**
 * The runtime as Lambda sees it: the real bootstrap in a child process, talking to a Runtime API on a raw TCP
 * socket, so every byte it sends (request lines, headers, chunk framing, trailers) is checked as sent.
 */

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headerValue } from '../../test/support/raw-http.js';
import type { RecordedRequest } from '../../test/support/raw-runtime-api.js';
import {
  type BootstrapRun,
  REPO_ROOT,
  runBootstrap,
  stopAllBootstraps,
} from '../../test/support/run-bootstrap.js';
import { decodeErrorBody, encodeErrorBody, parseErrorDocument } from '../protocol/index.js';

afterEach(stopAllBootstraps);

const raw = (request: RecordedRequest | undefined) => request!.raw.toString('latin1');
const posts = (run: BootstrapRun) => run.api.requests.filter((r) => r.method === 'POST');

/** Waits until the runtime has answered `count` invocations and is back on GET /next. */
async function served(run: BootstrapRun, count: number): Promise<void> {
  await run.api.waitFor((requests) => {
    const gets = requests.filter((r) => r.method === 'GET').length;
    return requests.filter((r) => r.method === 'POST').length >= count && gets > count;
  });
}

function streamingHead(run: BootstrapRun, requestId: string, contentType: string): string {
  return [
    `POST /2018-06-01/runtime/invocation/${requestId}/response HTTP/1.1`,
    'Lambda-Runtime-Function-Response-Mode: streaming',
    'Trailer: Lambda-Runtime-Function-Error-Type',
    'Trailer: Lambda-Runtime-Function-Error-Body',
    `Content-Type: ${contentType}`,
    'User-Agent: sluice/0.1.0',
    `Host: ${run.api.address}`,
    'Connection: keep-alive',
    'Transfer-Encoding: chunked',
    '',
    '',
  ].join('\r\n');
}

/** Expected trailer block for an error document that the request actually carried (stack traces vary). */
function trailerBlock(request: RecordedRequest, errorType: string, errorMessage: string): string {
  const body = headerValue(request.trailers, 'Lambda-Runtime-Function-Error-Body') ?? '';
  const document = decodeErrorBody(body);
  expect(document).toMatchObject({ errorType, errorMessage });
  expect(document?.trace?.[0]).toBe(`${errorType}: ${errorMessage}`);
  // The value must be exactly the canonical encoding of the document, key order included.
  expect(body).toBe(encodeErrorBody({ errorType, errorMessage, trace: document!.trace! }));
  return `0\r\nLambda-Runtime-Function-Error-Type: ${errorType}\r\nLambda-Runtime-Function-Error-Body: ${body}\r\n\r\n`;
}

describe('golden bytes on the wire', () => {
  it('GET /next', async () => {
    const run = await runBootstrap({
      files: { 'index.mjs': 'export const handler = async () => "ok";' },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-1', event: '{}' }],
    });
    await served(run, 1);
    expect(raw(run.api.requests[0])).toBe(
      `GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nAccept: */*\r\nUser-Agent: sluice/0.1.0\r\nHost: ${run.api.address}\r\nConnection: keep-alive\r\n\r\n`,
    );
  });

  it('plain stream', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.write('hello ');
          await new Promise((r) => setTimeout(r, 100));
          stream.write(Buffer.from('world'));
          stream.end();
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-plain', event: '{}' }],
    });
    await served(run, 1);
    expect(raw(posts(run)[0])).toBe(
      `${streamingHead(run, 'req-plain', 'application/octet-stream')}6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n`,
    );
  });

  it('prelude with status, headers and cookies', async () => {
    const run = await runBootstrap({
      files: {
        'index.js': `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
          const stream = awslambda.HttpResponseStream.from(responseStream, {
            statusCode: 201,
            headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
            cookies: ['a=1', 'b=2'],
          });
          stream.write('hello ');
          stream.write('world');
          stream.end();
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-prelude', event: '{}' }],
    });
    await served(run, 1);
    const prelude =
      '{"statusCode":201,"headers":{"Content-Type":"text/plain","X-Custom":"yes"},"cookies":["a=1","b=2"]}';
    expect(raw(posts(run)[0])).toBe(
      `${streamingHead(run, 'req-prelude', 'application/vnd.awslambda.http-integration-response')}63\r\n${prelude}\r\n8\r\n${'\0'.repeat(8)}\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n`,
    );
    // The 118-byte body of runtime-api.md §2.2, byte for byte.
    expect(posts(run)[0]!.body.toString('hex')).toBe(
      '7b22737461747573436f6465223a3230312c2268656164657273223a7b22436f6e74656e742d54797065223a22746578742f706c61696e222c22582d437573746f6d223a22796573227d2c22636f6f6b696573223a5b22613d31222c22623d32225d7d000000000000000068656c6c6f20776f726c64',
    );
  });

  it('prelude with an empty body (streamingHandler)', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `import { streamingHandler } from ${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)};
          export const handler = streamingHandler(async (event, writer) => {
            await writer.writeStatusAndHeaders({ statusCode: 204, headers: { 'X-Empty': 'yes' } });
            await writer.finish();
          });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-empty', event: '{}' }],
    });
    await served(run, 1);
    const prelude = '{"statusCode":204,"headers":{"X-Empty":"yes"}}';
    expect(raw(posts(run)[0])).toBe(
      `${streamingHead(run, 'req-empty', 'application/vnd.awslambda.http-integration-response')}${(prelude.length + 8).toString(16)}\r\n${prelude}${'\0'.repeat(8)}\r\n0\r\n\r\n`,
    );
  });

  it('error before the first byte', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async () => {
          throw new TypeError('failed early');
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-early', event: '{}' }],
    });
    await served(run, 1);
    const request = posts(run)[0]!;
    expect(raw(request)).toBe(
      `${streamingHead(run, 'req-early', 'application/octet-stream')}${trailerBlock(request, 'TypeError', 'failed early')}`,
    );
  });

  it('error mid-stream', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.write('hello ');
          stream.write('world');
          await new Promise((r) => setTimeout(r, 20));
          throw new RangeError('boom midstream');
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-mid', event: '{}' }],
    });
    await served(run, 1);
    const request = posts(run)[0]!;
    expect(raw(request)).toBe(
      `${streamingHead(run, 'req-mid', 'application/octet-stream')}6\r\nhello \r\n5\r\nworld\r\n${trailerBlock(request, 'RangeError', 'boom midstream')}`,
    );
    expect(run.output()).toMatch(
      /\treq-mid\tERROR\tInvoke Error \t\{"errorType":"RangeError","errorMessage":"boom midstream"/,
    );
  });

  it('buffered result', async () => {
    const run = await runBootstrap({
      files: { 'index.js': 'exports.handler = async (event) => ({ ok: true, echo: event });' },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-buf', event: '{"n":1}' }],
    });
    await served(run, 1);
    const body = '{"ok":true,"echo":{"n":1}}';
    expect(raw(posts(run)[0])).toBe(
      `POST /2018-06-01/runtime/invocation/req-buf/response HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nUser-Agent: sluice/0.1.0\r\nHost: ${run.api.address}\r\nConnection: keep-alive\r\n\r\n${body}`,
    );
  });

  it('buffered error', async () => {
    const run = await runBootstrap({
      files: { 'index.js': "exports.handler = async () => { throw new Error('buffered fail'); };" },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-buferr', event: '{}' }],
    });
    await served(run, 1);
    const request = posts(run)[0]!;
    const document = parseErrorDocument(request.body.toString());
    expect(document).toMatchObject({ errorType: 'Error', errorMessage: 'buffered fail' });
    expect(document?.trace?.[0]).toBe('Error: buffered fail');
    const body = JSON.stringify({
      errorType: 'Error',
      errorMessage: 'buffered fail',
      trace: document!.trace,
    });
    expect(raw(request)).toBe(
      `POST /2018-06-01/runtime/invocation/req-buferr/error HTTP/1.1\r\nContent-Type: application/json\r\nLambda-Runtime-Function-Error-Type: Error\r\nContent-Length: ${Buffer.byteLength(body)}\r\nUser-Agent: sluice/0.1.0\r\nHost: ${run.api.address}\r\nConnection: keep-alive\r\n\r\n${body}`,
    );
  });

  it('init error, then exit 129', async () => {
    const run = await runBootstrap({
      files: { 'index.js': "require('nothere');\nexports.handler = async () => 'never';" },
      handler: 'index.handler',
      invocations: [],
    });
    expect(await run.exited).toBe(129);
    const request = run.api.requests[0]!;
    const document = parseErrorDocument(request.body.toString());
    expect(document?.errorType).toBe('Runtime.ImportModuleError');
    expect(document?.errorMessage).toMatch(/^Error: Cannot find module 'nothere'/);
    const body = JSON.stringify(document);
    expect(raw(request)).toBe(
      `POST /2018-06-01/runtime/init/error HTTP/1.1\r\nContent-Type: application/json\r\nLambda-Runtime-Function-Error-Type: Runtime.ImportModuleError\r\nContent-Length: ${Buffer.byteLength(body)}\r\nUser-Agent: sluice/0.1.0\r\nHost: ${run.api.address}\r\nConnection: keep-alive\r\n\r\n${body}`,
    );
    expect(run.api.requests).toHaveLength(1);
  });
});

describe('init errors', () => {
  const cases: Array<[string, Record<string, string>, string, string, RegExp]> = [
    [
      'handler not found',
      { 'index.mjs': 'export const other = async () => 1;' },
      'index.handler',
      'Runtime.HandlerNotFound',
      /^index\.handler is undefined or not exported$/,
    ],
    [
      'syntax error',
      { 'index.js': 'exports.handler = async () => { return 1 +; };' },
      'index.handler',
      'Runtime.UserCodeSyntaxError',
      /^SyntaxError: /,
    ],
    ['malformed handler name', { 'index.js': '' }, 'index', 'Runtime.MalformedHandlerName', /^Bad handler$/],
    [
      'ESM import of a missing package',
      { 'index.mjs': "import 'not-installed';\nexport const handler = async () => 1;" },
      'index.handler',
      'Runtime.ImportModuleError',
      /not-installed/,
    ],
    [
      'top-level throw',
      { 'index.mjs': "throw new Error('config missing');" },
      'index.handler',
      'Error',
      /^config missing$/,
    ],
  ];

  it.each(cases)(
    '%s is reported to /runtime/init/error with AWS’s error type',
    async (_name, files, handler, type, message) => {
      const run = await runBootstrap({ files, handler, invocations: [] });
      expect(await run.exited).toBe(129);
      const request = run.api.requests.find((r) => r.path === '/2018-06-01/runtime/init/error');
      expect(request).toBeDefined();
      expect(headerValue(request!.headers, 'Lambda-Runtime-Function-Error-Type')).toBe(type);
      const document = parseErrorDocument(request!.body.toString());
      expect(document?.errorType).toBe(type);
      expect(document?.errorMessage).toMatch(message);
      expect(run.output()).toContain(type);
    },
  );
});

describe('runtime behaviour over the wire', () => {
  it('sends every write at once, without holding small chunks back', async () => {
    const arrivals: Array<{ data: string; at: number }> = [];
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
          for (const letter of ['a', 'b', 'c']) {
            process.stdout.write('WROTE ' + letter + ' ' + Date.now() + '\\n');
            stream.write(letter);
            await new Promise((r) => setTimeout(r, 250));
          }
          stream.end();
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-timing', event: '{}' }],
      api: { onBodyData: (_request, data) => arrivals.push({ data: data.toString(), at: Date.now() }) },
    });
    await served(run, 1);
    const wrote = Object.fromEntries(
      [...run.output().matchAll(/WROTE (\w) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]),
    );
    expect(arrivals.map((a) => a.data)).toEqual(['a', 'b', 'c']);
    // Causality: each 1-byte chunk reached the Runtime API before the function wrote the next one.
    expect(arrivals[0]!.at).toBeLessThan(wrote.b!);
    expect(arrivals[1]!.at).toBeLessThan(wrote.c!);
  });

  it('copies the trace header into _X_AMZN_TRACE_ID and builds the context', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = async (event, context) => ({
          trace: process.env._X_AMZN_TRACE_ID,
          name: context.functionName, memory: context.memoryLimitInMB, version: context.functionVersion,
          arn: context.invokedFunctionArn, id: context.awsRequestId, group: context.logGroupName,
          remainingOk: context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 60000,
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-ctx', event: '{}', traceId: 'Root=1-abc;Sampled=1' }],
    });
    await served(run, 1);
    expect(JSON.parse(posts(run)[0]!.body.toString())).toEqual({
      trace: 'Root=1-abc;Sampled=1',
      name: 'test-fn',
      memory: '128',
      version: '$LATEST',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
      id: 'req-ctx',
      group: '/aws/lambda/test-fn',
      remainingOk: true,
    });
  });

  it('formats console output as the managed runtime does, TEXT and JSON', async () => {
    const handler = {
      'index.js':
        "exports.handler = async () => { console.log('hello', { a: 1 }); console.warn('careful\\nnow'); return 1; };",
    };
    const text = await runBootstrap({
      files: handler,
      handler: 'index.handler',
      invocations: [{ requestId: 'req-log', event: '{}' }],
    });
    await served(text, 1);
    expect(text.output()).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-log\tINFO\thello \{ a: 1 \}$/m,
    );
    expect(text.output()).toMatch(/\treq-log\tWARN\tcareful\rnow$/m);
    const json = await runBootstrap({
      files: handler,
      handler: 'index.handler',
      invocations: [{ requestId: 'req-json', event: '{}' }],
      env: { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' },
    });
    await served(json, 1);
    const lines = json
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { timestamp: expect.any(String), level: 'WARN', requestId: 'req-json', message: 'careful\nnow' },
    ]);
  });

  it('fails the invocation on an unhandled rejection, then exits 128 as AWS does', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = async () => {
          Promise.reject(new Error('forgotten promise'));
          await new Promise((r) => setTimeout(r, 1000));
          return 'too late';
        };`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-rej', event: '{}' }],
    });
    expect(await run.exited).toBe(128);
    const request = posts(run)[0]!;
    expect(request.path).toBe('/2018-06-01/runtime/invocation/req-rej/error');
    expect(parseErrorDocument(request.body.toString())).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: forgotten promise',
    });
  });

  it('fails a streaming invocation with trailers on an uncaught exception, then exits 129', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.write('partial');
          setTimeout(() => { throw new Error('thrown from a timer'); }, 10);
          await new Promise((r) => setTimeout(r, 1000));
          stream.end();
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-uncaught', event: '{}' }],
    });
    expect(await run.exited).toBe(129);
    const request = posts(run)[0]!;
    expect(request.body.toString()).toBe('partial');
    expect(headerValue(request.trailers, 'Lambda-Runtime-Function-Error-Type')).toBe('Error');
  });

  it('answers null when a buffered handler can never settle, as AWS does, and keeps serving', async () => {
    // Regression: a handler awaiting a promise nothing would ever settle let the event loop empty, and the
    // runtime process exited mid-invocation (the caller saw Runtime.ExitError instead of AWS's null).
    const run = await runBootstrap({
      files: {
        'index.mjs': `let calls = 0;
          export const handler = async () => (++calls === 1 ? new Promise(() => {}) : 'second');`,
      },
      handler: 'index.handler',
      invocations: [
        { requestId: 'req-never', event: '{}' },
        { requestId: 'req-after', event: '{}' },
      ],
    });
    await served(run, 2);
    expect(posts(run).map((r) => [r.path, r.body.toString()])).toEqual([
      ['/2018-06-01/runtime/invocation/req-never/response', 'null'],
      ['/2018-06-01/runtime/invocation/req-after/response', '"second"'],
    ]);
    expect(run.output()).toMatch(/req-never\tWARN\tThe handler finished without a result/);
  });

  it('answers null for a synchronous handler that never calls back, as AWS does', async () => {
    const run = await runBootstrap({
      files: { 'index.js': "exports.handler = (event) => 'returned, not called back';" },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-sync', event: '{}' }],
    });
    await served(run, 1);
    expect(posts(run)[0]!.body.toString()).toBe('null');
  });

  it('ends the response of a streaming handler that can never settle', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
          awslambda.HttpResponseStream.from(stream, { statusCode: 202 });
          await new Promise(() => {});
        });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-stuck', event: '{}' }],
    });
    await served(run, 1);
    expect(posts(run)[0]!.body.toString('latin1')).toBe(`{"statusCode":202}${'\0'.repeat(8)}`);
    expect(posts(run)[0]!.trailers).toEqual([]);
    expect(run.output()).toMatch(/req-stuck\tWARN\tThe handler’s promise can never settle/);
  });

  it('logs a non-202 reply to a streamed response and keeps serving', async () => {
    const run = await runBootstrap({
      files: {
        'index.mjs': 'export const handler = awslambda.streamifyResponse(async (e, s) => { s.end("x"); });',
      },
      handler: 'index.handler',
      invocations: [
        { requestId: 'req-a', event: '{}' },
        { requestId: 'req-b', event: '{}' },
      ],
      api: {
        reply: (request) =>
          request.path.includes('req-a')
            ? { status: 400, body: '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}\n' }
            : undefined,
      },
    });
    await served(run, 2);
    expect(run.output()).toMatch(
      /req-a\tERROR\tThe Runtime API answered 400 to the response of invocation req-a: .*InvalidRequestID/,
    );
    expect(posts(run).map((r) => r.path)).toEqual([
      '/2018-06-01/runtime/invocation/req-a/response',
      '/2018-06-01/runtime/invocation/req-b/response',
    ]);
  });

  it('loads nested handler paths, named exports and ESM with top-level await', async () => {
    const run = await runBootstrap({
      files: {
        'src/package.json': '{"type":"module"}',
        'src/app.js': `const greeting = await Promise.resolve('hi');
          export const echo = awslambda.streamifyResponse(async (event, stream) => { stream.end(greeting + ' ' + event.name); });`,
      },
      handler: 'src/app.echo',
      invocations: [{ requestId: 'req-nested', event: '{"name":"there"}' }],
    });
    await served(run, 1);
    expect(posts(run)[0]!.body.toString()).toBe('hi there');
  });
});

describe('GET /next', () => {
  it('waits as long as the Runtime API takes to deliver an invocation (no timeout)', async () => {
    const run = await runBootstrap({
      files: { 'index.mjs': 'export const handler = async (event) => event;' },
      handler: 'index.handler',
      invocations: [],
    });
    await run.api.waitFor((requests) => requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    run.api.enqueue({ requestId: 'req-late', event: '{"late":true}' });
    await served(run, 1);
    expect(posts(run)[0]!.body.toString()).toBe('{"late":true}');
  });

  const required: Array<[string, string]> = [
    ['Lambda-Runtime-Aws-Request-Id', 'without the Lambda-Runtime-Aws-Request-Id header'],
    ['Lambda-Runtime-Deadline-Ms', 'without the Lambda-Runtime-Deadline-Ms header'],
    ['Lambda-Runtime-Invoked-Function-Arn', 'without the Lambda-Runtime-Invoked-Function-Arn header'],
  ];

  it.each(required)('exits with a clear error when %s is missing', async (missing, message) => {
    const headers: Array<[string, string]> = [
      ['Content-Type', 'application/json'],
      ['Lambda-Runtime-Aws-Request-Id', 'req-x'],
      ['Lambda-Runtime-Deadline-Ms', String(Date.now() + 60_000)],
      ['Lambda-Runtime-Invoked-Function-Arn', 'arn:aws:lambda:us-east-1:123456789012:function:test'],
    ];
    const run = await runBootstrap({
      files: { 'index.mjs': 'export const handler = async () => 1;' },
      handler: 'index.handler',
      invocations: [
        { requestId: 'req-x', event: '{}', headers: headers.filter(([name]) => name !== missing) },
      ],
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(message);
    expect(posts(run)).toHaveLength(0);
  });

  it('exits promptly when the Runtime API goes away, as Lambda expects', async () => {
    const run = await runBootstrap({
      files: { 'index.mjs': 'export const handler = async () => 1;' },
      handler: 'index.handler',
      invocations: [],
    });
    await run.api.waitFor((requests) => requests.length === 1);
    await run.api.close();
    expect(await run.exited).toBe(1);
  });
});

describe('entry points', () => {
  const echo = {
    'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
      stream.end(JSON.stringify({ entry: process.argv[1], execArgv: process.execArgv }));
    });`,
  };

  it('runs through AWS_LAMBDA_EXEC_WRAPPER, keeping the managed runtime’s node binary and flags', async () => {
    // Lambda calls the wrapper with the managed runtime's command line; sluice's bootstrap replaces its entry.
    const run = await runBootstrap({
      files: echo,
      handler: 'index.handler',
      invocations: [{ requestId: 'req-wrap', event: '{}' }],
      command: [
        path.join(REPO_ROOT, 'bin/sluice-exec-wrapper'),
        process.execPath,
        '--enable-source-maps',
        '/var/runtime/index.mjs',
      ],
    });
    await served(run, 1);
    expect(JSON.parse(posts(run)[0]!.body.toString())).toEqual({
      entry: path.join(REPO_ROOT, 'dist/runtime/bootstrap.js'),
      execArgv: ['--enable-source-maps'],
    });
  });

  it('runs as `sluice runtime`', async () => {
    const run = await runBootstrap({
      files: echo,
      handler: 'index.handler',
      invocations: [{ requestId: 'req-cli', event: '{}' }],
      command: [process.execPath, path.join(REPO_ROOT, 'dist/cli/bin.js'), 'runtime'],
    });
    await served(run, 1);
    expect(JSON.parse(posts(run)[0]!.body.toString()).entry).toBe(path.join(REPO_ROOT, 'dist/cli/bin.js'));
  });

  it('runs as a library call: new LambdaRuntime(handler).run()', async () => {
    const run = await runBootstrap({
      files: {
        'main.mjs': `import { LambdaRuntime, streamingHandler } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/index.js'))};
          const handler = streamingHandler(async (event, writer) => { await writer.writeAndFinish('library ' + event.n); });
          await new LambdaRuntime(handler).run();`,
      },
      handler: 'unused.handler',
      invocations: [{ requestId: 'req-lib', event: '{"n":7}' }],
      command: [process.execPath, 'main.mjs'],
    });
    await served(run, 1);
    expect(posts(run)[0]!.body.toString()).toBe('library 7');
  });

  it('exits with a clear message when AWS_LAMBDA_RUNTIME_API is not set', async () => {
    const run = await runBootstrap({
      files: echo,
      handler: 'index.handler',
      invocations: [],
      env: { AWS_LAMBDA_RUNTIME_API: '' },
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('AWS_LAMBDA_RUNTIME_API is not set');
  });
});
