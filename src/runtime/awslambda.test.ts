import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryRuntimeClient, type RecordedResponse } from '../../test/support/memory-runtime-client.js';
import {
  HIGH_WATER_MARK_TAG,
  HttpResponseStream,
  handlerMode,
  installAwsLambdaGlobal,
  type LambdaResponseStream,
  STREAMING_HANDLER_TAG,
  streamifyResponse,
} from './awslambda.js';
import { LambdaRuntimeError } from './errors.js';
import { ResponseStream } from './response-stream.js';

type Tagged = Record<symbol, unknown>;
type GlobalSlot = { awslambda?: unknown };

// Every test starts and ends without a globalThis.awslambda, whatever the test installed.
let previousGlobal: { present: boolean; value: unknown };
beforeEach(() => {
  const slot = globalThis as GlobalSlot;
  previousGlobal = { present: 'awslambda' in slot, value: slot.awslambda };
  delete slot.awslambda;
});
afterEach(() => {
  const slot = globalThis as GlobalSlot;
  if (previousGlobal.present) slot.awslambda = previousGlobal.value;
  else delete slot.awslambda;
});

/** A real Writable with the awslambda stream's `setContentType`, recording what reaches it. */
class RecordingStream extends Writable {
  contentTypes: string[] = [];
  chunks: Buffer[] = [];
  _onBeforeFirstWrite: LambdaResponseStream['_onBeforeFirstWrite'];

  setContentType(contentType: string): void {
    this.contentTypes.push(contentType);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
}

describe('streamifyResponse', () => {
  it('returns the same function object, tagged for response streaming', () => {
    const handler = async () => {};
    const result = streamifyResponse(handler);
    expect(result).toBe(handler);
    expect((handler as unknown as Tagged)[Symbol.for('aws.lambda.runtime.handler.streaming')]).toBe(
      'response',
    );
    expect(STREAMING_HANDLER_TAG).toBe(Symbol.for('aws.lambda.runtime.handler.streaming'));
    expect(HIGH_WATER_MARK_TAG).toBe(Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark'));
  });

  it('records a numeric highWaterMark as an integer', () => {
    const handler = streamifyResponse(async () => {}, { highWaterMark: 4096 });
    expect((handler as unknown as Tagged)[HIGH_WATER_MARK_TAG]).toBe(4096);
    const fractional = streamifyResponse(async () => {}, { highWaterMark: 1024.9 });
    expect((fractional as unknown as Tagged)[HIGH_WATER_MARK_TAG]).toBe(1024);
  });

  it('ignores a highWaterMark that is not a number, as AWS does (typeof check)', () => {
    const handler = streamifyResponse(async () => {}, { highWaterMark: '2048' as unknown as number });
    expect(HIGH_WATER_MARK_TAG in handler).toBe(false);
    expect(handlerMode(handler)).toEqual({ streaming: true, highWaterMark: undefined });
  });

  it('records no highWaterMark without options', () => {
    const handler = streamifyResponse(async () => {});
    expect(HIGH_WATER_MARK_TAG in handler).toBe(false);
  });
});

describe('handlerMode', () => {
  it('is buffered for an untagged handler', () => {
    expect(handlerMode(async () => 'x')).toEqual({ streaming: false, highWaterMark: undefined });
  });

  it.each([false, null])('is buffered for a falsy tag (%s)', (tag) => {
    const handler = Object.assign(async () => {}, { [STREAMING_HANDLER_TAG]: tag });
    expect(handlerMode(handler)).toEqual({ streaming: false, highWaterMark: undefined });
  });

  it('is streaming for a tagged handler, with its highWaterMark', () => {
    expect(handlerMode(streamifyResponse(async () => {}))).toEqual({
      streaming: true,
      highWaterMark: undefined,
    });
    expect(handlerMode(streamifyResponse(async () => {}, { highWaterMark: 64 }))).toEqual({
      streaming: true,
      highWaterMark: 64,
    });
  });

  it('parses a highWaterMark tag set by hand (numeric string) as an integer', () => {
    const handler = Object.assign(async () => {}, {
      [STREAMING_HANDLER_TAG]: 'response',
      [HIGH_WATER_MARK_TAG]: '512',
    });
    expect(handlerMode(handler)).toEqual({ streaming: true, highWaterMark: 512 });
  });

  it.each(['request', 'RESPONSE', true, 1])(
    'throws Runtime.MalformedStreamingHandler for the tag %j',
    (tag) => {
      const handler = Object.assign(async () => {}, { [STREAMING_HANDLER_TAG]: tag });
      let thrown: unknown;
      try {
        handlerMode(handler);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LambdaRuntimeError);
      expect(thrown).toMatchObject({
        name: 'Runtime.MalformedStreamingHandler',
        code: 'SLUICE_MALFORMED_STREAMING_HANDLER',
        message: 'Only response streaming is supported.',
      });
    },
  );
});

describe('HttpResponseStream.from', () => {
  const prelude = {
    statusCode: 201,
    headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
    cookies: ['a=1', 'b=2'],
  };

  it('returns the same stream, sets the prelude content type and installs the hook', () => {
    const stream = new RecordingStream();
    const result = HttpResponseStream.from(stream, prelude);
    expect(result).toBe(stream);
    expect(stream.contentTypes).toEqual(['application/vnd.awslambda.http-integration-response']);
    expect(typeof stream._onBeforeFirstWrite).toBe('function');
    expect(stream.chunks).toEqual([]);
  });

  it('the hook writes the prelude JSON, then 8 NUL bytes', () => {
    const stream = new RecordingStream();
    HttpResponseStream.from(stream, prelude);
    const written: (string | Uint8Array)[] = [];
    stream._onBeforeFirstWrite?.((chunk) => written.push(chunk));
    expect(written).toHaveLength(2);
    expect(written[0]).toBe(JSON.stringify(prelude));
    expect(written[1]).toBeInstanceOf(Uint8Array);
    expect([...(written[1] as Uint8Array)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('keeps extra prelude fields, passed straight through JSON.stringify', () => {
    const stream = new RecordingStream();
    HttpResponseStream.from(stream, { statusCode: 200, multiValueHeaders: { a: ['1', '2'] } });
    const written: (string | Uint8Array)[] = [];
    stream._onBeforeFirstWrite?.((chunk) => written.push(chunk));
    expect(written[0]).toBe('{"statusCode":200,"multiValueHeaders":{"a":["1","2"]}}');
  });

  it("on sluice's ResponseStream, sends the golden bytes of runtime-api.md §2.2", async () => {
    const client = new MemoryRuntimeClient([]);
    const stream = new ResponseStream(client.openResponseStream('req-1'));
    HttpResponseStream.from(stream, prelude);
    stream.write('hello ');
    stream.write('world');
    stream.end();
    await stream.completion;
    const [response] = client.responses as Extract<RecordedResponse, { kind: 'stream' }>[];
    expect(response?.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(Buffer.concat(response?.chunks ?? []).toString('hex')).toBe(
      '7b22737461747573436f6465223a3230312c2268656164657273223a7b22436f6e74656e742d54797065223a22746578742f706c61696e222c22582d437573746f6d223a22796573227d2c22636f6f6b696573223a5b22613d31222c22623d32225d7d' +
        '0000000000000000' +
        '68656c6c6f20776f726c64',
    );
  });
});

describe('installAwsLambdaGlobal', () => {
  it('installs globalThis.awslambda with streamifyResponse and HttpResponseStream', () => {
    installAwsLambdaGlobal({});
    expect((globalThis as GlobalSlot).awslambda).toEqual({ streamifyResponse, HttpResponseStream });
  });

  it.each(['1', 'true'])('does not install it when AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA=%s', (value) => {
    installAwsLambdaGlobal({ AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA: value });
    expect('awslambda' in globalThis).toBe(false);
  });

  it.each(['0', 'false', ''])('installs it when AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA=%j', (value) => {
    installAwsLambdaGlobal({ AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA: value });
    expect((globalThis as { awslambda?: { streamifyResponse?: unknown } }).awslambda?.streamifyResponse).toBe(
      streamifyResponse,
    );
  });

  it("with sluice's own global installed, streamifyResponse still tags (no self-delegation)", () => {
    installAwsLambdaGlobal({});
    const handler = async () => {};
    expect(streamifyResponse(handler, { highWaterMark: 8 })).toBe(handler);
    expect(handlerMode(handler)).toEqual({ streaming: true, highWaterMark: 8 });
  });
});

describe("delegation to AWS's managed runtime", () => {
  /** Stands in for the awslambda global AWS's managed Node runtime installs before loading user code. */
  function installManagedRuntimeGlobal() {
    const calls: { method: string; args: unknown[] }[] = [];
    const managed = {
      streamifyResponse(handler: unknown, options?: unknown) {
        calls.push({ method: 'streamifyResponse', args: [handler, options] });
        return handler;
      },
      HttpResponseStream: {
        from(stream: unknown, prelude: unknown) {
          calls.push({ method: 'HttpResponseStream.from', args: [stream, prelude] });
          return stream;
        },
      },
    };
    (globalThis as GlobalSlot).awslambda = managed;
    return calls;
  }

  it('ignores an awslambda global that is not a runtime (the AWS SDK sets `awslambda = {}`)', () => {
    // Regression: @aws-sdk/client-lambda's @aws/lambda-invoke-store sets globalThis.awslambda to an empty
    // object; sluice took it for AWS's runtime and called its missing streamifyResponse, so a handler module
    // that imported the SDK first failed to load.
    (globalThis as GlobalSlot).awslambda = {};
    const handler = async () => {};
    expect(streamifyResponse(handler)).toBe(handler);
    expect((handler as unknown as Record<symbol, unknown>)[STREAMING_HANDLER_TAG]).toBe('response');
    const stream = new RecordingStream();
    expect(HttpResponseStream.from(stream, { statusCode: 200 })).toBe(stream);
    expect(typeof stream._onBeforeFirstWrite).toBe('function');
  });

  it("streamifyResponse delegates to the platform's implementation", () => {
    const calls = installManagedRuntimeGlobal();
    const handler = async () => {};
    const options = { highWaterMark: 99 };
    expect(streamifyResponse(handler, options)).toBe(handler);
    expect(calls).toEqual([{ method: 'streamifyResponse', args: [handler, options] }]);
    expect(STREAMING_HANDLER_TAG in handler).toBe(false);
  });

  it("HttpResponseStream.from delegates to the platform's implementation", () => {
    const calls = installManagedRuntimeGlobal();
    const stream = new RecordingStream();
    const prelude = { statusCode: 418 };
    expect(HttpResponseStream.from(stream, prelude)).toBe(stream);
    expect(calls).toEqual([{ method: 'HttpResponseStream.from', args: [stream, prelude] }]);
    expect(stream.contentTypes).toEqual([]);
    expect(stream._onBeforeFirstWrite).toBeUndefined();
  });
});
