/**
 * The command line in-process (runCli with captured output), and `sluice init` end to end: the scaffold's
 * template parses, it archives, its zip runs under AWS's Node runtime client, and its own test passes.
 */
import { execFileSync } from 'node:child_process';
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
import { afterAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  RIC_BIN,
  runScenario,
  SCENARIO_DIR,
  type Scenario,
} from '../../test/support/ric-scenarios.js';
import { extractZip } from '../archive/extract.js';
import { readZip } from '../archive/zip.js';
import { loadProject } from '../template/load-project.js';
import { EXIT_CODES, runCli } from './run-cli.js';
import { projectNameProblem, scaffoldProject, sluiceDependency } from './scaffold.js';

const work = mkdtempSync(path.join(tmpdir(), 'sluice-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI in `cwd`, capturing stdout and stderr. */
async function cli(argv: string[], cwd = work) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, (text) => (stdout += text), { err: (text) => (stderr += text), cwd });
  return { code, stdout, stderr };
}

/** Links what an installed project would have in node_modules: sluice itself, TypeScript, Node's types. */
function linkNodeModules(project: string): void {
  mkdirSync(path.join(project, 'node_modules/@types'), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(project, 'node_modules/sluice'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules/typescript'), path.join(project, 'node_modules/typescript'));
  symlinkSync(
    path.join(REPO_ROOT, 'node_modules/@types/node'),
    path.join(project, 'node_modules/@types/node'),
  );
}

describe('sluice', () => {
  it('prints help and the version, exit code 0', async () => {
    expect(await cli([])).toMatchObject({ code: 0, stdout: expect.stringContaining('sluice init [name]') });
    expect(await cli(['--version'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/),
    });
    expect(await cli(['help', 'archive'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: sluice archive'),
    });
  });

  it('exits 2 on an unknown command or option, with the usage', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({
      code: EXIT_CODES.usage,
      stderr: expect.stringContaining("sluice: unknown command 'frobnicate'"),
    });
    const unknown = await cli(['archive', '--frobnicate']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toMatch(/^sluice archive: Unknown option '--frobnicate'\n\nUsage: sluice archive/);
    expect((await cli(['init', 'a', 'b'])).stderr).toMatch(/^sluice init: unexpected argument 'b'/);
    expect((await cli(['init', 'x', '--template', 'lambda'])).stderr).toMatch(
      /unknown template 'lambda': use function-url or api-gateway/,
    );
  });

  it('prints --help for each command', async () => {
    for (const command of ['init', 'archive', 'runtime']) {
      const { code, stdout } = await cli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: sluice ${command}`));
    }
  });

  it('exits 1 with the file and line when the template is broken', async () => {
    const dir = path.join(work, 'broken');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'template.yaml'), 'Resources:\n  Fn:\n    Type: [oops\n');
    const { code, stderr } = await cli(['archive', 'broken']);
    expect(code).toBe(EXIT_CODES.failure);
    expect(stderr).toMatch(
      /^sluice archive: \S*broken\/template\.yaml:\d+:\d+: .* \[SLUICE_TEMPLATE_SYNTAX\]\n$/s,
    );
  });
});

describe('sluice init', () => {
  it('scaffolds a function-url project', async () => {
    const { code, stdout } = await cli(['init', 'my-stream']);
    expect(code).toBe(0);
    const dir = path.join(work, 'my-stream');
    expect(stdout).toContain('Created my-stream (function-url) in my-stream:');
    expect(stdout).toContain('  cd my-stream\n  npm install\n');
    for (const file of [
      '.gitignore',
      'README.md',
      'package.json',
      'src/handler.test.ts',
      'src/handler.ts',
      'template.yaml',
      'tsconfig.json',
    ]) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: 'my-stream',
      type: 'module',
      scripts: { dev: 'sluice dev', archive: 'sluice archive', test: expect.stringContaining('node --test') },
      dependencies: { sluice: `file:${path.resolve(REPO_ROOT)}` },
      devDependencies: { typescript: expect.any(String), '@types/node': expect.any(String) },
    });
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('# my-stream');
    expect(readme).toContain('curl --no-buffer --aws-sigv4 "aws:amz:$AWS_REGION:lambda"');
    expect(readme).not.toMatch(/\{\{\w+\}\}/);
  });

  it('refuses a directory that is not empty, and a bad name', async () => {
    const dir = path.join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.md'), 'mine');
    const taken = await cli(['init', 'taken']);
    expect(taken.code).toBe(EXIT_CODES.failure);
    expect(taken.stderr).toMatch(
      /taken is not empty \(notes\.md\); sluice init does not overwrite files.*\[SLUICE_INIT_NOT_EMPTY\]/,
    );
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('mine');
    const bad = await cli(['init', 'My_Stream']);
    expect(bad.stderr).toMatch(
      /"My_Stream" cannot name the project: .*for example my-stream \[SLUICE_INIT_INVALID_NAME\]/,
    );
    expect(projectNameProblem('ok-name-2')).toBeUndefined();
  });

  it('says so when the templates are missing from the package', async () => {
    const empty = path.join(work, 'no-templates');
    mkdirSync(empty);
    await expect(
      scaffoldProject({ directory: path.join(work, 'orphan'), templatesDir: empty }),
    ).rejects.toMatchObject({
      code: 'SLUICE_INIT_TEMPLATES_MISSING',
      message: expect.stringMatching(/the function-url template is missing from .*; reinstall sluice/),
    });
  });

  it('scaffolds into the current directory when it is empty (a .git is fine)', async () => {
    const dir = path.join(work, 'here-app');
    mkdirSync(path.join(dir, '.git'), { recursive: true });
    const { code, stdout } = await cli(['init'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Created here-app (function-url) in .:');
    expect(stdout).not.toContain('cd ');
  });

  it('depends on this sluice checkout when run from source, on the version when installed', async () => {
    // Regression: the scaffold depended on "sluice": "^0.1.0", which the registry does not have, so
    // `npm install` in a project made from a source checkout failed with E404.
    const dir = path.join(work, 'dependency');
    await scaffoldProject({ directory: dir });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies.sluice).toBe(`file:${path.resolve(REPO_ROOT)}`);
    expect(sluiceDependency('/srv/app/node_modules/sluice/')).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(sluiceDependency('/home/me/sluice/')).toBe('file:/home/me/sluice');
  });

  it('makes a template that loads: a TypeScript function with a streaming AWS_IAM function URL', async () => {
    const dir = path.join(work, 'parsed-url');
    await scaffoldProject({ directory: dir });
    const project = await loadProject(dir);
    expect(project.warnings).toEqual([]);
    expect(project.functions).toHaveLength(1);
    const [fn] = project.functions;
    expect(fn!.code).toEqual({ kind: 'source', entry: path.join(dir, 'src/handler.ts') });
    expect(fn!.handler).toBe('src/handler.handler');
    expect(fn!.url).toEqual({
      logicalId: 'StreamingFunctionUrl',
      authType: 'AWS_IAM',
      invokeMode: 'RESPONSE_STREAM',
    });
    expect(fn!.definition).toMatchObject({
      name: 'StreamingFunction',
      handler: 'handler',
      timeout: 30,
      memorySize: 128,
    });
  });

  it('makes an api-gateway template whose route streams', async () => {
    const dir = path.join(work, 'parsed-api');
    const { files } = await scaffoldProject({ directory: dir, template: 'api-gateway' });
    expect(files).toContain('template.yaml');
    const project = await loadProject(dir);
    expect(project.warnings).toEqual([]);
    expect(project.functions[0]!.events).toEqual([
      {
        name: 'Stream',
        kind: 'Api',
        path: '/stream',
        method: 'GET',
        apiLogicalId: 'StreamingApi',
        streaming: true,
      },
    ]);
    expect(project.apis).toEqual([
      {
        logicalId: 'StreamingApi',
        kind: 'REST',
        stageName: 'prod',
        implicit: false,
        routes: [{ path: '/stream', method: 'GET', functionLogicalId: 'StreamingFunction', streaming: true }],
      },
    ]);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable in the README.
    expect(readme).toContain('curl --no-buffer "${URL}?name=you"');
  });

  it('archives with `sluice archive`, and the zip streams under AWS’s Node runtime client', async () => {
    const dir = path.join(work, 'archived');
    await scaffoldProject({ directory: dir });
    linkNodeModules(dir);
    const { code, stdout, stderr } = await cli(['archive'], dir);
    expect(code, stderr).toBe(0);
    const zip = path.join(dir, '.sluice/archive/StreamingFunction/StreamingFunction.zip');
    expect(stdout).toBe(
      `.sluice/archive/StreamingFunction/StreamingFunction.zip\t${readFileSync(zip).length}\n`,
    );
    expect(stderr).toMatch(
      /^Packaging template\.yaml\n\[1\/1\] StreamingFunction: bundling src\/handler\.ts\n\[1\/1\] StreamingFunction: [\d.]+ KiB \(1 file, [\d.]+ KiB unzipped\) in \d+ ms\n/,
    );
    expect(stderr).toContain('Handler: src/handler.handler');
    expect(stderr).toContain('--runtime nodejs20.x --architectures arm64 --handler src/handler.handler');
    expect(readZip(readFileSync(zip)).map((entry) => entry.name)).toEqual(['src/handler.mjs']);

    const taskRoot = path.join(work, 'archived-unpacked');
    await extractZip(zip, taskRoot);
    const run = await runScenario(
      {
        name: 'init-archive',
        taskRoot: path.relative(SCENARIO_DIR, taskRoot),
        handler: 'src/handler.handler',
        invocations: [{ requestId: 'req-init', event: { queryStringParameters: { name: 'ric' } } }],
        expectExit: null,
      } as Scenario,
      [process.execPath, RIC_BIN, 'src/handler.handler'],
    );
    expect(run.outcome, run.stderr).toBe('served');
    const body = run.requests.find((request) => request.method === 'POST')!.body.toString();
    expect(body).toBe(
      `{"statusCode":200,"headers":{"Content-Type":"text/plain; charset=utf-8","Cache-Control":"no-cache"}}${'\0'.repeat(8)}Number: 1\nNumber: 2\nNumber: 3\nHello, ric! (request req-init)\n`,
    );

    const withRuntime = await cli(['archive', '--sluice-runtime', '--minify', '-o', 'out'], dir);
    expect(withRuntime.code, withRuntime.stderr).toBe(0);
    expect(withRuntime.stderr).toContain(
      'set AWS_LAMBDA_EXEC_WRAPPER=/var/task/sluice-exec-wrapper on the function',
    );
    expect(
      readZip(readFileSync(path.join(dir, 'out/StreamingFunction/StreamingFunction.zip'))).map((e) => e.name),
    ).toEqual(['sluice-exec-wrapper', 'sluice-runtime/bootstrap.mjs', 'src/handler.mjs']);
  });

  it('passes its own test (tsc, then node --test)', () => {
    const dir = path.join(work, 'tested');
    return scaffoldProject({ directory: dir }).then(() => {
      linkNodeModules(dir);
      execFileSync(
        process.execPath,
        [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
        {
          cwd: dir,
          stdio: 'pipe',
        },
      );
      const output = execFileSync(process.execPath, ['--test', 'dist/handler.test.js'], {
        cwd: dir,
        stdio: 'pipe',
      }).toString();
      expect(output).toMatch(/# pass 2\n/);
      expect(output).toMatch(/# fail 0\n/);
    });
  });
});
