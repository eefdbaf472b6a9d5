import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOrderProblems, nodeRequest, runCurl, timedLines } from '../../../test/support/http-clients.js';
import { type Emulator, startEmulator } from '../emulator.js';
import { EmulatorConfigError } from '../errors.js';
import type { FunctionDefinition } from '../function-config.js';

// The Swift runtime's local endpoint, `POST /invoke`, with the expectations of the Swift local-server tests
// (runtime-api.md §5.5, examples.md §1.5).

const FIXTURES = fileURLToPath(new URL('../test-fixtures', import.meta.url));
const fn = (name: string, handler: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  code: FIXTURES,
  handler: `http-handlers.${handler}`,
  ...extra,
});

describe('the local /invoke endpoint', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: () => {},
      functions: [fn('chunks', 'chunks', { reservedConcurrency: 1 }), fn('lines', 'lines')],
    });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('runs the README command of the Swift streaming examples: the default function streams its raw output', async () => {
    const result = await runCurl([
      '-sS',
      '-w',
      '\n%{http_code}',
      '--header',
      'Content-Type: application/json',
      '--data',
      '"this is not used"',
      `${emulator.url}/invoke`,
    ]);
    expect(result.stdout.toString()).toBe('Chunk 1\nChunk 2\nChunk 3\n\n200');
    expect(emulator.endpoints.invoke).toBe(`${emulator.url}/invoke`);
  });

  it('queues concurrent invocations instead of throttling them', async () => {
    const results = await Promise.all(
      Array.from({ length: 3 }, () => nodeRequest(`${emulator.url}/invoke`, { method: 'POST', body: '{}' })),
    );
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.body.toString()).toBe('Chunk 1\nChunk 2\nChunk 3\n');
    }
  });

  it('answers another method with 405 and an empty body with 400', async () => {
    expect((await nodeRequest(`${emulator.url}/invoke`)).status).toBe(405);
    expect((await nodeRequest(`${emulator.url}/invoke`, { method: 'POST' })).status).toBe(400);
  });
});

describe('the local /invoke endpoint on its own listener', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: () => {},
      defaultFunction: 'preludeRaw',
      // As the Swift server reads them; port 0 picks a free one for the test.
      env: {
        LOCAL_LAMBDA_PORT: '0',
        LOCAL_LAMBDA_INVOCATION_ENDPOINT: '/2015-03-31/functions/function/invocations',
      },
      localInvoke: true,
      functions: [fn('lines', 'lines'), fn('preludeRaw', 'preludeRaw'), fn('failEarly', 'failEarly')],
    });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('honours LOCAL_LAMBDA_PORT and LOCAL_LAMBDA_INVOCATION_ENDPOINT, and passes a prelude through raw', async () => {
    const endpoint = emulator.endpoints.localInvoke!;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/2015-03-31\/functions\/function\/invocations$/);
    expect(new URL(endpoint).port).not.toBe(String(emulator.port));
    const result = await nodeRequest(endpoint, { method: 'POST', body: '"request-1"' });
    // As the Swift local server: 200, and the prelude (status 201) is part of the body.
    expect(result.status).toBe(200);
    const body = result.body.toString();
    expect(body).toContain('"statusCode":201');
    expect(body.endsWith('\0\0\0\0\0\0\0\0Echo: "request-1"\n')).toBe(true);
  });

  it('serves a configured endpoint on the main port too, even where the Lambda API has the same path', async () => {
    // Regression: LOCAL_LAMBDA_INVOCATION_ENDPOINT=/2015-03-31/functions/function/invocations (the Swift
    // README's example) sent POSTs on the main port to the Lambda Invoke API, which knows no function named
    // "function" and answered 404, instead of the local endpoint the user configured.
    const result = await nodeRequest(`${emulator.url}/2015-03-31/functions/function/invocations`, {
      method: 'POST',
      body: '"request-2"',
    });
    expect(result.status).toBe(200);
    expect(result.body.toString().endsWith('\0\0\0\0\0\0\0\0Echo: "request-2"\n')).toBe(true);
  });

  it('matches the endpoint by suffix on its own listener, as the Swift server does', async () => {
    const endpoint = new URL(emulator.endpoints.localInvoke!);
    const result = await nodeRequest(`${endpoint.origin}/anything${endpoint.pathname}`, {
      method: 'POST',
      body: '"x"',
    });
    expect(result.status).toBe(200);
    expect(result.body.toString()).toContain('Echo: "x"');
  });

  it('streams each write as it happens', async () => {
    const restarted = await startEmulator({
      port: 0,
      logger: () => {},
      localInvoke: { port: 0 },
      functions: [fn('lines', 'lines')],
    });
    try {
      const result = await runCurl([
        '--no-buffer',
        '-sS',
        '-N',
        '--data',
        JSON.stringify({ options: { count: '4', interval: '200' } }),
        restarted.endpoints.localInvoke!,
      ]);
      expect(lineOrderProblems(timedLines(result.chunks), 4)).toEqual([]);
    } finally {
      await restarted.close();
    }
  });

  it('answers a function error with 500 and the error document', async () => {
    const failing = await startEmulator({
      port: 0,
      logger: () => {},
      functions: [fn('failEarly', 'failEarly')],
    });
    try {
      const result = await nodeRequest(`${failing.url}/invoke`, { method: 'POST', body: '{}' });
      expect(result.status).toBe(500);
      expect(result.headers['content-type']).toBe('application/json');
      expect(JSON.parse(result.body.toString())).toMatchObject({
        errorType: 'TypeError',
        errorMessage: 'failed before the head',
      });
    } finally {
      await failing.close();
    }
  });

  it('refuses an unknown default function', async () => {
    await expect(
      startEmulator({ functions: [fn('lines', 'lines')], defaultFunction: 'nope', logger: () => {} }),
    ).rejects.toBeInstanceOf(EmulatorConfigError);
  });
});
