import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFunctionCode, bundleLambdaHandler } from './code-builder.js';
import { CodeBuildError, EmulatorConfigError } from './errors.js';
import { resolveFunctionConfig } from './function-config.js';

let dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sluice-build-test-'));
  dirs.push(dir);
  return dir;
}

describe('buildFunctionCode', () => {
  it('uses a directory as the task root, as-is', async () => {
    const dir = await tempDir();
    const code = await buildFunctionCode(
      resolveFunctionConfig({ name: 'f', code: dir, handler: 'app.main' }),
    );
    expect(code).toMatchObject({ taskRoot: dir, handler: 'app.main' });
    await code.dispose();
    expect(existsSync(dir)).toBe(true);
  });

  it('bundles a TypeScript entry and its CommonJS dependencies into one ES module', async () => {
    const dir = await tempDir();
    // A CommonJS dependency that calls require() on a built-in: the bundle's ESM output needs the require shim.
    await writeFile(
      path.join(dir, 'legacy.cjs'),
      "module.exports = { platform: () => require('node:os').platform() };\n",
    );
    await writeFile(
      path.join(dir, 'handler.ts'),
      "import legacy from './legacy.cjs';\nexport const handler = async (event: { n: number }) => ({ doubled: event.n * 2, platform: legacy.platform() });\n",
    );
    const code = await buildFunctionCode(
      resolveFunctionConfig({ name: 'f', code: path.join(dir, 'handler.ts') }),
    );
    try {
      expect(code.handler).toBe('index.handler');
      const bundle = path.join(code.taskRoot, 'index.mjs');
      expect(existsSync(bundle)).toBe(true);
      const module = (await import(pathToFileURL(bundle).href)) as {
        handler: (event: { n: number }) => Promise<unknown>;
      };
      expect(await module.handler({ n: 21 })).toEqual({ doubled: 42, platform: process.platform });
    } finally {
      await code.dispose();
    }
    expect(existsSync(code.taskRoot)).toBe(false);
  });

  it('keeps the named export of a CommonJS entry (exports.handler), so the runtime finds it', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'app.js'),
      "const os = require('node:os');\nexports.handler = async (event) => ({ echo: event, eol: os.EOL });\n",
    );
    await writeFile(path.join(dir, 'legacy.cjs'), 'module.exports.main = async () => 42;\n');
    for (const [file, handler, expected] of [
      ['app.js', 'handler', { echo: { a: 1 }, eol: '\n' }],
      ['legacy.cjs', 'main', 42],
    ] as const) {
      const code = await buildFunctionCode(
        resolveFunctionConfig({ name: 'f', code: path.join(dir, file), handler }),
      );
      try {
        expect(code.handler).toBe(`index.${handler}`);
        const module = (await import(pathToFileURL(path.join(code.taskRoot, 'index.mjs')).href)) as Record<
          string,
          (event: unknown) => Promise<unknown>
        >;
        expect(Object.keys(module)).toContain(handler);
        expect(await module[handler]!({ a: 1 })).toEqual(expected);
      } finally {
        await code.dispose();
      }
    }
  });

  it('does not depend on the current directory (absWorkingDir)', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'handler.ts'), 'export const handler = async () => 1;\n');
    const bundles: string[] = [];
    const cwd = process.cwd();
    for (const where of [dir, tmpdir()]) {
      process.chdir(where);
      try {
        const [file] = (
          await bundleLambdaHandler({
            entry: path.join(dir, 'handler.ts'),
            outfile: path.join(dir, 'out', 'index.mjs'),
            write: false,
            sourcemap: false,
          })
        ).outputFiles;
        bundles.push(file!.text);
      } finally {
        process.chdir(cwd);
      }
    }
    expect(bundles[0]).toContain('// handler.ts');
    expect(bundles[1]).toBe(bundles[0]);
  });

  it('reports the exports and the source files of a bundle', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'util.ts'), 'export const twice = (n: number) => n * 2;\n');
    await writeFile(
      path.join(dir, 'handler.ts'),
      "import { twice } from './util';\nexport const main = async () => twice(2);\n",
    );
    const bundle = await bundleLambdaHandler({
      entry: path.join(dir, 'handler.ts'),
      outfile: path.join(dir, 'out', 'index.mjs'),
      exportName: 'handler',
      write: false,
    });
    // An ES module without the export is bundled as it is: the runtime raises Runtime.HandlerNotFound.
    expect(bundle).toMatchObject({ exports: ['main'], commonJs: false });
    expect(bundle.inputs.sort()).toEqual([path.join(dir, 'handler.ts'), path.join(dir, 'util.ts')]);
    expect(bundle.outputFiles.map((file) => path.basename(file.path)).sort()).toEqual([
      'index.mjs',
      'index.mjs.map',
    ]);
  });

  it('reports esbuild diagnostics as CodeBuildError', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'broken.ts'),
      "import { nothing } from './missing';\nexport const handler = nothing;\n",
    );
    const build = buildFunctionCode(
      resolveFunctionConfig({ name: 'broken', code: path.join(dir, 'broken.ts') }),
    );
    await expect(build).rejects.toBeInstanceOf(CodeBuildError);
    await expect(build).rejects.toThrow(/Could not resolve "\.\/missing"/);
    await expect(build).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ text: 'Could not resolve "./missing"' })],
    });
  });

  it('reports missing code as EmulatorConfigError', async () => {
    await expect(
      buildFunctionCode(resolveFunctionConfig({ name: 'f', code: '/nonexistent/sluice/code' })),
    ).rejects.toBeInstanceOf(EmulatorConfigError);
  });
});
