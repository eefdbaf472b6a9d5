/**
 * Parity with AWS's own Node runtime client: for awslambda-style handlers, the Runtime API traffic of
 * sluice's runtime equals what aws-lambda-ric 3.3.0 sent for the same scenario (test/fixtures/ric/, recorded
 * by scripts/record-ric-fixtures.ts), modulo request ids, addresses, dates, header order and the headers that
 * name the client (test/support/traffic.ts lists them, with reasons).
 *
 * Where sluice deliberately does better than ric, the difference is asserted here, then taken out before the
 * comparison, so every other byte still has to match.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  killScenarioProcesses,
  loadScenarios,
  RIC_BIN,
  runScenario,
  SCENARIO_DIR,
  type Scenario,
} from '../../test/support/ric-scenarios.js';
import { BOOTSTRAP, REPO_ROOT } from '../../test/support/run-bootstrap.js';
import {
  compareTraffic,
  type NormalizedRequest,
  type NormalizedTraffic,
  readRicFixture,
} from '../../test/support/traffic.js';

afterAll(killScenarioProcesses);

const header = (request: NormalizedRequest, name: string) => request.headers.find(([n]) => n === name)?.[1];
const withoutHeader = (request: NormalizedRequest, name: string): NormalizedRequest => ({
  ...request,
  headers: request.headers.filter(([n]) => n !== name),
});

/**
 * sluice's intended improvements over ric, per scenario: each asserts what sluice sends, then rewrites it to
 * what ric sent.
 */
const IMPROVEMENTS: Record<string, (traffic: NormalizedTraffic) => NormalizedTraffic> = {
  // AWS's OpenAPI spec passes the error type in a header of /error; ric leaves it out (runtime-api.md §1.4).
  'buffered-error': (traffic) =>
    traffic.map((request) => {
      if (!request.path.endsWith('/error')) return request;
      expect(header(request, 'lambda-runtime-function-error-type')).toBe('Error');
      return withoutHeader(request, 'lambda-runtime-function-error-type');
    }),
  // ric classifies only CommonJS's MODULE_NOT_FOUND; an ESM import of a missing package is an import error too.
  'init-import-error-esm': (traffic) =>
    traffic.map((request) => {
      expect(header(request, 'lambda-runtime-function-error-type')).toBe('Runtime.ImportModuleError');
      expect(request.body).toMatchObject({
        kind: 'error',
        error: { errorType: 'Runtime.ImportModuleError' },
      });
      const body = request.body as { kind: 'error'; error: { errorMessage: string; trace: string[] } };
      // ric: errorType Error with the bare message; sluice: the error as a string, as ric does for CommonJS.
      expect(body.error.errorMessage).toMatch(/^Error \[ERR_MODULE_NOT_FOUND\]: /);
      expect(body.error.trace[0]).toBe(`Runtime.ImportModuleError: ${body.error.errorMessage}`);
      return {
        ...request,
        headers: request.headers.map(([n, v]) =>
          n === 'lambda-runtime-function-error-type' ? [n, 'Error'] : [n, v],
        ),
        body: {
          kind: 'error',
          error: {
            ...body.error,
            errorType: 'Error',
            errorMessage: body.error.errorMessage.replace(/^Error \[ERR_MODULE_NOT_FOUND\]: /, ''),
            trace: [
              body.error.trace[0]!.replace(/^Runtime\.ImportModuleError: /, ''),
              ...body.error.trace.slice(1),
            ],
          },
        },
      } as NormalizedRequest;
    }),
};

const scenarios = loadScenarios();

describe('sluice sends what aws-lambda-ric sends', () => {
  it('covers every recorded scenario', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(14);
  });

  it.each(scenarios.map((scenario): [string, Scenario] => [scenario.name, scenario]))(
    '%s',
    async (_name, scenario) => {
      const fixture = readRicFixture(scenario.name);
      const run = await runScenario(scenario, [process.execPath, BOOTSTRAP]);
      expect(run.exitCode).toBe(fixture.exitCode);
      const traffic = IMPROVEMENTS[scenario.name]?.(run.traffic) ?? run.traffic;
      const comparison = compareTraffic(fixture.traffic, traffic, {
        expected: 'aws-lambda-ric',
        actual: 'sluice',
      });
      expect(comparison.diff).toBe('');
    },
  );
});

describe('on AWS’s managed runtime (aws-lambda-ric)', () => {
  it('is installed for this suite (npm run setup:ric)', () => {
    expect(existsSync(RIC_BIN)).toBe(true);
  });

  it('runs a streamingHandler unchanged, prelude and body intact', async () => {
    // The same export must work where AWS's runtime, not sluice's, calls it with its own response stream.
    const scenario: Scenario = {
      name: 'sluice-streaming-handler',
      taskRoot: path.relative(SCENARIO_DIR, path.join(REPO_ROOT, 'src/runtime/test-fixtures')),
      handler: 'streaming-handler.handler',
      invocations: [{ requestId: 'req-managed', event: { name: 'managed' } }],
      expectExit: null,
    } as Scenario;
    const run = await runScenario(scenario, [process.execPath, RIC_BIN, scenario.handler]);
    expect(run.outcome).toBe('served');
    const post = run.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/2018-06-01/runtime/invocation/req-managed/response');
    expect(post.headers).toContainEqual([
      'Content-Type',
      'application/vnd.awslambda.http-integration-response',
    ]);
    expect(post.body.toString('latin1')).toBe(
      `{"statusCode":200,"headers":{"Content-Type":"text/plain"}}${'\0'.repeat(8)}hello managed\nbye\n`,
    );
    expect(post.trailers).toEqual([]);
  });
});
