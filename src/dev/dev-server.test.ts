/**
 * `startDev` end to end, in-process: real esbuild builds, a real emulator on port 0, real runtime processes;
 * requests with fetch and with sluice's own invoke client.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createZip } from '../archive/zip.js';
import { trackedProcessGroups } from '../emulator/child-processes.js';
import { DEFAULT_CREDENTIALS } from '../emulator/http/credentials.js';
import type { LogEntry } from '../emulator/logger.js';
import { type DevOptions, type DevServer, resolveListen, startDev } from './dev-server.js';
import { DevError, DevErrorCode } from './errors.js';
import { invokeFunction } from './invoke-client.js';

const work = await mkdtemp(path.join(tmpdir(), 'sluice-dev-'));
afterAll(() => rm(work, { recursive: true, force: true }));

let servers: DevServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

let projects = 0;
/** A project directory with these files. */
async function project(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = path.join(work, `project-${++projects}`);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

let saves = 0;
/**
 * Saves a file as many editors do, atomically (a temporary file renamed over it): a watcher never sees it
 * half written, so each save is one change.
 */
async function save(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${++saves}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, file);
}

interface Running {
  server: DevServer;
  out: () => string;
  err: () => string;
  logs: LogEntry[];
  /** Resolves once what `out` (or `err`) printed after the last `mark()` matches. */
  waitFor: (pattern: RegExp, stream?: 'out' | 'err') => Promise<RegExpMatchArray>;
  /** Forgets what was printed so far, for `waitFor`. */
  mark: () => void;
}

async function dev(target: string, options: Partial<DevOptions> = {}): Promise<Running> {
  let out = '';
  let err = '';
  const logs: LogEntry[] = [];
  const waiters: Array<() => void> = [];
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const server = await startDev({
    target,
    port: 0,
    watch: false,
    env: {},
    out: (text) => {
      out += text;
      notify();
    },
    err: (text) => {
      err += text;
      notify();
    },
    logger: (entry) => logs.push(entry),
    ...options,
  });
  servers.push(server);
  let marks = { out: 0, err: 0 };
  const mark = () => {
    marks = { out: out.length, err: err.length };
  };
  const waitFor = async (pattern: RegExp, stream: 'out' | 'err' = 'out') => {
    for (;;) {
      const match = (stream === 'out' ? out.slice(marks.out) : err.slice(marks.err)).match(pattern);
      if (match) return match;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { server, out: () => out, err: () => err, logs, waitFor, mark };
}

/** Invokes through the Lambda API (Invoke): the status, the function error header and the body. */
async function invoke(server: DevServer, name: string, event: unknown = {}) {
  const response = await fetch(`${server.url}/2015-03-31/functions/${name}/invocations`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
  return {
    status: response.status,
    functionError: response.headers.get('x-amz-function-error'),
    body: await response.text(),
  };
}

const STREAMING = (text: string) =>
  `export const handler = awslambda.streamifyResponse(async (event, stream) => {\n  stream.write(${JSON.stringify(text)});\n  stream.end();\n});\n`;

describe('startDev', () => {
  it('serves a handler file with a RESPONSE_STREAM function URL and prints the table, then the serving line', async () => {
    const dir = await project({ 'hello.ts': STREAMING('hello') });
    const { server, out } = await dev(path.join(dir, 'hello.ts'));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = out();
    expect(text).toMatch(/^sluice dev: \S*hello\.ts \(1 function, ready in \d+ ms\)\n/);
    expect(text).toContain(`  hello  function URL, RESPONSE_STREAM, AuthType NONE\n`);
    expect(text).toContain(`    curl --no-buffer ${server.url}/lambda-url/hello/\n`);
    expect(text.endsWith(`sluice dev is serving at ${server.url} (Ctrl-C to stop)\n`)).toBe(true);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(server.endpoints.map((row) => row.kind)).toEqual(['function-url', 'lambda-api', 'local-invoke']);
    expect(server.functions).toMatchObject([
      { name: 'hello', kind: 'bundle', status: 'ok', handler: 'index.handler' },
    ]);

    const response = await fetch(`${server.url}/lambda-url/hello/`);
    expect(await response.text()).toBe('hello');
    const local = await fetch(`${server.url}/invoke`, { method: 'POST', body: '{}' });
    expect(await local.text()).toBe('hello');
  });

  it('maps a template: FunctionName, AWS_IAM URLs, REST routes (implicit Prod stage), HttpApi routes', async () => {
    const dir = await project({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
Resources:
  Streamer:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: my-streamer
      CodeUri: src/
      Handler: stream.handler
      FunctionUrlConfig:
        AuthType: AWS_IAM
        InvokeMode: RESPONSE_STREAM
  Items:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: items.handler
      Events:
        Get:
          Type: Api
          Properties:
            Path: /items/{id}
            Method: get
        Http:
          Type: HttpApi
          Properties:
            Path: /things
            Method: post
`,
      'src/stream.ts': STREAMING('streamed'),
      'src/items.ts':
        "export const handler = async (event: any) => ({ statusCode: 200, body: 'item ' + (event.pathParameters?.id ?? event.rawPath) });\n",
    });
    const { server, out } = await dev(dir);
    expect(server.functions.map((fn) => [fn.name, fn.logicalId])).toEqual([
      ['my-streamer', 'Streamer'],
      ['Items', 'Items'],
    ]);
    const text = out();
    expect(text).toContain('  my-streamer  function URL, RESPONSE_STREAM, AuthType AWS_IAM\n');
    expect(text).toContain(
      `--user "${DEFAULT_CREDENTIALS.accessKeyId}:${DEFAULT_CREDENTIALS.secretAccessKey}"`,
    );
    expect(text).toContain('--aws-sigv4 "aws:amz:us-east-1:lambda"');
    expect(text).toContain('REST API ServerlessRestApi, GET /items/{id}, buffered');
    expect(text).toContain(`curl --no-buffer ${server.url}/Prod/items/id\n`);
    expect(text).toContain('HTTP API ServerlessHttpApi, POST /things, payload format 2.0');
    expect(text).not.toContain('payload format 1.0');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);

    // The AWS_IAM URL refuses an unsigned request and serves a signed one.
    expect((await fetch(`${server.url}/lambda-url/my-streamer/`)).status).toBe(403);
    const chunks: Buffer[] = [];
    const signed = await invokeFunction({
      endpoint: server.url,
      via: 'url',
      functionName: 'my-streamer',
      credentials: DEFAULT_CREDENTIALS,
      onChunk: (chunk) => chunks.push(Buffer.from(chunk)),
    });
    expect(signed).toMatchObject({ ok: true, status: 200 });
    expect(Buffer.concat(chunks).toString()).toBe('streamed');

    expect(await (await fetch(`${server.url}/Prod/items/42`)).text()).toBe('item 42');
    const http = await fetch(`${server.url}/http-api/serverlesshttpapi/things`, {
      method: 'POST',
      body: '{}',
    });
    expect(await http.text()).toBe('item /things');
  });

  it('serves HttpApi events as an HTTP API: payload 2.0, no stage segment for $default, a URL and curl command', async () => {
    const dir = await project({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: src/
Resources:
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Handler: items.handler
      Events:
        GetItem:
          Type: HttpApi
          Properties:
            Path: /items/{id}
            Method: get
  Fallback:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fallback.handler
      Events:
        Everything:
          Type: HttpApi
  Legacy:
    Type: AWS::Serverless::Function
    Properties:
      Handler: legacy.handler
      Events:
        Old:
          Type: HttpApi
          Properties:
            ApiId: !Ref VersionedApi
            Path: /old/{proxy+}
            Method: ANY
            PayloadFormatVersion: '1.0'
  VersionedApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: v1
`,
      'src/items.ts': `export const handler = async (event: any) => ({
  statusCode: 200,
  body: JSON.stringify({
    version: event.version,
    rawPath: event.rawPath,
    id: event.pathParameters.id,
    method: event.requestContext.http.method,
    routeKey: event.routeKey,
  }),
});
`,
      'src/fallback.ts':
        "export const handler = async (event: any) => 'fallback ' + event.routeKey + ' ' + event.rawPath;\n",
      'src/legacy.ts':
        "export const handler = async (event: any) => ({ statusCode: 200, body: [event.version, event.httpMethod, event.path, event.pathParameters.proxy].join(' ') });\n",
    });
    const { server, out } = await dev(dir);
    const text = out();
    const api = `${server.url}/http-api/serverlesshttpapi`;
    const host = `http://serverlesshttpapi.execute-api.localhost:${server.port}`;
    expect(text).toContain('  Items     HTTP API ServerlessHttpApi, GET /items/{id}, payload format 2.0\n');
    expect(text).toContain(
      `    ${api}/items/id\n    (or ${host}/items/id)\n    curl --no-buffer ${api}/items/id\n`,
    );
    expect(text).toContain('HTTP API ServerlessHttpApi, $default (every path), payload format 2.0');
    expect(text).toContain(`curl --no-buffer ${api}/\n`);
    expect(text).toContain('HTTP API VersionedApi, ANY /old/{proxy+}, payload format 1.0');
    expect(text).toContain(`curl --no-buffer ${server.url}/http-api/versionedapi/v1/old/proxy\n`);
    expect(text).not.toContain('REST-style');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(server.endpoints.filter((row) => row.kind === 'http-route').map((row) => row.url)).toEqual([
      `${api}/items/id`,
      `${api}/`,
      `${server.url}/http-api/versionedapi/v1/old/proxy`,
    ]);

    const item = await fetch(`${api}/items/42`);
    expect(item.status).toBe(200);
    expect(await item.json()).toEqual({
      version: '2.0',
      rawPath: '/items/42',
      id: '42',
      method: 'GET',
      routeKey: 'GET /items/{id}',
    });
    // What no route matches goes to the $default route, which answers a plain string.
    const other = await fetch(`${api}/anything/else`, { method: 'POST', body: 'x' });
    expect(await other.text()).toBe('fallback $default /anything/else');
    const legacy = await fetch(`${server.url}/http-api/versionedapi/v1/old/a/b`, { method: 'PATCH' });
    expect(await legacy.text()).toBe('1.0 PATCH /v1/old/a/b a/b');
    // The REST-style /default/<path> form of earlier versions is gone.
    expect((await fetch(`${server.url}/default/items/42`)).status).toBe(404);
  });

  it('reloads when a source changes: the next invocation runs the new code', async () => {
    const dir = await project({ 'app.ts': STREAMING('one'), 'package.json': '{}' });
    const running = await dev(dir, { watch: true, watchDebounceMs: 20 });
    const { server } = running;
    expect(await (await fetch(`${server.url}/lambda-url/${path.basename(dir)}/`)).text()).toBe('one');
    running.mark();
    await save(path.join(dir, 'app.ts'), STREAMING('two'));
    await running.waitFor(/sluice dev: reloaded in \d+ ms \(\S*app\.ts changed\)\n/);
    expect(await (await fetch(`${server.url}/lambda-url/${path.basename(dir)}/`)).text()).toBe('two');
    // A file the bundle imports counts too.
    running.mark();
    await save(path.join(dir, 'text.ts'), "export const text = 'three';\n");
    await save(
      path.join(dir, 'app.ts'),
      "import { text } from './text';\nexport const handler = awslambda.streamifyResponse(async (_e, stream) => { stream.end(text); });\n",
    );
    await running.waitFor(/reloaded in \d+ ms \(\S*app\.ts changed\)\n/);
    expect(await (await fetch(`${server.url}/lambda-url/${path.basename(dir)}/`)).text()).toBe('three');
    running.mark();
    await save(path.join(dir, 'text.ts'), "export const text = 'four';\n");
    await running.waitFor(/text\.ts changed/);
    expect(await (await fetch(`${server.url}/lambda-url/${path.basename(dir)}/`)).text()).toBe('four');
  });

  it('keeps the previous build serving when a change does not build, and says why', async () => {
    const dir = await project({ 'fn.ts': STREAMING('good') });
    const reloads: string[] = [];
    const running = await dev(path.join(dir, 'fn.ts'), {
      watch: true,
      watchDebounceMs: 20,
      onReload: (result) => reloads.push(result.outcome),
    });
    const { server, err } = running;
    await save(path.join(dir, 'fn.ts'), 'export const handler = async () => {\n  return 1 +;\n};\n');
    await running.waitFor(/does not build/, 'err');
    await expect.poll(() => reloads).toEqual(['unchanged']);
    expect(err()).toMatch(
      /sluice dev: fn: does not build; the previous build keeps serving:\n[\s\S]*fn\.ts:2:\d+:/,
    );
    expect(server.functions[0]!.status).toBe('stale');
    expect(await (await fetch(`${server.url}/lambda-url/fn/`)).text()).toBe('good');
    await save(path.join(dir, 'fn.ts'), STREAMING('fixed'));
    expect((await server.reload()).outcome).toBe('reloaded');
    expect(server.functions[0]!.status).toBe('ok');
    expect(await (await fetch(`${server.url}/lambda-url/fn/`)).text()).toBe('fixed');
  });

  it('serves a function with a syntax error: invocations raise Runtime.UserCodeSyntaxError with file:line', async () => {
    const dir = await project({ 'broken.ts': 'export const handler = async () => {\n  return 1 +;\n};\n' });
    const { server, err, out } = await dev(path.join(dir, 'broken.ts'));
    expect(err()).toMatch(
      /sluice dev: broken: does not build; invocations raise Runtime\.UserCodeSyntaxError \(as Lambda's runtime would\) until it does:\n {2}✘ \[ERROR\] Unexpected ";"/,
    );
    expect(out()).toContain('note: does not build: invocations raise Runtime.UserCodeSyntaxError');
    expect(server.functions[0]).toMatchObject({ status: 'failed' });
    const result = await invoke(server, 'broken');
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.body)).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: expect.stringMatching(/^SyntaxError: \S*broken\.ts:2:\d+: Unexpected ";"$/),
    });
  });

  it('an import that does not resolve raises Runtime.ImportModuleError', async () => {
    const dir = await project({
      'needs.ts': "import { x } from './missing';\nexport const handler = async () => x;\n",
    });
    const { server } = await dev(path.join(dir, 'needs.ts'));
    expect(JSON.parse((await invoke(server, 'needs')).body)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: expect.stringContaining("Cannot find module './missing'"),
    });
  });

  it('a handler that is not exported: a warning at build, Runtime.HandlerNotFound when invoked', async () => {
    const dir = await project({ 'other.ts': 'export const main = async () => 1;\n' });
    const { server, err } = await dev(path.join(dir, 'other.ts'));
    expect(err()).toContain(
      'other.ts does not export handler (it exports main): invocations fail with Runtime.HandlerNotFound',
    );
    expect(JSON.parse((await invoke(server, 'other')).body)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
    });
  });

  it('bundles a CommonJS entry (BuildMethod esbuild) keeping its named export', async () => {
    const dir = await project({
      'template.yaml': `Resources:
  Cjs:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
      Handler: index.handler
    Metadata:
      BuildMethod: esbuild
`,
      'src/index.js': 'exports.handler = async (event) => ({ cjs: true, got: event.n });\n',
    });
    const { server } = await dev(dir);
    expect(server.functions[0]).toMatchObject({ kind: 'bundle', handler: 'index.handler' });
    expect(await invoke(server, 'Cjs', { n: 1 })).toMatchObject({
      status: 200,
      body: '{"cjs":true,"got":1}',
    });
  });

  it('unpacks a zip CodeUri under .sluice/dev and runs it', async () => {
    const zip = createZip([
      { name: 'index.mjs', data: Buffer.from('export const handler = async () => "from the zip";\n') },
    ]);
    const dir = await project({
      'template.yaml': `Resources:
  Zipped:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: build/fn.zip
      Handler: index.handler
`,
      'build/fn.zip': zip,
    });
    const { server } = await dev(dir);
    expect(server.functions[0]!.kind).toBe('zip');
    expect(server.functions[0]!.taskRoot.startsWith(path.join(dir, '.sluice', 'dev'))).toBe(true);
    expect(await invoke(server, 'Zipped')).toMatchObject({ status: 200, body: '"from the zip"' });
  });

  it('reloads everything when the template changes, and reprints the table', async () => {
    const dir = await project({
      'template.yaml': `Resources:
  First:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: ., Handler: first.handler }
`,
      'first.ts': 'export const handler = async () => 1;\n',
      'second.ts': 'export const handler = async () => 2;\n',
    });
    const running = await dev(dir, { watch: true, watchDebounceMs: 20 });
    running.mark();
    await save(
      path.join(dir, 'template.yaml'),
      `Resources:
  First:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: ., Handler: first.handler }
  Second:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: .
      Handler: second.handler
      FunctionUrlConfig: { AuthType: NONE }
`,
    );
    await running.waitFor(/reloaded in \d+ ms \(\S*template\.yaml changed\)/);
    expect(running.out()).toMatch(/serving at[\s\S]*\n {2}Second +function URL, BUFFERED, AuthType NONE\n/);
    running.mark();
    expect(await invoke(running.server, 'Second')).toMatchObject({ status: 200, body: '2' });
    // A template that no longer parses leaves everything serving, with file:line.
    await save(path.join(dir, 'template.yaml'), 'Resources:\n  First: [oops\n');
    await running.waitFor(/template\.yaml:\d+:\d+: [\s\S]*\[SLUICE_TEMPLATE_SYNTAX\]/, 'err');
    expect(await invoke(running.server, 'First')).toMatchObject({ status: 200, body: '1' });
  });

  it("reports the template's Runtime and Architectures through ListFunctions and AWS_EXECUTION_ENV", async () => {
    const template = (runtime: string) => `Resources:
  Env:
    Type: AWS::Serverless::Function
    Properties: { Runtime: ${runtime}, Architectures: [arm64], CodeUri: ., Handler: env.handler }
`;
    const dir = await project({
      'template.yaml': template('nodejs20.x'),
      'env.ts': 'export const handler = async () => process.env.AWS_EXECUTION_ENV;\n',
    });
    const running = await dev(dir, { watch: true, watchDebounceMs: 20 });
    const listed = async () =>
      (
        (await (await fetch(`${running.server.url}/2015-03-31/functions/`)).json()) as {
          Functions: Array<{ FunctionName: string; Runtime: string; Architectures: string[] }>;
        }
      ).Functions;
    expect(await listed()).toMatchObject([
      { FunctionName: 'Env', Runtime: 'nodejs20.x', Architectures: ['arm64'] },
    ]);
    expect(await invoke(running.server, 'Env')).toMatchObject({ body: '"AWS_Lambda_nodejs20.x"' });
    // A change of Runtime alone builds the same code, and still reloads.
    running.mark();
    await save(path.join(dir, 'template.yaml'), template('nodejs22.x'));
    await running.waitFor(/reloaded in \d+ ms/);
    expect(await listed()).toMatchObject([{ Runtime: 'nodejs22.x' }]);
    expect(await invoke(running.server, 'Env')).toMatchObject({ body: '"AWS_Lambda_nodejs22.x"' });
  });

  it('runs a plain JavaScript directory as it is, and restarts it when a file in it changes', async () => {
    const dir = await project({
      'template.yaml': `Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: fn/, Handler: app.handler }
`,
      'fn/app.js': "const { text } = require('./lib/text.js');\nexports.handler = async () => text;\n",
      'fn/lib/text.js': "exports.text = 'before';\n",
    });
    const running = await dev(dir, { watch: true, watchDebounceMs: 20 });
    expect(running.server.functions[0]).toMatchObject({ kind: 'directory', taskRoot: path.join(dir, 'fn') });
    expect(await invoke(running.server, 'Plain')).toMatchObject({ body: '"before"' });
    running.mark();
    await save(path.join(dir, 'fn/lib/text.js'), "exports.text = 'after';\n");
    await running.waitFor(/reloaded in \d+ ms \(\S*text\.js changed\)/);
    expect(await invoke(running.server, 'Plain')).toMatchObject({ body: '"after"' });
  });

  it('maps stack traces to the TypeScript source', async () => {
    const dir = await project({
      'throws.ts':
        'type N = number;\nexport const handler = async (): Promise<N> => {\n  throw new Error("from ts");\n};\n',
    });
    const { server } = await dev(path.join(dir, 'throws.ts'));
    const { trace } = JSON.parse((await invoke(server, 'throws')).body) as { trace: string[] };
    expect(trace.join('\n')).toMatch(/throws\.ts:3:\d+/);
  });

  it('refuses a port in use with a message naming it and suggesting --port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const dir = await project({ 'index.ts': 'export const handler = async () => 1;\n' });
    try {
      const failed = startDev({ target: dir, port, watch: false, env: {}, out: () => {}, err: () => {} });
      await expect(failed).rejects.toBeInstanceOf(DevError);
      await expect(failed).rejects.toMatchObject({
        code: DevErrorCode.portInUse,
        message: expect.stringMatching(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use.*--port`)),
      });
      // Nothing is left behind.
      expect(await readdir(path.join(dir, '.sluice', 'dev'))).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('takes the port from LOCAL_LAMBDA_PORT when none is given, and checks it', () => {
    expect(resolveListen({}, {})).toEqual({ port: 7000, host: '127.0.0.1' });
    expect(resolveListen({}, { LOCAL_LAMBDA_PORT: '8080', LOCAL_LAMBDA_HOST: '0.0.0.0' })).toEqual({
      port: 8080,
      host: '0.0.0.0',
    });
    expect(resolveListen({ port: 0 }, { LOCAL_LAMBDA_PORT: '8080' }).port).toBe(0);
    expect(() => resolveListen({}, { LOCAL_LAMBDA_PORT: 'x' })).toThrow(/LOCAL_LAMBDA_PORT must be a port/);
  });

  it('close() stops every runtime process and removes its builds', async () => {
    const dir = await project({ 'index.ts': STREAMING('bye') });
    const { server } = await dev(dir);
    await fetch(`${server.url}/lambda-url/${path.basename(dir)}/`);
    expect(trackedProcessGroups().length).toBeGreaterThan(0);
    const scratch = path.dirname(path.dirname(server.functions[0]!.taskRoot));
    expect(existsSync(scratch)).toBe(true);
    await server.close();
    expect(trackedProcessGroups()).toEqual([]);
    expect(existsSync(scratch)).toBe(false);
  });
});
