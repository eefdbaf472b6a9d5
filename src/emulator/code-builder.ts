/**
 * Turns a function's code into a task root. A directory is used as-is (as Lambda uses an unzipped package);
 * a TypeScript/JavaScript entry file is bundled with esbuild into one ES module in a fresh temporary directory,
 * with the options packaging uses, so what runs locally is what would be deployed.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BuildOptions, build, formatMessages, type Message } from 'esbuild';
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
 *
 * @example
 * await esbuild.build(lambdaBundleOptions('src/handler.ts', 'build/index.mjs'));
 */
export function lambdaBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
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

async function formatErrors(errors: Message[]): Promise<string> {
  const lines = await formatMessages(errors, { kind: 'error', color: false });
  return lines.join('\n').trim();
}

/**
 * Builds the task root of a function: checks a directory exists, or bundles an entry file into
 * `<tmp>/sluice-<name>-XXXXXX/index.mjs`. Throws `CodeBuildError` with esbuild's diagnostics when bundling fails.
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
    const result = await build(lambdaBundleOptions(config.code, path.join(taskRoot, `${BUNDLE_MODULE}.mjs`)));
    if (result.errors.length > 0) throw Object.assign(new Error('build failed'), { errors: result.errors });
  } catch (error) {
    await dispose();
    const errors = (error as { errors?: Message[] }).errors;
    const details = errors?.length ? await formatErrors(errors) : (error as Error).message;
    throw new CodeBuildError(
      `Function ${JSON.stringify(config.name)}: esbuild could not bundle ${config.code}:\n${details}`,
      { cause: error },
    );
  }
  return { taskRoot, handler: `${BUNDLE_MODULE}.${config.handler}`, dispose };
}
