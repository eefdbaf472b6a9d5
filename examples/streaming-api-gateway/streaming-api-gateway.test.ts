import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { curl, gaps } from '../support/curl.js';
import { useDevServer } from '../support/dev-server.js';
import { timedFetch } from '../support/fetch.js';

// SendNumbersWithPause behind a REST API with responseTransferMode STREAM, through `sluice dev`: the status and
// headers come first, then one line a second.

const BODY = 'Number: 1\nNumber: 2\nNumber: 3\nStreaming complete!\n';
// The Swift example's body (examples.md §1.3), which sends the same bytes with status 418.
const BODY_SHA256 = '4e2a6e18732fc388226247d66228b010a85041dbf52129a727ba33188d582882';
const LINES = ['Number: 1', 'Number: 2', 'Number: 3', 'Streaming complete!'];

describe('streaming-api-gateway', () => {
  const dev = useDevServer('streaming-api-gateway');

  it('streams status 200, the custom header and four lines a second apart to curl (POST)', async () => {
    const result = await curl(`${dev().baseUrl}/prod/stream`, { method: 'POST', data: '"this is not used"' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('text/plain');
    expect(result.headers['x-my-custom-header']).toBe('streaming-example');
    expect(result.body.toString('utf8')).toBe(BODY);
    expect(result.body.length).toBe(50);
    expect(createHash('sha256').update(result.body).digest('hex')).toBe(BODY_SHA256);
    expect(result.lines.map((line) => line.text)).toEqual(LINES);
    // Each line arrives before the function (sleeping 1 s after each number) writes the next.
    for (const gap of gaps(result.lines)) expect(gap).toBeGreaterThanOrEqual(600);
    expect(result.firstByteAt! - result.startedAt).toBeLessThan(3_000);
  }, 30_000);

  it('streams the same bytes to fetch (GET), the head before the first number', async () => {
    const result = await timedFetch(`${dev().baseUrl}/prod/stream`);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/plain');
    expect(result.headers.get('x-my-custom-header')).toBe('streaming-example');
    expect(result.body.toString('utf8')).toBe(BODY);
    expect(result.lines.map((line) => line.text)).toEqual(LINES);
    for (const gap of gaps(result.lines)) expect(gap).toBeGreaterThanOrEqual(600);
    // fetch resolved with the head well before the end of the ~3 s body.
    expect(result.lines.at(-1)!.at - result.headAt).toBeGreaterThanOrEqual(1_800);
  }, 30_000);

  it('answers a route the API does not define with 403 Missing Authentication Token, as API Gateway does', async () => {
    const result = await timedFetch(`${dev().baseUrl}/prod/nowhere`);
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body.toString('utf8'))).toEqual({ message: 'Missing Authentication Token' });
  });
});
