/**
 * sluice's runtime loop inside a function zip: the runtime bundled into one file plus an exec wrapper, so the
 * function runs sluice's loop on AWS's managed Node.js runtime through `AWS_LAMBDA_EXEC_WRAPPER` ("Lambda
 * runs the wrapper script with the runtime's command line", Lambda developer guide, "Modifying the runtime
 * environment"), keeping the managed runtime's node binary and flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lambdaBundleOptions } from '../emulator/code-builder.js';
import type { BundledFile } from './bundle.js';
import { ArchiveError, ArchiveErrorCode } from './errors.js';

/**
 * Where the runtime loop goes in the zip, and the variable to set on the function.
 *
 * @example
 * `AWS_LAMBDA_EXEC_WRAPPER=${RUNTIME_LOOP.execWrapperPath}`; // '/var/task/sluice-exec-wrapper'
 */
export const RUNTIME_LOOP = {
  /** The exec wrapper, at the root of the zip, mode 0755. */
  wrapper: 'sluice-exec-wrapper',
  /** sluice's runtime, bundled into one ES module. */
  bootstrap: 'sluice-runtime/bootstrap.mjs',
  /** `LAMBDA_TASK_ROOT` on Lambda, where the zip is unpacked. */
  execWrapperPath: '/var/task/sluice-exec-wrapper',
  environmentVariable: 'AWS_LAMBDA_EXEC_WRAPPER',
} as const;

/** The package root: `src/archive/` in the repository and `dist/archive/` in the package are both two levels down. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The wrapper's default bootstrap path (the package layout), replaced by the zip's. */
const WRAPPER_DEFAULT = '$here/../dist/runtime/bootstrap.js';

/**
 * The runtime's entry: the TypeScript source next to this module when running from the repository, else the
 * compiled `dist/runtime/bootstrap.js` of the installed package.
 *
 * @example
 * runtimeEntry(); // '/…/node_modules/sluice/dist/runtime/bootstrap.js'
 */
export function runtimeEntry(): string {
  const candidates = [
    fileURLToPath(new URL('../runtime/bootstrap.ts', import.meta.url)),
    fileURLToPath(new URL('../runtime/bootstrap.js', import.meta.url)),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new ArchiveError(
      ArchiveErrorCode.runtimeMissing,
      `sluice's runtime was not found (looked for ${candidates.join(' and ')}); reinstall sluice`,
    );
  }
  return found;
}

/**
 * The exec wrapper for a zip: bin/sluice-exec-wrapper with its default bootstrap pointed at the bundled
 * runtime next to it (`SLUICE_BOOTSTRAP` still overrides it).
 *
 * @example
 * execWrapperScript().includes('$here/sluice-runtime/bootstrap.mjs'); // true
 */
export function execWrapperScript(): string {
  const file = `${PACKAGE_ROOT}bin/sluice-exec-wrapper`;
  let script: string;
  try {
    script = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ArchiveError(ArchiveErrorCode.runtimeMissing, `sluice's exec wrapper ${file} is missing`, {
      cause: error,
    });
  }
  if (!script.includes(WRAPPER_DEFAULT)) {
    throw new ArchiveError(
      ArchiveErrorCode.runtimeMissing,
      `${file} no longer names ${WRAPPER_DEFAULT} as its default bootstrap; update src/archive/runtime-loop.ts`,
    );
  }
  return script.replace(WRAPPER_DEFAULT, `$here/${RUNTIME_LOOP.bootstrap}`);
}

/**
 * The runtime loop's files for a zip: the wrapper (executable) and the bundled runtime, built with the same
 * esbuild options as the handler. Paths inside the bundle are relative to sluice's package root, so the
 * bytes do not depend on where sluice is installed.
 *
 * @example
 * const files = await runtimeLoopFiles({ minify: true });
 * // [{ name: 'sluice-exec-wrapper', data, executable: true }, { name: 'sluice-runtime/bootstrap.mjs', data }]
 */
export async function runtimeLoopFiles(
  options: { minify?: boolean } = {},
): Promise<Array<BundledFile & { executable?: boolean }>> {
  const entry = runtimeEntry();
  const result = await build({
    ...lambdaBundleOptions(entry, `${PACKAGE_ROOT}.sluice/bundle/${RUNTIME_LOOP.bootstrap}`),
    absWorkingDir: PACKAGE_ROOT,
    sourcemap: false,
    minify: options.minify ?? false,
    write: false,
  });
  const bundle = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  if (!bundle)
    throw new ArchiveError(ArchiveErrorCode.runtimeMissing, 'bundling sluice runtime produced no file');
  return [
    { name: RUNTIME_LOOP.wrapper, data: Buffer.from(execWrapperScript()), executable: true },
    { name: RUNTIME_LOOP.bootstrap, data: bundle.contents },
  ];
}
