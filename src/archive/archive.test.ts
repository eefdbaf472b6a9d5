/**
 * `sluice archive` end to end: reproducible zips, and the zips run unchanged under AWS's own Node runtime
 * client (aws-lambda-ric 3.3.0, the managed runtime's loop) with LAMBDA_TASK_ROOT at the unpacked folder, and
 * through sluice's exec wrapper (AWS_LAMBDA_EXEC_WRAPPER) with the managed runtime's command line.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValue } from '../../test/support/raw-http.js';
import {
  REPO_ROOT,
  RIC_BIN,
  runScenario,
  SCENARIO_DIR,
  type Scenario,
  type ScenarioRun,
} from '../../test/support/ric-scenarios.js';
import { PRELUDE_CONTENT_TYPE } from '../protocol/index.js';
import { loadProject } from '../template/load-project.js';
import { type ArchiveProgress, archiveProject } from './archive.js';
import { ArchiveErrorCode } from './errors.js';
import { extractZip } from './extract.js';
import { RUNTIME_LOOP } from './runtime-loop.js';
import { readZip } from './zip.js';

const work = mkdtempSync(path.join(tmpdir(), 'sluice-archive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
/**
 * A user project: `files`, plus node_modules/sluice linked to this repository, the way an installed sluice
 * resolves (package.json `exports` → dist/index.js).
 */
function userProject(files: Record<string, string>): string {
  const dir = path.join(work, `project-${++counter}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules/sluice'));
  return dir;
}

const STREAMING_TS = `import { streamingHandler } from 'sluice';

interface Greeting {
  name?: string;
}

export const handler = streamingHandler<Greeting>(async (event, writer, context) => {
  await writer.writeStatusAndHeaders({
    statusCode: 418,
    headers: { 'Content-Type': 'text/plain', 'x-my-custom-header': 'streaming-example' },
  });
  for (let i = 1; i <= 3; i++) {
    await writer.write(\`Number: \${i}\\n\`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await writer.writeAndFinish(\`Bye \${event.name ?? 'you'} (\${context.awsRequestId})\\n\`);
});
`;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  StreamingFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: src/app.handler
      Runtime: nodejs20.x
      Architectures: [arm64]
      Timeout: 10
      FunctionUrlConfig:
        AuthType: AWS_IAM
        InvokeMode: RESPONSE_STREAM
`;

const PRELUDE =
  '{"statusCode":418,"headers":{"Content-Type":"text/plain","x-my-custom-header":"streaming-example"}}';
const expectedBody = (requestId: string, name: string) =>
  `${PRELUDE}${'\0'.repeat(8)}Number: 1\nNumber: 2\nNumber: 3\nBye ${name} (${requestId})\n`;

/** Runs `handler` from `taskRoot` under `command` against a raw Runtime API serving one invocation. */
function runUnpacked(
  taskRoot: string,
  handler: string,
  command: string[],
  event: unknown,
): Promise<ScenarioRun> {
  const scenario = {
    name: 'archive',
    taskRoot: path.relative(SCENARIO_DIR, taskRoot),
    handler,
    invocations: [{ requestId: 'req-archive', event }],
    expectExit: null,
  } as Scenario;
  return runScenario(scenario, command);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('sluice archive', () => {
  let project: string;
  let zip: string;
  const progress: ArchiveProgress[] = [];

  beforeAll(async () => {
    project = userProject({
      'package.json': '{ "name": "app", "type": "module", "dependencies": { "sluice": "*" } }',
      'template.yaml': TEMPLATE,
      'src/app.ts': STREAMING_TS,
    });
    const [result] = await archiveProject(await loadProject(project), {
      onProgress: (e) => progress.push(e),
    });
    zip = result!.file;
  });

  it('writes .sluice/archive/<Function>/<Function>.zip with the bundle where the Handler points', async () => {
    expect(zip).toBe(path.join(project, '.sluice/archive/StreamingFunction/StreamingFunction.zip'));
    expect(readZip(readFileSync(zip)).map((entry) => [entry.name, entry.mode])).toEqual([
      ['src/app.mjs', 0o644],
    ]);
    expect(progress.map((event) => event.kind)).toEqual(['start', 'written']);
    const written = progress[1] as Extract<ArchiveProgress, { kind: 'written' }>;
    expect(written.result).toMatchObject({
      logicalId: 'StreamingFunction',
      handler: 'src/app.handler',
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      entries: ['src/app.mjs'],
      sluiceRuntime: false,
      sha256: sha256(zip),
    });
    expect(written.result.bytes).toBe(readFileSync(zip).length);
  });

  it('is reproducible: the same input gives the same bytes, wherever it is run from', async () => {
    const first = sha256(zip);
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      const [again] = await archiveProject(await loadProject(project), {
        outDir: path.join(work, 'elsewhere'),
      });
      expect(sha256(again!.file)).toBe(first);
    } finally {
      process.chdir(cwd);
    }
    const [third] = await archiveProject(await loadProject(project));
    expect(third!.sha256).toBe(first);
  });

  it('runs unchanged under AWS’s Node runtime client with LAMBDA_TASK_ROOT at the unpacked folder', async () => {
    expect(existsSync(RIC_BIN), 'aws-lambda-ric is missing: run `bash scripts/setup-ric.sh`').toBe(true);
    const taskRoot = path.join(work, 'unpacked-ric');
    await extractZip(zip, taskRoot);
    const run = await runUnpacked(
      taskRoot,
      'src/app.handler',
      [process.execPath, RIC_BIN, 'src/app.handler'],
      {
        name: 'ric',
      },
    );
    expect(run.outcome, run.stderr).toBe('served');
    const post = run.requests.find((request) => request.method === 'POST')!;
    expect(post.path).toBe('/2018-06-01/runtime/invocation/req-archive/response');
    expect(headerValue(post.headers, 'Content-Type')).toBe(PRELUDE_CONTENT_TYPE);
    expect(headerValue(post.headers, 'Lambda-Runtime-Function-Response-Mode')).toBe('streaming');
    expect(headerValue(post.headers, 'User-Agent') ?? '').not.toMatch(/^sluice\//);
    expect(post.body.toString()).toBe(expectedBody('req-archive', 'ric'));
  });

  it('runs sluice’s runtime loop through its exec wrapper with the managed runtime’s command line', async () => {
    const [result] = await archiveProject(await loadProject(project), {
      sluiceRuntime: true,
      outDir: path.join(work, 'with-runtime'),
    });
    expect(result!.entries).toEqual([RUNTIME_LOOP.wrapper, RUNTIME_LOOP.bootstrap, 'src/app.mjs']);
    const taskRoot = path.join(work, 'unpacked-wrapper');
    await extractZip(result!.file, taskRoot);
    // What Lambda runs: the wrapper, given the managed runtime's node binary, its flags and its entry script.
    const run = await runUnpacked(
      taskRoot,
      'src/app.handler',
      [
        path.join(taskRoot, RUNTIME_LOOP.wrapper),
        process.execPath,
        '--enable-source-maps',
        '/var/runtime/index.mjs',
      ],
      { name: 'wrapper' },
    );
    expect(run.outcome, run.stderr).toBe('served');
    const post = run.requests.find((request) => request.method === 'POST')!;
    expect(headerValue(post.headers, 'User-Agent')).toMatch(/^sluice\//);
    expect(post.body.toString()).toBe(expectedBody('req-archive', 'wrapper'));
    // Reproducible with the runtime loop too.
    const [again] = await archiveProject(await loadProject(project), {
      sluiceRuntime: true,
      outDir: path.join(work, 'with-runtime-again'),
    });
    expect(again!.sha256).toBe(result!.sha256);
  });

  it('adds a source map and minifies on request', async () => {
    const [plain] = await archiveProject(await loadProject(project), { outDir: path.join(work, 'plain') });
    const [small] = await archiveProject(await loadProject(project), {
      outDir: path.join(work, 'small'),
      minify: true,
      sourcemap: true,
    });
    expect(small!.entries).toEqual(['src/app.mjs', 'src/app.mjs.map']);
    const entries = readZip(readFileSync(small!.file));
    const code = entries.find((entry) => entry.name === 'src/app.mjs')!.data.toString();
    expect(code).toMatch(/\/\/# sourceMappingURL=app\.mjs\.map\n?$/);
    const map = JSON.parse(entries.find((entry) => entry.name === 'src/app.mjs.map')!.data.toString());
    expect(map.sources).toContain('../../../src/app.ts');
    const plainCode = readZip(readFileSync(plain!.file))[0]!.data;
    expect(code.length).toBeLessThan(plainCode.length * 0.8);
  });
});

describe('packaging JavaScript examples', () => {
  it('keeps a CommonJS handler’s named export (examples.md §2.1 style) and it runs under aws-lambda-ric', async () => {
    const project = userProject({
      'template.yaml': `Resources:
  StreamingFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
`,
      'src/index.js': `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'Content-Type': 'text/html' },
  });
  stream.write('<html>');
  stream.write('<p>' + event.who + '</p>');
  stream.end();
});
`,
    });
    const [result] = await archiveProject(await loadProject(project));
    expect(result!.entries).toEqual(['index.mjs']);
    const taskRoot = path.join(work, 'unpacked-cjs');
    await extractZip(result!.file, taskRoot);
    const run = await runUnpacked(taskRoot, 'index.handler', [process.execPath, RIC_BIN, 'index.handler'], {
      who: 'cjs',
    });
    expect(run.outcome, run.stderr).toBe('served');
    const post = run.requests.find((request) => request.method === 'POST')!;
    expect(post.body.toString()).toBe(
      `{"statusCode":200,"headers":{"Content-Type":"text/html"}}${'\0'.repeat(8)}<html><p>cjs</p>`,
    );
  });

  it('bundles the single-file project as index.mjs (Handler index.handler)', async () => {
    const project = userProject({ 'package.json': '{}', 'stream.ts': STREAMING_TS });
    const [result] = await archiveProject(await loadProject(path.join(project, 'stream.ts')));
    expect(result).toMatchObject({ logicalId: 'stream', handler: 'index.handler', entries: ['index.mjs'] });
    expect(result!.file).toBe(path.join(project, '.sluice/archive/stream/stream.zip'));
  });

  it('skips custom-runtime functions whose code is already a zip (Swift examples)', async () => {
    const progress: ArchiveProgress[] = [];
    const results = await archiveProject(
      await loadProject(path.join(REPO_ROOT, 'src/template/test-fixtures/swift-function-url')),
      { onProgress: (event) => progress.push(event) },
    );
    expect(results).toEqual([]);
    expect(progress).toEqual([
      expect.objectContaining({
        kind: 'skipped',
        logicalId: 'StreamingNumbers',
        reason: expect.stringMatching(/already a zip/),
      }),
    ]);
  });
});

describe('archive errors', () => {
  it('a syntax error is SLUICE_ARCHIVE_BUILD with esbuild’s file:line:column', async () => {
    const project = userProject({
      'handler.ts': 'export const handler = async () => {\n  return 1 +;\n};\n',
    });
    await expect(archiveProject(await loadProject(path.join(project, 'handler.ts')))).rejects.toMatchObject({
      code: ArchiveErrorCode.build,
      message: expect.stringMatching(
        /^handler: esbuild could not bundle .*handler\.ts:\n.*\[ERROR\] Unexpected ";".*handler\.ts:2:12:/s,
      ),
    });
  });

  it('an ES module without the Handler’s export is SLUICE_ARCHIVE_HANDLER_NOT_EXPORTED', async () => {
    const project = userProject({ 'handler.mts': 'export const other = async () => 1;\n' });
    await expect(archiveProject(await loadProject(path.join(project, 'handler.mts')))).rejects.toMatchObject({
      code: ArchiveErrorCode.handlerNotExported,
      message: expect.stringMatching(
        /handler\.mts does not export handler \(it exports other\), so Lambda would fail with Runtime\.HandlerNotFound/,
      ),
    });
  });

  it('an unknown function name is SLUICE_ARCHIVE_UNKNOWN_FUNCTION', async () => {
    const project = userProject({ 'handler.ts': 'export const handler = async () => 1;\n' });
    await expect(
      archiveProject(await loadProject(path.join(project, 'handler.ts')), { functions: ['Nope'] }),
    ).rejects.toMatchObject({
      code: ArchiveErrorCode.unknownFunction,
      message: expect.stringMatching(/the project has handler/),
    });
  });
});
