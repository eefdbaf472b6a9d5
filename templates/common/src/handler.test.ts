import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext, type ResponseSink, ResponseStream, splitPrelude } from 'sluice';
import { handler } from './handler.js';

/**
 * Invokes the handler as Lambda does: with sluice's response stream (the one its runtime gives handlers),
 * writing to memory instead of the Runtime API. Resolves with the status, headers and body chunks.
 */
async function invoke(event: Parameters<typeof handler>[0]) {
  const chunks: Buffer[] = [];
  let started = false;
  const sink: ResponseSink = {
    contentType: 'application/octet-stream',
    get started() {
      return started;
    },
    write(chunk, done) {
      started = true;
      chunks.push(Buffer.from(chunk));
      done();
    },
    end: async () => ({ statusCode: 202, body: '' }),
    abort: () => {},
  };
  const stream = new ResponseStream(sink);
  const { context, dispose } = createContext({
    requestId: 'test-request',
    deadlineMs: Date.now() + 30_000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
    payload: new Uint8Array(),
  });
  try {
    await handler(event, stream, context);
    await stream.completion;
  } finally {
    dispose();
  }
  // The first bytes are the HTTP prelude (status and headers as JSON, then 8 NUL bytes), then the body.
  const bytes = Buffer.concat(chunks);
  const split = splitPrelude(bytes);
  if (split.kind !== 'complete') throw new Error(`the response has no complete prelude (${split.kind})`);
  const body = bytes.subarray(split.bodyOffset).toString('utf8');
  return { metadata: split.metadata, body, contentType: sink.contentType };
}

test('streams three numbers, then a greeting', async () => {
  const { metadata, body, contentType } = await invoke({ queryStringParameters: { name: 'test' } });
  assert.equal(contentType, 'application/vnd.awslambda.http-integration-response');
  assert.equal(metadata.statusCode, 200);
  assert.equal(metadata.headers?.['Content-Type'], 'text/plain; charset=utf-8');
  assert.equal(body, 'Number: 1\nNumber: 2\nNumber: 3\nHello, test! (request test-request)\n');
});

test('greets the world without a name', async () => {
  const { body } = await invoke({});
  assert.match(body, /Hello, world!/);
});
