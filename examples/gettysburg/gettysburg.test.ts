import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { curl, gaps } from '../support/curl.js';
import { useDevServer } from '../support/dev-server.js';
import { timedFetch } from '../support/fetch.js';

// The same handler behind a RESPONSE_STREAM URL and a BUFFERED URL, both called at once through `sluice dev`:
// the streamed one shows the first sentence at once, the buffered one nothing until all eight are written.

const BODY_SHA256 = '89b23fd93164f8c4437f755147946336fbfd98f74662dd438c3bafb7931b47e9';
const FIRST_SENTENCE =
  'Fourscore and seven years ago our fathers brought forth on this continent, a new nation, conceived in Liberty, and dedicated to the proposition that all men are created equal.';

describe('gettysburg', () => {
  const dev = useDevServer('gettysburg');

  it('streams one sentence a second while the buffered twin answers only at the end', async () => {
    const [streamed, buffered] = await Promise.all([
      curl(dev().functionUrl('GettysburgStreaming')),
      timedFetch(dev().functionUrl('GettysburgBuffered')),
    ]);

    // The same 1 451 bytes and content type from both.
    expect(streamed.exitCode, streamed.stderr).toBe(0);
    expect(streamed.status).toBe(200);
    expect(buffered.status).toBe(200);
    expect(streamed.headers['content-type']).toBe('text/plain');
    expect(buffered.headers.get('content-type')).toBe('text/plain');
    for (const body of [streamed.body, buffered.body]) {
      expect(body.length).toBe(1451);
      expect(createHash('sha256').update(body).digest('hex')).toBe(BODY_SHA256);
    }
    expect(streamed.lines).toHaveLength(8);
    expect(streamed.lines[0]!.text).toBe(FIRST_SENTENCE);

    // Streamed: the first sentence right away (cold start included), then one a second.
    const streamedFirstByte = streamed.firstByteAt! - streamed.startedAt;
    expect(streamedFirstByte).toBeLessThan(3_000);
    for (const gap of gaps(streamed.lines)) expect(gap).toBeGreaterThanOrEqual(600);

    // Buffered: nothing, not even the head, until the handler has written all eight and returned (≥ 8 s).
    const bufferedHead = buffered.headAt - buffered.startedAt;
    const bufferedFirstByte = buffered.firstByteAt! - buffered.startedAt;
    expect(bufferedHead).toBeGreaterThanOrEqual(7_000);
    expect(bufferedFirstByte).toBeGreaterThanOrEqual(7_000);
    expect(buffered.headers.get('content-length')).toBe('1451');
    // The difference in time to first byte the example exists to show.
    expect(bufferedFirstByte - streamedFirstByte).toBeGreaterThanOrEqual(5_000);
  }, 40_000);
});
