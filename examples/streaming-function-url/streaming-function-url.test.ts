import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { curl, gaps } from '../support/curl.js';
import { descendants, isAlive, useDevServer } from '../support/dev-server.js';
import { timedFetch } from '../support/fetch.js';

// SendNumbersWithPause through `sluice dev`: a signed curl --no-buffer sees each number as it is written.

const BODY_SHA256 = 'bf794518e35d7f1ce3a50b3058c4191bb9401e568fc645d77e10b0f404cf1f22';

describe('streaming-function-url', () => {
  const dev = useDevServer('streaming-function-url');

  it('refuses an unsigned request to the AWS_IAM function URL with 403', async () => {
    const result = await curl(dev().functionUrl('SendNumbersWithPause'));
    expect(result.status, result.stderr).toBe(403);
    expect(JSON.parse(result.body.toString('utf8'))).toMatchObject({
      Message: expect.stringMatching(/Forbidden/),
    });
  });

  it('refuses a request signed with unknown keys with 403', async () => {
    const result = await curl(dev().functionUrl('SendNumbersWithPause'), {
      sigv4: { accessKeyId: 'AKIDUNKNOWNEXAMPLE', secretAccessKey: 'not-the-secret' },
    });
    expect(result.status, result.stderr).toBe(403);
  });

  it('streams 1 to 10 to a signed curl --no-buffer, one line a second (and to the Swift-style /invoke)', async () => {
    // Both at once: the function URL with curl, and the local /invoke endpoint (as the Swift example's README
    // tests it) with fetch.
    const [result, local] = await Promise.all([
      curl(dev().functionUrl('SendNumbersWithPause'), { sigv4: true }),
      timedFetch(`${dev().baseUrl}/invoke`, { method: 'POST', body: '"this is not used"' }),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.status).toBe(200);
    // No prelude: the runtime's default content type.
    expect(result.headers['content-type']).toBe('application/octet-stream');
    expect(result.body.toString('utf8')).toBe('1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n');
    expect(result.body.length).toBe(21);
    expect(createHash('sha256').update(result.body).digest('hex')).toBe(BODY_SHA256);

    // Causality: each number arrives before the function (sleeping 1 s after each) writes the next.
    const lines = result.lines;
    expect(lines.map((line) => line.text)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    for (const gap of gaps(lines)) expect(gap).toBeGreaterThanOrEqual(600);
    // The first byte comes right away (cold start included), long before the ~10 s the whole body takes.
    const firstByte = result.firstByteAt! - result.startedAt;
    expect(firstByte).toBeLessThan(3_000);
    expect(lines.at(-1)!.at - result.firstByteAt!).toBeGreaterThanOrEqual(7_000);

    expect(local.status).toBe(200);
    expect(createHash('sha256').update(local.body).digest('hex')).toBe(BODY_SHA256);
    expect(local.lines).toHaveLength(10);
    for (const gap of gaps(local.lines)) expect(gap).toBeGreaterThanOrEqual(600);
  }, 40_000);

  it('stops on SIGINT with exit code 0 and leaves no runtime process behind', async () => {
    const server = dev();
    // The previous test left warm execution environments: runtime processes (bootstrap.js) under sluice dev,
    // beside esbuild's service process.
    const tree = descendants(server.pid);
    const runtimes = tree.filter((process) => /bootstrap/.test(process.command));
    expect(runtimes.length, JSON.stringify(tree)).toBeGreaterThan(0);
    const result = await server.stop();
    expect(result, server.output()).toEqual({ code: 0, signal: null });
    // Give the kernel a moment to reap anything that was signalled on the way out.
    const deadline = Date.now() + 3_000;
    while (tree.some(isAlive) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tree.filter(isAlive)).toEqual([]);
  });
});
