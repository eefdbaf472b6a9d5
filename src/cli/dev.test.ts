/**
 * `sluice dev` and `sluice invoke` as users run them: the built CLI (`node dist/cli/bin.js`) in child
 * processes, real sockets on port 0, SIGINT to stop, /proc to check that no runtime process outlives it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'dist/cli/bin.js');
/** Only what a shell gives; no AWS_* or SLUICE_* from the test's environment. */
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

const work = await mkdtemp(path.join(tmpdir(), 'sluice-cli-dev-'));
afterAll(() => rm(work, { recursive: true, force: true }));

let projects = 0;
async function project(files: Record<string, string>): Promise<string> {
  const dir = path.join(work, `p${++projects}`);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
function sluice(args: string[], options: { cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? work,
      env: ENV,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdin.end(options.input ?? '');
    child.on('exit', (code, signal) => {
      // Let the pipes drain.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}

interface Dev {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Starts `sluice dev <target> --port 0 …` and waits for the serving line. */
function dev(target: string, args: string[] = []): Promise<Dev> {
  const child = spawn(process.execPath, [CLI, 'dev', target, '--port', '0', ...args], {
    cwd: work,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdout!.on('data', (data: Buffer) => {
      stdout += data.toString();
      const match = /sluice dev is serving at (http:\/\/\S+) /.exec(stdout);
      if (match) resolve({ child, url: match[1]!, stdout: () => stdout, stderr: () => stderr, exited });
    });
    void exited.then(({ code }) =>
      reject(new Error(`sluice dev exited with ${code}:\n${stdout}\n${stderr}`)),
    );
  });
}

/** Live descendants of a process, from /proc: pid and start time (so a reused pid does not count). */
function descendants(root: number): { pid: number; start: string }[] {
  const stat = (pid: number) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      return { state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
    } catch {
      return undefined;
    }
  };
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = stat(Number(entry));
    if (info) children.set(info.ppid, [...(children.get(info.ppid) ?? []), Number(entry)]);
  }
  const found: { pid: number; start: string }[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const info = stat(pid);
    if (info && info.state !== 'Z') found.push({ pid, start: info.start });
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function alive(process: { pid: number; start: string }): boolean {
  try {
    const text = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return fields[19] === process.start && fields[0] !== 'Z';
  } catch {
    return false;
  }
}

const STREAMING = `export const handler = awslambda.streamifyResponse(async (event, stream) => {
  for (const word of ['alpha', 'beta', 'gamma']) {
    stream.write(word + '\\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  stream.end(JSON.stringify(event));
});
`;

describe('sluice dev', () => {
  it('serves until SIGINT, then exits 0 leaving no runtime process behind', async () => {
    const dir = await project({ 'index.ts': STREAMING, 'package.json': '{"name":"app"}' });
    const server = await dev(dir);
    expect(server.stdout()).toMatch(/^sluice dev: \S+ \(1 function, ready in \d+ ms\)\n/);
    const name = path.basename(dir);
    const response = await fetch(`${server.url}/lambda-url/${name}/`);
    expect(await response.text()).toMatch(/^alpha\nbeta\ngamma\n\{"version":"2\.0"/);
    // The function's logs, prefixed with its name and the request id.
    await expect
      .poll(() => server.stderr())
      .toMatch(new RegExp(`\\[${name} [0-9a-f-]{36}\\] REPORT RequestId`));
    const tree = descendants(server.child.pid!);
    expect(tree.length).toBeGreaterThan(0);
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(tree.filter(alive)).toEqual([]);
    expect(server.stderr()).toContain('sluice dev: SIGINT: stopping\n');
    expect(readdirSync(path.join(dir, '.sluice', 'dev'))).toEqual([]);
  });

  it('exits 1 with file:line for a malformed template', async () => {
    const dir = await project({ 'template.yaml': 'Resources:\n  Fn:\n    Type: [oops\n' });
    const { code, stderr, stdout } = await sluice(['dev', dir, '--port', '0']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // One line saying where and what, then the offending line.
    expect(stderr).toMatch(
      /^sluice dev: \S*template\.yaml:\d+:\d+: [^\n]+\n[\s\S]*\[SLUICE_TEMPLATE_SYNTAX\]\n$/,
    );
  });

  it('exits 1 when the Handler names a module that does not exist', async () => {
    const dir = await project({
      'template.yaml':
        'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      CodeUri: .\n      Handler: nowhere.handler\n',
    });
    const { code, stderr } = await sluice(['dev', dir, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /template\.yaml:7:\d+: the Handler of Fn names module nowhere.*\[SLUICE_TEMPLATE_HANDLER_NOT_FOUND\]/,
    );
  });

  it('exits 1 naming the port when it is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const dir = await project({ 'index.ts': STREAMING });
      const { code, stderr } = await sluice(['dev', dir, '--port', String(port)]);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `sluice dev: port ${port} on 127.0.0.1 is in use (another sluice dev?): stop what listens there, or pick another port with --port <n> (--port 0 picks a free one) [SLUICE_DEV_PORT_IN_USE]\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('serves a function with a syntax error; invoking it fails with Runtime.UserCodeSyntaxError', async () => {
    const dir = await project({ 'handler.ts': 'export const handler = async () => {\n  return 1 +;\n};\n' });
    const server = await dev(dir, ['--no-watch']);
    expect(server.stderr()).toMatch(
      /does not build; invocations raise Runtime\.UserCodeSyntaxError[\s\S]*handler\.ts:2:\d+:/,
    );
    const result = await sluice(['invoke', path.basename(dir), '--endpoint', server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sluice invoke: \S+ failed: Unhandled: Runtime\.UserCodeSyntaxError: SyntaxError: \S*handler\.ts:2:\d+: Unexpected ";"\n$/,
    );
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });

  it('exits 2 on a bad option', async () => {
    const bad = await sluice(['dev', '--port', 'seven']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^sluice dev: --port takes a port number from 0 to 65535; got 'seven'\n\nUsage: sluice dev/,
    );
  });

  it('prints its help', async () => {
    const help = await sluice(['dev', '--help']);
    expect(help).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Usage: sluice dev \[template\.yaml/),
    });
    const top = await sluice(['--help']);
    expect(top.stdout).toContain('sluice dev [target]');
    expect(top.stdout).toContain('sluice invoke <function>');
  });
});

describe('sluice invoke', () => {
  it('prints the body as it arrives through each way in, with --timing on stderr', async () => {
    const dir = await project({
      'template.yaml': `Resources:
  Words:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: .
      Handler: words.handler
      FunctionUrlConfig: { AuthType: AWS_IAM, InvokeMode: RESPONSE_STREAM }
`,
      'words.ts': STREAMING,
      'event.json': '{"from":"file"}',
    });
    const server = await dev(dir, ['--no-watch']);
    const sdk = await sluice(
      ['invoke', 'Words', '--endpoint', server.url, '--event', 'event.json', '--timing'],
      {
        cwd: dir,
      },
    );
    expect(sdk.code, sdk.stderr).toBe(0);
    expect(sdk.stdout).toBe('alpha\nbeta\ngamma\n{"from":"file"}');
    const timing = sdk.stderr.trim().split('\n');
    expect(timing[0]).toMatch(/^\+\d+ ms first byte$/);
    expect(timing.filter((line) => /^\+\d+ ms \d+ bytes$/.test(line)).length).toBeGreaterThanOrEqual(3);
    expect(timing.at(-1)).toMatch(/^\+\d+ ms end: 32 bytes in \d+ chunks, first byte after \d+ ms$/);
    const stamps = timing.map((line) => Number(/^\+(\d+)/.exec(line)![1]));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);

    const stdin = await sluice(['invoke', 'Words', '--endpoint', server.url, '--event', '-'], {
      input: '{"from":"stdin"}',
    });
    expect(stdin.stdout).toBe('alpha\nbeta\ngamma\n{"from":"stdin"}');

    // Through the AWS_IAM function URL: signed; the event is the HTTP request.
    const url = await sluice(['invoke', 'Words', '--endpoint', server.url, '--via', 'url', '-i']);
    expect(url.code, url.stderr).toBe(0);
    expect(url.stdout).toMatch(/^alpha\nbeta\ngamma\n\{"version":"2\.0"/);
    expect(url.stderr).toMatch(/^HTTP 200\n/);

    const local = await sluice(['invoke', '--via', 'invoke', '--endpoint', server.url]);
    expect(local).toMatchObject({ code: 0, stdout: 'alpha\nbeta\ngamma\n{}' });

    const missing = await sluice(['invoke', 'Nope', '--endpoint', server.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^sluice invoke: Nope failed: ResourceNotFoundException: /);
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });

  it('exits 1 with the error when the function fails mid-stream', async () => {
    const dir = await project({
      'fails.ts':
        "export const handler = awslambda.streamifyResponse(async (_e, stream) => {\n  stream.write('partial');\n  await new Promise((r) => setTimeout(r, 20));\n  throw new RangeError('went wrong');\n});\n",
    });
    const server = await dev(dir, ['--no-watch']);
    const sdk = await sluice(['invoke', 'fails', '--endpoint', server.url]);
    expect(sdk).toMatchObject({ code: 1, stdout: 'partial' });
    expect(sdk.stderr).toMatch(/^sluice invoke: fails failed: Unhandled: RangeError: went wrong\n$/);
    const url = await sluice(['invoke', 'fails', '--endpoint', server.url, '--via', 'url']);
    expect(url).toMatchObject({ code: 1, stdout: 'partial' });
    expect(url.stderr).toMatch(/failed: Truncated: the connection closed before the response ended/);
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });

  it('starts a one-shot emulator with --target when nothing listens, and says so without one', async () => {
    const dir = await project({ 'once.ts': STREAMING });
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as { port: number };
    await new Promise((resolve) => free.close(resolve));
    const endpoint = `http://127.0.0.1:${port}`;

    const unreachable = await sluice(['invoke', 'once', '--endpoint', endpoint]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(
        `^sluice invoke: nothing answers at ${endpoint}: start \`sluice dev\`.*--target.*\\[SLUICE_INVOKE_UNREACHABLE\\]\\n$`,
      ),
    );

    const once = await sluice([
      'invoke',
      'once',
      '--endpoint',
      endpoint,
      '--target',
      path.join(dir, 'once.ts'),
    ]);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toBe('alpha\nbeta\ngamma\n{}');
    // Its logs went to stderr; its builds are gone.
    expect(once.stderr).toMatch(/\[once [0-9a-f-]{36}\] START RequestId/);
    expect(
      existsSync(path.join(dir, '.sluice', 'dev')) && readdirSync(path.join(dir, '.sluice', 'dev')),
    ).toEqual([]);
  });

  it('exits 2 on usage errors', async () => {
    expect(await sluice(['invoke'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^sluice invoke: missing the function to invoke\n\nUsage: sluice invoke/),
    });
    expect((await sluice(['invoke', 'f', '--via', 'carrier-pigeon'])).stderr).toMatch(
      /^sluice invoke: unknown --via 'carrier-pigeon': use sdk, url, invoke/,
    );
    expect((await sluice(['invoke', 'f', '--path', '/x'])).stderr).toMatch(
      /--path and --method go with --via url/,
    );
    expect((await sluice(['invoke', '--help'])).stdout).toMatch(/^Usage: sluice invoke <function>/);
  });
});
