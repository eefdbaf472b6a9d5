// Proposed test/support/traffic.test.ts (not committed: outside the paths I own). Imports are relative to
// test/support/ once moved there.
import { describe, expect, it } from 'vitest';
import type { RawRequest } from './raw-http.js';
import { loadScenarios, scenarioReplacements, scenarioRequestIds } from './ric-scenarios.js';
import { compareTraffic, normalizeTraffic, parseFixtureRequests, readRicFixture } from './traffic.js';

function request(partial: Partial<RawRequest>): RawRequest {
  return {
    raw: Buffer.alloc(0),
    method: 'POST',
    path: '/2018-06-01/runtime/invocation/id-1/response',
    headers: [],
    body: Buffer.alloc(0),
    bodyLength: 0,
    chunkSizes: [],
    trailers: [],
    chunked: true,
    ...partial,
  };
}

describe('normalizeTraffic', () => {
  it('drops transport headers, lower-cases and sorts the rest, and replaces request ids', () => {
    const [normalized] = normalizeTraffic(
      [
        request({
          headers: [
            ['Trailer', 'Lambda-Runtime-Function-Error-Type'],
            ['Host', '127.0.0.1:1234'],
            ['Content-Type', 'application/octet-stream'],
            ['Connection', 'keep-alive'],
            ['Trailer', 'Lambda-Runtime-Function-Error-Body'],
          ],
          body: Buffer.from('hi'),
        }),
      ],
      { requestIds: ['id-1'] },
    );
    expect(normalized).toEqual({
      method: 'POST',
      path: '/2018-06-01/runtime/invocation/<request-id-1>/response',
      chunked: true,
      headers: [
        ['content-type', 'application/octet-stream'],
        ['trailer', 'Lambda-Runtime-Function-Error-Body'],
        ['trailer', 'Lambda-Runtime-Function-Error-Type'],
      ],
      body: { kind: 'text', text: 'hi' },
      trailers: [],
    });
  });

  it('decodes the error-body trailer and keeps the first trace line only', () => {
    const document = {
      errorType: 'Error',
      errorMessage: 'boom',
      trace: ['Error: boom', '    at x (/a.js:1:1)'],
    };
    const [normalized] = normalizeTraffic([
      request({
        trailers: [
          ['Lambda-Runtime-Function-Error-Type', 'Error'],
          ['Lambda-Runtime-Function-Error-Body', Buffer.from(JSON.stringify(document)).toString('base64')],
        ],
      }),
    ]);
    expect(normalized?.trailers).toEqual([
      [
        'lambda-runtime-function-error-body',
        { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom'] },
      ],
      ['lambda-runtime-function-error-type', 'Error'],
    ]);
  });

  it('splits an HTTP-integration body at the delimiter and base64-encodes binary bytes', () => {
    const body = Buffer.concat([
      Buffer.from('{"statusCode":200}'),
      Buffer.alloc(8),
      Buffer.from([0x1f, 0x8b, 0]),
    ]);
    const [normalized] = normalizeTraffic([
      request({ headers: [['Content-Type', 'application/vnd.awslambda.http-integration-response']], body }),
    ]);
    expect(normalized?.body).toEqual({
      kind: 'http-integration',
      prelude: '{"statusCode":200}',
      payload: { kind: 'base64', base64: 'H4sA', bytes: 3 },
    });
  });
});

describe('ric fixtures', () => {
  for (const scenario of loadScenarios()) {
    it(`${scenario.name}: raw requests re-normalise to the stored traffic`, () => {
      const fixture = readRicFixture(scenario.name);
      const again = normalizeTraffic(parseFixtureRequests(fixture.requests), {
        requestIds: scenarioRequestIds(scenario),
        replacements: scenarioReplacements(scenario, fixture.recordedIn),
      });
      const { equal, diff } = compareTraffic(fixture.traffic, again);
      expect(equal, diff).toBe(true);
    });
  }
});

describe('compareTraffic', () => {
  it('names each difference by location', () => {
    const fixture = readRicFixture('error-mid-stream');
    const changed = structuredClone(fixture.traffic);
    changed[1]!.headers.push(['x-extra', '1']);
    const { equal, diff } = compareTraffic(fixture.traffic, changed, { expected: 'ric', actual: 'sluice' });
    expect(equal).toBe(false);
    expect(diff).toBe('[1].headers: only sluice has ["x-extra","1"]');
  });
});
