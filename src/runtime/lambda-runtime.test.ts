import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  invocation,
  MemoryRuntimeClient,
  type RecordedResponse,
} from '../../test/support/memory-runtime-client.js';
import { decodeErrorBody, PRELUDE_CONTENT_TYPE, splitPrelude } from '../protocol/index.js';
import { HttpResponseStream, streamifyResponse } from './awslambda.js';
import type { LambdaContext } from './context.js';
import { type AnyHandler, LambdaRuntime } from './lambda-runtime.js';
import { streamingHandler } from './streaming-handler.js';

type StreamRecord = Extract<RecordedResponse, { kind: 'stream' }>;

async function runOnce(handler: AnyHandler, event: unknown = {}, env: NodeJS.ProcessEnv = {}) {
  const client = new MemoryRuntimeClient([invocation('req-1', event)]);
  await new LambdaRuntime(handler, {
    client,
    env,
    patchConsole: false,
    processHooks: false,
    maxInvocations: 1,
  }).run();
  expect(client.responses).toHaveLength(1);
  return client.responses[0]!;
}

function asStream(response: RecordedResponse): StreamRecord {
  expect(response.kind).toBe('stream');
  return response as StreamRecord;
}

const body = (record: StreamRecord) => Buffer.concat(record.chunks);

function failure(record: StreamRecord) {
  expect(record.trailers).toBeDefined();
  const type = record.trailers!['Lambda-Runtime-Function-Error-Type'];
  const document = decodeErrorBody(record.trailers!['Lambda-Runtime-Function-Error-Body']!);
  return { type, document };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('buffered handlers', () => {
  it('posts the JSON of the resolved value', async () => {
    const response = await runOnce(async (event: { n: number }) => ({ doubled: event.n * 2 }), { n: 21 });
    expect(response).toEqual({
      kind: 'buffered',
      requestId: 'req-1',
      body: '{"doubled":42}',
      contentType: 'application/json',
    });
  });

  it('posts null for undefined, as AWS does', async () => {
    const response = await runOnce(async () => undefined);
    expect(response).toMatchObject({ kind: 'buffered', body: 'null' });
  });

  it('posts the error document to /error when the handler rejects', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await runOnce(async () => {
      throw new TypeError('bad input');
    });
    expect(response.kind).toBe('error');
    const { error } = response as Extract<RecordedResponse, { kind: 'error' }>;
    expect(error.errorType).toBe('TypeError');
    expect(error.errorMessage).toBe('bad input');
    expect(error.trace?.[0]).toBe('TypeError: bad input');
  });

  it('supports the callback argument and context.succeed', async () => {
    const viaCallback = await runOnce(
      (_event: unknown, _context: unknown, callback: (e: unknown, r: unknown) => void) => {
        setTimeout(() => callback(null, 'called back'), 10);
      },
    );
    expect(viaCallback).toMatchObject({ kind: 'buffered', body: '"called back"' });
    const viaSucceed = await runOnce((_event: unknown, context: { succeed(r: unknown): void }) => {
      context.succeed({ ok: true });
    });
    expect(viaSucceed).toMatchObject({ kind: 'buffered', body: '{"ok":true}' });
  });

  it('reports a callback error', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await runOnce((_e: unknown, _c: unknown, callback: (e: unknown) => void) =>
      callback(new Error('nope')),
    );
    expect(response).toMatchObject({ kind: 'error', error: { errorType: 'Error', errorMessage: 'nope' } });
  });

  it('reports an event that is not JSON as the invocation error, not a crash', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = new MemoryRuntimeClient([
      invocation('req-1', null, { payload: Buffer.from('not json') }),
      invocation('req-2', { ok: 1 }),
    ]);
    await new LambdaRuntime(async (event: unknown) => event, {
      client,
      env: {},
      patchConsole: false,
      processHooks: false,
      maxInvocations: 2,
    }).run();
    expect(client.responses[0]).toMatchObject({ kind: 'error', error: { errorType: 'SyntaxError' } });
    expect(client.responses[1]).toMatchObject({ kind: 'buffered', body: '{"ok":1}' });
  });

  it('logs a response the Runtime API refused', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = new MemoryRuntimeClient([invocation('req-1', {})]);
    client.reply = {
      statusCode: 413,
      body: '{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}\n',
    };
    await new LambdaRuntime(async () => 'x', {
      client,
      env: {},
      patchConsole: false,
      processHooks: false,
      maxInvocations: 1,
    }).run();
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('answered 413'));
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('RequestEntityTooLarge'));
  });
});

describe('awslambda-style streaming handlers', () => {
  it('streams the chunks under the default content type, without trailers', async () => {
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          stream.write('hello ');
          stream.write(Buffer.from('world'));
          stream.end();
        }),
      ),
    );
    expect(record.contentType).toBe('application/octet-stream');
    expect(body(record).toString()).toBe('hello world');
    expect(record.trailers).toBeUndefined();
  });

  it('JSON-encodes written values that are not strings or bytes, as AWS does', async () => {
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          stream.write([{ id: '1' }] as unknown as string);
          stream.end({ n: 2 } as unknown as string);
        }),
      ),
    );
    expect(body(record).toString()).toBe('[{"id":"1"}]{"n":2}');
  });

  it('sends the prelude of HttpResponseStream.from before the body', async () => {
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, responseStream) => {
          const stream = HttpResponseStream.from(responseStream, {
            statusCode: 201,
            headers: { 'Content-Type': 'text/plain' },
            cookies: ['a=1'],
          });
          stream.write('hi');
          stream.end();
        }),
      ),
    );
    expect(record.contentType).toBe(PRELUDE_CONTENT_TYPE);
    const split = splitPrelude(body(record));
    expect(split.kind).toBe('complete');
    if (split.kind !== 'complete') return;
    expect(split.metadata).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain' },
      cookies: ['a=1'],
    });
    expect(body(record).subarray(split.bodyOffset).toString()).toBe('hi');
  });

  it('sends the prelude when the body is empty', async () => {
    // Regression: AWS's Node runtime writes the prelude only on the first write(), so from() + end() lost
    // the status and headers (aws-lambda-nodejs-runtime-interface-client#97).
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, responseStream) => {
          HttpResponseStream.from(responseStream, { statusCode: 204, headers: { 'X-Empty': 'yes' } }).end();
        }),
      ),
    );
    expect(body(record).toString('latin1')).toBe(
      `{"statusCode":204,"headers":{"X-Empty":"yes"}}${'\0'.repeat(8)}`,
    );
  });

  it('sends the prelude before a body given to end()', async () => {
    // Regression: from() + end('Not Found') sent the body without its prelude, and function URLs answered 502.
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, responseStream) => {
          HttpResponseStream.from(responseStream, { statusCode: 404 }).end('Not Found');
        }),
      ),
    );
    expect(body(record).toString('latin1')).toBe(`{"statusCode":404}${'\0'.repeat(8)}Not Found`);
  });

  it('ends with error trailers when the handler throws before writing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(async () => {
          throw new TypeError('early');
        }),
      ),
    );
    expect(record.chunks).toHaveLength(0);
    const { type, document } = failure(record);
    expect(type).toBe('TypeError');
    expect(document).toMatchObject({ errorType: 'TypeError', errorMessage: 'early' });
    expect(document?.trace?.[0]).toBe('TypeError: early');
  });

  it('keeps the bytes written and ends with error trailers when the handler throws mid-stream', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          stream.write('hello ');
          stream.write('world');
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new RangeError('boom midstream');
        }),
      ),
    );
    expect(body(record).toString()).toBe('hello world');
    expect(failure(record)).toMatchObject({
      type: 'RangeError',
      document: { errorType: 'RangeError', errorMessage: 'boom midstream' },
    });
  });

  it('does not send a prelude when the handler fails before writing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, responseStream) => {
          HttpResponseStream.from(responseStream, { statusCode: 200 });
          throw new Error('no body');
        }),
      ),
    );
    expect(record.chunks).toHaveLength(0);
    expect(failure(record).type).toBe('Error');
  });

  it('ends a stream the handler left open, and says so', async () => {
    // Regression: AWS's Node runtime hangs until the function timeout when a handler resolves without end().
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          stream.write('partial');
        }),
      ),
    );
    expect(body(record).toString()).toBe('partial');
    expect(record.trailers).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('without ending its response stream'));
  });

  it('waits for a pipe that still feeds the stream after the handler resolved', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          const source = new Readable({ read() {} });
          source.pipe(stream);
          source.push('a');
          setTimeout(() => {
            source.push('b');
            source.push(null);
          }, 30);
        }),
      ),
    );
    expect(body(record).toString()).toBe('ab');
    expect(warn).not.toHaveBeenCalled();
  });

  it('fails a non-async streaming handler as AWS does', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(((_event: unknown, stream: { write(chunk: string): void }) => {
          stream.write('sync');
        }) as unknown as () => Promise<void>),
      ),
    );
    expect(failure(record)).toMatchObject({
      type: 'Runtime.MalformedStreamingHandler',
      document: { errorMessage: 'Streaming does not support non-async handlers.' },
    });
  });

  it('warns that a returned value is ignored', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await runOnce(
      streamifyResponse((async (_event: unknown, stream: { end(c: string): void }) => {
        stream.end('x');
        return 'ignored';
      }) as unknown as () => Promise<void>),
    );
    expect(warn).toHaveBeenCalledWith('Streaming handlers ignore return values.');
  });

  it('refuses setContentType after the first write with AWS’s error, reported in the trailers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          stream.write('x');
          stream.setContentType('text/plain');
        }),
      ),
    );
    expect(failure(record)).toMatchObject({
      type: 'Runtime.InvalidStreamingOperation',
      document: { errorMessage: 'Cannot set content-type, too late.' },
    });
  });

  it('applies the highWaterMark option of streamifyResponse to the stream the handler writes to', async () => {
    let highWaterMark = 0;
    await runOnce(
      streamifyResponse(
        async (_event, stream) => {
          highWaterMark = stream.writableHighWaterMark;
          stream.end();
        },
        { highWaterMark: 1024 },
      ),
    );
    expect(highWaterMark).toBe(1024);
  });

  it('has no finished() method, like AWS’s stream (handlers that call it fail there too)', async () => {
    let kind = '';
    await runOnce(
      streamifyResponse(async (_event, stream) => {
        kind = typeof (stream as unknown as { finished?: unknown }).finished;
        stream.end();
      }),
    );
    expect(kind).toBe('undefined');
  });

  it('works as a pipeline() destination through gzip', async () => {
    const text = 'streamed and compressed '.repeat(2000);
    const record = asStream(
      await runOnce(
        streamifyResponse(async (_event, stream) => {
          await pipeline(Readable.from([text.slice(0, 20_000), text.slice(20_000)]), createGzip(), stream);
        }),
      ),
    );
    expect(gunzipSync(body(record)).toString()).toBe(text);
  });
});

describe('streamingHandler (Swift-style writer)', () => {
  it('sends status and headers, then the body', async () => {
    const record = asStream(
      await runOnce(
        streamingHandler<{ name: string }>(async (event, writer) => {
          await writer.writeStatusAndHeaders({ statusCode: 418, headers: { 'Content-Type': 'text/plain' } });
          await writer.write(`hello ${event.name}`);
          await writer.writeAndFinish('!');
        }),
        { name: 'swift' },
      ),
    );
    expect(record.contentType).toBe(PRELUDE_CONTENT_TYPE);
    expect(body(record).toString('latin1')).toBe(
      `{"statusCode":418,"headers":{"Content-Type":"text/plain"}}${'\0'.repeat(8)}hello swift!`,
    );
  });

  it('finishes a response the handler did not finish', async () => {
    const record = asStream(
      await runOnce(
        streamingHandler(async (_event, writer) => {
          await writer.write('unfinished');
        }),
      ),
    );
    expect(body(record).toString()).toBe('unfinished');
    expect(record.trailers).toBeUndefined();
  });

  it('reports a writer misuse as the invocation error, in the trailers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = asStream(
      await runOnce(
        streamingHandler(async (_event, writer) => {
          await writer.write('body');
          await writer.writeStatusAndHeaders({ statusCode: 200 });
        }),
      ),
    );
    expect(body(record).toString()).toBe('body');
    expect(failure(record)).toMatchObject({
      type: 'Runtime.InvalidStreamingOperation',
      document: { errorMessage: expect.stringContaining('before the first write') },
    });
  });

  it('pipes through gzip into writer.stream', async () => {
    const text = 'x'.repeat(100_000);
    const record = asStream(
      await runOnce(
        streamingHandler(async (_event, writer) => {
          await pipeline(Readable.from([text]), createGzip(), writer.stream);
        }),
      ),
    );
    expect(gunzipSync(body(record)).toString()).toBe(text);
  });
});

describe('context', () => {
  it('carries the invocation and the function environment', async () => {
    let seen: LambdaContext | undefined;
    const env: NodeJS.ProcessEnv = {
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn',
      AWS_LAMBDA_LOG_STREAM_NAME: 'stream',
    };
    const client = new MemoryRuntimeClient([
      invocation(
        'req-ctx',
        {},
        {
          traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
          clientContext: '{"custom":{"k":"v"}}',
          cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
        },
      ),
    ]);
    let traceDuringInvoke: string | undefined;
    await new LambdaRuntime(
      async (_event: unknown, context: LambdaContext) => {
        seen = context;
        traceDuringInvoke = env._X_AMZN_TRACE_ID;
        return 'ok';
      },
      { client, env, patchConsole: false, processHooks: false, maxInvocations: 1 },
    ).run();
    expect(seen).toMatchObject({
      awsRequestId: 'req-ctx',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
      functionName: 'fn',
      functionVersion: '$LATEST',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/fn',
      logStreamName: 'stream',
      clientContext: { custom: { k: 'v' } },
      identity: { cognitoIdentityId: 'id', cognitoIdentityPoolId: 'pool' },
    });
    expect(seen!.getRemainingTimeInMillis()).toBeLessThanOrEqual(30_000);
    expect(traceDuringInvoke).toBe(
      'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
    );
  });

  it('aborts its signal at the deadline', async () => {
    const client = new MemoryRuntimeClient([invocation('req-deadline', {}, { deadlineMs: Date.now() + 50 })]);
    await new LambdaRuntime(
      async (_event: unknown, context: LambdaContext) => {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
        return { reason: (context.signal.reason as DOMException).name };
      },
      { client, env: {}, patchConsole: false, processHooks: false, maxInvocations: 1 },
    ).run();
    expect(client.responses[0]).toMatchObject({ kind: 'buffered', body: '{"reason":"TimeoutError"}' });
  });
});
