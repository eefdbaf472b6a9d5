/**
 * Records what the official Node runtime client (aws-lambda-ric 3.3.0) sends to the Runtime API for each
 * scenario of test/fixtures/ric-scenarios/scenarios.json, into test/fixtures/ric/<scenario>.json.
 *
 * Usage (after `bash scripts/setup-ric.sh`):
 *   npx tsx scripts/record-ric-fixtures.ts             # every scenario
 *   npx tsx scripts/record-ric-fixtures.ts prelude ... # only these
 *   npx tsx scripts/record-ric-fixtures.ts --check     # record into memory and fail if a fixture would change
 *
 * Re-running is stable: the fixture keeps its recording date unless its content changed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  killScenarioProcesses,
  loadScenarios,
  REPO_ROOT,
  RIC_BIN,
  RIC_PACKAGE_JSON,
  ricCommand,
  runScenario,
  type Scenario,
  type ScenarioRun,
  scenarioTaskRoot,
} from '../test/support/ric-scenarios.js';
import {
  compareTraffic,
  type FixtureRequest,
  formatJson,
  RIC_FIXTURE_DIR,
  type RicFixture,
} from '../test/support/traffic.js';

const RIC_VERSION = '3.3.0';

function fail(message: string): never {
  console.error(`record-ric-fixtures: ${message}`);
  process.exit(1);
}

// A Ctrl-C or kill must not leave runtimes blocked on GET /next behind; process.exit runs the exit hook too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killScenarioProcesses();
    process.exit(130);
  });
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((arg) => !arg.startsWith('--'));

if (!existsSync(RIC_BIN)) fail(`${RIC_BIN} is missing; run: bash scripts/setup-ric.sh`);
const installed = (JSON.parse(readFileSync(RIC_PACKAGE_JSON, 'utf8')) as { version: string }).version;
if (installed !== RIC_VERSION) fail(`expected aws-lambda-ric ${RIC_VERSION}, found ${installed}`);

const scenarios = loadScenarios();
const unknown = only.filter((name) => !scenarios.some((s) => s.name === name));
if (unknown.length > 0) fail(`unknown scenario(s): ${unknown.join(', ')}`);
const selected = only.length > 0 ? scenarios.filter((s) => only.includes(s.name)) : scenarios;

/** The raw request for humans: head-only substitutions keep the file stable and still parseable. */
function fixtureRequests(run: ScenarioRun): FixtureRequest[] {
  return run.requests.map((request) => {
    const raw = request.raw.toString('latin1');
    const headEnd = raw.indexOf('\r\n\r\n');
    const head = raw
      .slice(0, headEnd)
      .split(run.address)
      .join('<runtime-api>')
      .split(REPO_ROOT)
      .join('<repo>');
    return { connection: request.connection, chunkSizes: request.chunkSizes, raw: head + raw.slice(headEnd) };
  });
}

function checkOutcome(scenario: Scenario, run: ScenarioRun): void {
  const detail = `\n--- stderr ---\n${run.stderr}\n--- stdout ---\n${run.stdout}`;
  if (scenario.expectExit === null && run.outcome !== 'served') {
    throw new Error(
      `${scenario.name}: expected the runtime to keep serving, but it exited (${run.exitCode})${detail}`,
    );
  }
  if (scenario.expectExit !== null && (run.outcome !== 'exited' || run.exitCode !== scenario.expectExit)) {
    throw new Error(
      `${scenario.name}: expected exit ${scenario.expectExit}, got ${run.outcome} (code ${run.exitCode}, signal ${run.signal})${detail}`,
    );
  }
}

/** Everything but the date, to decide whether a re-recording changed anything. */
function content(fixture: RicFixture): string {
  const { recordedOn: _date, ...rest } = fixture;
  return JSON.stringify(rest);
}

const FIXTURE_DIR = fileURLToPath(RIC_FIXTURE_DIR);
let changed = 0;
for (const scenario of selected) {
  const run = await runScenario(scenario, ricCommand(scenario));
  checkOutcome(scenario, run);
  const file = `${FIXTURE_DIR}${scenario.name}.json`;
  const fixture: RicFixture = {
    scenario: scenario.name,
    recordedWith: { runtime: 'aws-lambda-ric', version: installed, node: process.version },
    recordedOn: new Date().toISOString().slice(0, 10),
    recordedIn: REPO_ROOT,
    taskRoot: relative(REPO_ROOT, scenarioTaskRoot(scenario)),
    handler: scenario.handler,
    exitCode: run.outcome === 'exited' ? run.exitCode : null,
    traffic: run.traffic,
    requests: fixtureRequests(run),
  };
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RicFixture) : undefined;
  if (previous && content(previous) === content(fixture)) {
    console.log(`  unchanged  ${scenario.name}`);
    continue;
  }
  changed++;
  if (check) {
    const { diff } = previous
      ? compareTraffic(previous.traffic, fixture.traffic, { expected: 'fixture', actual: 'recorded' })
      : { diff: '(no fixture yet)' };
    console.log(
      `  CHANGED    ${scenario.name}\n${diff || '(traffic equal; raw requests or metadata differ)'}`,
    );
    continue;
  }
  writeFileSync(file, formatJson(fixture));
  console.log(`  ${previous ? 'updated' : 'created'}    ${scenario.name}  (${run.requests.length} requests)`);
}
if (check && changed > 0) fail(`${changed} fixture(s) differ from a fresh recording`);
console.log(
  `${selected.length} scenario(s) recorded with aws-lambda-ric ${installed} on Node ${process.version}`,
);
