import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, it } from 'vitest';
import { DEV_CREDENTIALS, useDevServer } from '../support/dev-server.js';
import { invokeAndReport, type StreamOutcome } from './client.js';

// The example's own SDK client (InvokeWithResponseStream, LogType Tail) against `sluice dev`: how a success, a
// mid-stream error and a timeout each end. The three run concurrently (their functions are separate).

const HAPPY = 'Thisfunctionisstreamingtheresponsebackandnowitisfinished!';

describe.concurrent('sdk-errors', () => {
  const dev = useDevServer('sdk-errors');

  async function run(functionName: string): Promise<{ outcome: StreamOutcome; printed: string[] }> {
    const client = new LambdaClient({
      endpoint: dev().baseUrl,
      region: 'us-east-1',
      credentials: { ...DEV_CREDENTIALS },
      maxAttempts: 1,
    });
    const printed: string[] = [];
    const outcome = await invokeAndReport(client, functionName, (line) => printed.push(line));
    return { outcome, printed };
  }

  it('HappyPath: every word, then an InvokeComplete without an error', async ({ expect }) => {
    const { outcome, printed } = await run('HappyPathFunction');
    expect(outcome.chunks.join('')).toBe(HAPPY);
    // Twelve writes 500 ms apart: they cannot all have come in one chunk.
    expect(outcome.chunks.length).toBeGreaterThan(1);
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.errorDetails).toBeUndefined();
    expect(printed.at(-1)).toBe('HappyPathFunction: complete without error');
    expect(outcome.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome.logTail).toContain(`START RequestId: ${outcome.requestId}`);
    expect(outcome.logTail).toMatch(new RegExp(`REPORT RequestId: ${outcome.requestId}\\tDuration: `));
  }, 30_000);

  it('MidstreamError: four words, then an InvokeComplete carrying the error', async ({ expect }) => {
    const { outcome, printed } = await run('MidstreamErrorFunction');
    expect(outcome.chunks.join('')).toBe('Thisfunctionisstreaming');
    expect(outcome.errorCode).toBe('Unhandled');
    const details = JSON.parse(outcome.errorDetails!) as Record<string, unknown>;
    expect(details).toMatchObject({ errorType: 'Error', errorMessage: 'This is a custom error mid-stream!' });
    expect(printed.at(-1)).toMatch(
      /^MidstreamErrorFunction: complete with Unhandled: .*This is a custom error mid-stream!/,
    );
    expect(outcome.logTail).toContain('This is a custom error mid-stream!');
    expect(outcome.logTail).toContain(`REPORT RequestId: ${outcome.requestId}`);
  }, 30_000);

  it('Timeout: the words written before the 1 s deadline, then a Sandbox.Timedout InvokeComplete', async ({
    expect,
  }) => {
    const { outcome } = await run('TimeoutFunction');
    const text = outcome.chunks.join('');
    // `This` (t=0) and `function` (t=500) are written; the third write (t≈1000) races the deadline.
    expect(text.startsWith('Thisfunction')).toBe(true);
    expect(HAPPY.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThanOrEqual('Thisfunctionis'.length);
    expect(outcome.errorCode).toBe('Sandbox.Timedout');
    expect(outcome.errorDetails).toContain('Task timed out after 1.00 seconds');
    expect(outcome.logTail).toContain(`REPORT RequestId: ${outcome.requestId}`);
    expect(outcome.logTail).toContain('Status: timeout');
  }, 30_000);
});
