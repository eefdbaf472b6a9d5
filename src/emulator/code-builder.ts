/**
 * Turns a function's code into a task root. A directory is used as-is (as Lambda uses an unzipped package);
 * a TypeScript/JavaScript entry file is bundled with esbuild into one ES module in a fresh temporary directory,
 * with the options packaging uses, so what runs locally is what would be deployed. `bundleLambdaHandler` is
 * that bundling step, shared by the emulator, `sluice archive` and `sluice dev`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type BuildOptions,
  type BuildResult,
  build,
  formatMessages,
  type Message,
  type Metafile,
  type OutputFile,
} from 'esbuild';
import { CodeBuildError, EmulatorConfigError } from './errors.js';
import type { FunctionConfig } from './function-config.js';

/**
 * File name of the bundle inside the task root; `_HANDLER` is `index.<export>`.
 *
 * @example
 * `${BUNDLE_MODULE}.handler`; // '_HANDLER' of a bundled function: 'index.handler'
 */
export const BUNDLE_MODULE = 'index';

/**
 * esbuild options for a Lambda bundle: one ESM file for Node 20, everything bundled, with a `require` shim
 * for CommonJS dependencies that call `require('fs')` and friends (esbuild's ESM output has no `require`).
 * Paths in the bundle's comments and source map are relative to `absWorkingDir` (default: the entry's
 * directory), never to the process's current directory, so the bytes do not depend on where the build runs;
 * a relative `entry` or `outfile` resolves against it too.
 *
 * @example
 * await esbuild.build(lambdaBundleOptions('/app/src/handler.ts', '/app/build/index.mjs', '/app'));
 */
export function lambdaBundleOptions(
  entry: string,
  outfile: string,
  absWorkingDir: string = path.dirname(path.resolve(entry)),
): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    absWorkingDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
    // Prefer ESM entry points of dependencies, as Node's resolution does for `import`.
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);",
    },
  };
}

/**
 * What to bundle, for {@link bundleLambdaHandler}.
 *
 * @example
 * const options: LambdaBundleOptions = {
 *   entry: '/app/src/app.ts',
 *   outfile: '/app/.sluice/bundle/src/app.mjs',
 *   exportName: 'handler',
 *   absWorkingDir: '/app',
 *   write: false,
 * };
 */
export interface LambdaBundleOptions {
  /** Absolute path of the entry source. */
  entry: string;
  /** Absolute path of the bundle (`.mjs`); its source map is `<outfile>.map`. */
  outfile: string;
  /**
   * The export the runtime calls (the first segment of the handler's export path). When the entry is
   * CommonJS, the bundle re-exports it by name (see {@link bundleLambdaHandler}).
   */
  exportName?: string;
  /** Directory paths in the bundle's comments and source map are relative to; default the entry's. */
  absWorkingDir?: string;
  /** Write the files (default), or return them in `outputFiles`. */
  write?: boolean;
  minify?: boolean;
  /** A linked source map next to the bundle; default true. */
  sourcemap?: boolean;
}

/**
 * A bundle that esbuild built.
 *
 * @example
 * const { exports, commonJs, inputs } = await bundleLambdaHandler(options);
 */
export interface LambdaBundle {
  /** The bundle and its source map, when built with `write: false`; empty otherwise. */
  outputFiles: OutputFile[];
  /** The names the bundle exports. */
  exports: string[];
  /** The entry was CommonJS and was re-exported by name through a one-line ES module. */
  commonJs: boolean;
  /** Absolute paths of the source files that went into the bundle (for watching them). */
  inputs: string[];
}

async function runBuild(options: BuildOptions, entry: string): Promise<BuildResult & { metafile: Metafile }> {
  try {
    const result = await build({ ...options, metafile: true });
    if (result.errors.length > 0) throw Object.assign(new Error('build failed'), { errors: result.errors });
    return result;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors ?? [];
    const details =
      errors.length > 0
        ? (await formatMessages(errors, { kind: 'error', color: false })).join('\n').trim()
        : (error as Error).message;
    throw new CodeBuildError(`esbuild could not bundle ${entry}:\n${details}`, {
      cause: error,
      diagnostics: errors,
    });
  }
}

/** The names the bundle exports, from esbuild's metafile. */
function exportsOf(metafile: Metafile): string[] {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'));
  return output?.[1].exports ?? [];
}

function inputsOf(metafile: Metafile, absWorkingDir: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !input.startsWith('<') && !input.includes(':'))
    .map((input) => path.resolve(absWorkingDir, input));
}

/**
 * Bundles one handler into an ES module with {@link lambdaBundleOptions}: what the emulator runs, what
 * `sluice archive` zips and what `sluice dev` serves.
 *
 * A CommonJS entry (`exports.handler = …`, a `.cjs` file) bundled as an ES module would only have a default
 * export, which Lambda's Node runtime does not look into (it reads the named export from the module
 * namespace), so the function would fail with `Runtime.HandlerNotFound`. Such an entry is bundled again
 * through a one-line ES module that re-exports `exportName` by name. An ES module entry that lacks the export
 * is bundled as it is: check `exports` to report it.
 *
 * Rejects with `CodeBuildError` (esbuild's formatted diagnostics in the message, its messages in
 * `diagnostics`).
 *
 * @example
 * const bundle = await bundleLambdaHandler({
 *   entry: '/app/src/index.js', outfile: '/tmp/task/index.mjs', exportName: 'handler', absWorkingDir: '/app',
 * });
 * bundle.exports; // ['handler']
 */
export async function bundleLambdaHandler(options: LambdaBundleOptions): Promise<LambdaBundle> {
  const absWorkingDir = options.absWorkingDir ?? path.dirname(options.entry);
  const base: BuildOptions = {
    ...lambdaBundleOptions(options.entry, options.outfile, absWorkingDir),
    sourcemap: options.sourcemap === false ? false : 'linked',
    minify: options.minify ?? false,
    write: options.write ?? true,
  };
  let result = await runBuild(base, options.entry);
  let exported = exportsOf(result.metafile);
  let commonJs = false;
  const { exportName } = options;
  if (
    exportName !== undefined &&
    !exported.includes(exportName) &&
    exported.length === 1 &&
    exported[0] === 'default'
  ) {
    commonJs = true;
    const { entryPoints: _entryPoints, ...rest } = base;
    // ES2022 allows any string as an export name; a plain identifier needs no quotes.
    const name = /^[A-Za-z_$][\w$]*$/.test(exportName) ? exportName : JSON.stringify(exportName);
    result = await runBuild(
      {
        ...rest,
        stdin: {
          contents: `export { ${name} } from ${JSON.stringify(`./${path.basename(options.entry)}`)};\n`,
          resolveDir: path.dirname(options.entry),
          sourcefile: `${path.basename(options.entry)}.sluice-entry.mjs`,
          loader: 'js',
        },
      },
      options.entry,
    );
    exported = exportsOf(result.metafile);
  }
  return {
    outputFiles: result.outputFiles ?? [],
    exports: exported,
    commonJs,
    inputs: inputsOf(result.metafile, absWorkingDir),
  };
}

/**
 * A function's task root, ready to run.
 *
 * @example
 * const code = await buildFunctionCode(config);
 * spawn(cmd, { cwd: code.taskRoot, env: { _HANDLER: code.handler } });
 * await code.dispose();
 */
export interface BuiltCode {
  /** Absolute directory the runtime runs in (`LAMBDA_TASK_ROOT`). */
  readonly taskRoot: string;
  /** `_HANDLER`. */
  readonly handler: string;
  /** Removes a temporary build; a no-op for a directory. */
  dispose(): Promise<void>;
}

/**
 * Builds the task root of a function: checks a directory exists, or bundles an entry file into
 * `<tmp>/sluice-<name>-XXXXXX/index.mjs` (with {@link bundleLambdaHandler}, so a CommonJS entry keeps its named
 * export). Throws `CodeBuildError` with esbuild's diagnostics when bundling fails.
 *
 * @example
 * const { taskRoot, handler } = await buildFunctionCode(resolveFunctionConfig({ name: 'f', code: 'f.ts' }));
 * // handler === 'index.handler'
 */
export async function buildFunctionCode(config: FunctionConfig): Promise<BuiltCode> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(config.code);
  } catch {
    throw new EmulatorConfigError(
      `Function ${JSON.stringify(config.name)}: code ${config.code} does not exist.`,
    );
  }
  if (config.codeKind === 'directory') {
    if (!info.isDirectory()) {
      throw new EmulatorConfigError(
        `Function ${JSON.stringify(config.name)}: code ${config.code} is neither a directory nor a .ts/.js entry file.`,
      );
    }
    return { taskRoot: config.code, handler: config.handler, dispose: async () => {} };
  }

  const taskRoot = await mkdtemp(path.join(tmpdir(), `sluice-${config.name}-`));
  const dispose = () => rm(taskRoot, { recursive: true, force: true });
  try {
    await bundleLambdaHandler({
      entry: config.code,
      outfile: path.join(taskRoot, `${BUNDLE_MODULE}.mjs`),
      exportName: config.handler.split('.')[0]!,
    });
  } catch (error) {
    await dispose();
    const cause = error as CodeBuildError;
    throw new CodeBuildError(`Function ${JSON.stringify(config.name)}: ${cause.message}`, {
      cause,
      diagnostics: cause.diagnostics ?? [],
    });
  }
  return { taskRoot, handler: `${BUNDLE_MODULE}.${config.handler}`, dispose };
}
