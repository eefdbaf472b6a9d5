// Handlers for the emulator's integration tests. They use only what AWS's Node runtime provides (the
// `awslambda` global, the context object), so they run under sluice's runtime and under aws-lambda-ric alike.
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const waitForFile = async (file) => {
  while (!existsSync(file)) await sleep(5);
};

const write = (stream, chunk) =>
  new Promise((resolve, reject) => {
    if (stream.write(chunk)) resolve();
    else {
      stream.once('drain', resolve);
      stream.once('error', reject);
    }
  });

/** Buffered: returns what it saw. */
export const echo = async (event, context) => ({
  event,
  requestId: context.awsRequestId,
  functionName: context.functionName,
  functionVersion: context.functionVersion,
  memoryLimitInMB: context.memoryLimitInMB,
  invokedFunctionArn: context.invokedFunctionArn,
  remainingMs: context.getRemainingTimeInMillis(),
  clientContext: context.clientContext ?? null,
  env: Object.fromEntries(
    [
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_LAMBDA_LOG_GROUP_NAME',
      'AWS_LAMBDA_LOG_STREAM_NAME',
      'AWS_LAMBDA_RUNTIME_API',
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'LAMBDA_TASK_ROOT',
      '_HANDLER',
      'TZ',
      'CUSTOM_SETTING',
      'AWS_EXECUTION_ENV',
      'LAMBDA_RUNTIME_DIR',
      'AWS_XRAY_CONTEXT_MISSING',
      '_X_AMZN_TRACE_ID',
    ].map((key) => [key, process.env[key] ?? null]),
  ),
  pid: process.pid,
  cwd: process.cwd(),
});

/** Buffered: logs, then answers. */
export const logs = async (event) => {
  console.log('hello from the function');
  for (let i = 0; i < (event.lines ?? 0); i++) console.log(`line ${i} ${'.'.repeat(80)}`);
  return 'logged';
};

/** Buffered: throws. */
export const fail = async () => {
  throw new TypeError('buffered boom');
};

/** Does what the event says: `exit` (with `code`), `hang`, or answers its pid; writes its pid to `pidFile`. */
export const misbehave = async (event) => {
  if (event.pidFile) writeFileSync(event.pidFile, String(process.pid));
  if (event.action === 'exit') {
    console.error('about to exit');
    process.exit(event.code ?? 3);
  }
  // A timer keeps the event loop alive, as pending work would; an empty loop would let the process exit.
  if (event.action === 'hang') await new Promise(() => setInterval(() => {}, 1000));
  return { pid: process.pid };
};

/** Streams its pid and ends at once, but leaves a timer running for `event.ms`. */
export const linger = awslambda.streamifyResponse(async (event, responseStream) => {
  setTimeout(() => {}, event.ms ?? 3000);
  responseStream.end(JSON.stringify({ pid: process.pid }));
});

/** Buffered response of `event.size` bytes of JSON string. */
export const big = async (event) => 'x'.repeat(event.size);

/** Sleeps `event.ms`, then answers its pid. */
export const slow = async (event) => {
  await sleep(event.ms ?? 100);
  return { pid: process.pid };
};

/** Streams `event.chunks` (array of strings), sleeping `event.delayMs` between them. */
export const stream = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.setContentType('text/plain');
  for (const [index, chunk] of (event.chunks ?? ['hello ', 'world']).entries()) {
    if (index > 0 && event.delayMs) await sleep(event.delayMs);
    await write(responseStream, chunk);
  }
  responseStream.end();
});

/**
 * Streams `event.count` chunks; after writing chunk i it waits until the caller creates `<event.dir>/ack-<i>`.
 * A buffering emulator deadlocks here: the caller never sees chunk i, so never acknowledges it.
 */
export const lockstep = awslambda.streamifyResponse(async (event, responseStream) => {
  for (let i = 0; i < event.count; i++) {
    await write(responseStream, `chunk ${i};`);
    await waitForFile(`${event.dir}/ack-${i}`);
  }
  responseStream.end();
});

/** Streams a little, then fails. */
export const streamFail = awslambda.streamifyResponse(async (_event, responseStream) => {
  await write(responseStream, 'partial ');
  await sleep(20);
  throw new RangeError('boom midstream');
});

/** Streams one chunk, then never finishes. */
export const streamHang = awslambda.streamifyResponse(async (_event, responseStream) => {
  await write(responseStream, 'first chunk');
  await new Promise(() => {});
});

/** Streams one chunk, then the process dies. */
export const streamExit = awslambda.streamifyResponse(async (_event, responseStream) => {
  await write(responseStream, 'before exit');
  await sleep(20);
  process.exit(7);
});

/** The deterministic bytes of chunk `index` for `bigStream` (also used by the test to hash the expectation). */
export const chunkBytes = (index, size) => {
  const chunk = Buffer.alloc(size);
  chunk.fill(createHash('sha256').update(`chunk-${index}`).digest());
  return chunk;
};

/** Streams `event.totalBytes` deterministic bytes in chunks of `event.chunkBytes`, honouring backpressure. */
export const bigStream = awslambda.streamifyResponse(async (event, responseStream) => {
  const { totalBytes, chunkBytes: size } = event;
  for (let offset = 0, index = 0; offset < totalBytes; offset += size, index++) {
    const chunk = chunkBytes(index, Math.min(size, totalBytes - offset));
    await write(responseStream, chunk);
  }
  responseStream.end();
});

/** Streams `event.tag` `event.count` times with a pause between, so concurrent invocations interleave. */
export const tagged = awslambda.streamifyResponse(async (event, responseStream) => {
  for (let i = 0; i < event.count; i++) {
    await write(responseStream, `${event.tag}:${i};`);
    await sleep(event.delayMs ?? 10);
  }
  responseStream.end();
});
