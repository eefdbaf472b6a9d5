import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFunctionConfig } from '../emulator/function-config.js';
import { TemplateError, TemplateErrorCode } from './errors.js';
import { loadProject, PROJECT_DEFAULTS } from './load-project.js';

const FIXTURES = fileURLToPath(new URL('./test-fixtures/', import.meta.url));

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>, name = 'sluice-project-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), name));
  temporary.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('loadProject', () => {
  it('takes a single handler file: one function named after it, streaming URL without auth, 60 s', async () => {
    const dir = project({ 'package.json': '{}', 'src/send-numbers.ts': '' });
    const loaded = await loadProject(path.join(dir, 'src/send-numbers.ts'));
    expect(loaded.root).toBe(dir);
    expect(loaded.functions).toHaveLength(1);
    const [fn] = loaded.functions;
    expect(fn!.definition).toEqual({
      name: 'send-numbers',
      code: path.join(dir, 'src/send-numbers.ts'),
      handler: 'handler',
      timeout: 60,
      invokeMode: 'RESPONSE_STREAM',
      url: { authType: 'NONE', invokeMode: 'RESPONSE_STREAM' },
    });
    expect(fn!.url).toEqual({
      logicalId: 'send-numbersUrl',
      authType: 'NONE',
      invokeMode: 'RESPONSE_STREAM',
    });
    expect(fn!.handler).toBe(PROJECT_DEFAULTS.lambdaHandler);
    expect(() => resolveFunctionConfig(fn!.definition)).not.toThrow();
  });

  it('runs a JavaScript handler file from its directory, as Lambda would', async () => {
    const dir = project({ 'echo.cjs': 'exports.handler = async (event) => event;' });
    const [fn] = (await loadProject(path.join(dir, 'echo.cjs'))).functions;
    expect(fn!.code).toEqual({ kind: 'directory', directory: dir });
    expect(fn!.definition).toMatchObject({ name: 'echo', code: dir, handler: 'echo.handler' });
    expect(fn!.handler).toBe('echo.handler');
  });

  it('resolves a relative path against options.cwd', async () => {
    const dir = project({ 'handler.mts': '' });
    const loaded = await loadProject('handler.mts', { cwd: dir });
    expect(loaded.functions[0]!.definition.code).toBe(path.join(dir, 'handler.mts'));
  });

  it('prefers template.yaml in a directory', async () => {
    const loaded = await loadProject(path.join(FIXTURES, 'sam-init'));
    expect(loaded.templateFile).toBe(path.join(FIXTURES, 'sam-init/template.yaml'));
    expect(loaded.functions.map((fn) => fn.logicalId)).toEqual(['StreamingFunction']);
  });

  it('takes template.yml and template.json too', async () => {
    const yml = project({
      'template.yml':
        'Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: nodejs20.x, Handler: a.handler }\n',
      'a.ts': '',
    });
    expect((await loadProject(yml)).functions[0]!.logicalId).toBe('A');
    const json = project({
      'template.json':
        '{"Resources":{"B":{"Type":"AWS::Serverless::Function","Properties":{"Runtime":"nodejs20.x","Handler":"b.handler"}}}}',
      'b.ts': '',
    });
    expect((await loadProject(json)).functions[0]!.logicalId).toBe('B');
  });

  it('takes a directory with index.ts: one function named after the directory', async () => {
    const dir = project({ 'index.ts': '', 'util.ts': '' }, 'my.stream-');
    const [fn, ...rest] = (await loadProject(dir)).functions;
    expect(rest).toEqual([]);
    expect(fn!.definition.name).toMatch(/^my-stream-/);
    expect(fn!.code).toEqual({ kind: 'source', entry: path.join(dir, 'index.ts') });
  });

  it('takes src/handler.ts when there is no entry at the top', async () => {
    const dir = project({ 'src/handler.ts': '', 'src/lib.ts': '' });
    expect((await loadProject(dir)).functions[0]!.code).toEqual({
      kind: 'source',
      entry: path.join(dir, 'src/handler.ts'),
    });
  });

  it('uses a plain JavaScript directory as a task root (the Gettysburg example, examples.md §3)', async () => {
    const dir = path.join(FIXTURES, 'gettysburg/lambda');
    const [fn] = (await loadProject(dir)).functions;
    expect(fn!.code).toEqual({ kind: 'directory', directory: dir });
    expect(fn!.definition).toMatchObject({
      name: 'lambda',
      code: dir,
      handler: 'index.handler',
      invokeMode: 'RESPONSE_STREAM',
    });
    expect(fn!.handler).toBe('index.handler');
  });

  it('makes every top-level source a function when there is no conventional entry', async () => {
    const dir = project({
      'stream.ts': '',
      'echo.mjs': '',
      'stream.test.ts': '',
      'types.d.ts': '',
      'vitest.config.ts': '',
    });
    const loaded = await loadProject(dir);
    expect(loaded.functions.map((fn) => [fn.definition.name, fn.code.kind, fn.definition.handler])).toEqual([
      ['echo', 'directory', 'echo.handler'],
      ['stream', 'source', 'handler'],
    ]);
  });

  it('fails clearly on a path that does not exist, an empty directory, or another kind of file', async () => {
    const dir = project({ 'notes.txt': '' });
    await expect(loadProject(path.join(dir, 'nope.ts'))).rejects.toMatchObject({
      code: TemplateErrorCode.notFound,
      message: expect.stringMatching(/nope\.ts does not exist: give a template/),
    });
    await expect(loadProject(dir)).rejects.toMatchObject({
      code: TemplateErrorCode.notFound,
      message: expect.stringMatching(
        /has no template\.yaml, template\.yml, template\.json and no handler source/,
      ),
    });
    await expect(loadProject(path.join(dir, 'notes.txt'))).rejects.toBeInstanceOf(TemplateError);
  });
});
