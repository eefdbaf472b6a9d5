/**
 * `sluice archive`: each function of a project bundled into a reproducible zip under
 * `.sluice/archive/<Function>/<Function>.zip`, as `swift package archive` does for the Swift runtime
 * (`.build/plugins/AWSLambdaPackager/outputs/…/<Target>.zip`), ready for SAM's `CodeUri` or
 * `aws lambda create-function --zip-file`.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitHandlerString } from '../runtime/load-handler.js';
import { findModuleSource } from '../template/handler-source.js';
import type { TemplateFunction, TemplateProject } from '../template/types.js';
import { bundleHandler } from './bundle.js';
import { ArchiveError, ArchiveErrorCode } from './errors.js';
import { runtimeLoopFiles } from './runtime-loop.js';
import { createZip, type ZipEntry } from './zip.js';

/**
 * Lambda's package limits (Lambda developer guide, "Lambda quotas"): a zip uploaded directly is at most 50 MB,
 * and the unzipped function at most 250 MB.
 *
 * @example
 * if (result.bytes > LAMBDA_PACKAGE_LIMITS.directUploadBytes) console.warn('upload through S3');
 */
export const LAMBDA_PACKAGE_LIMITS = {
  directUploadBytes: 50 * 1024 * 1024,
  unzippedBytes: 250 * 1024 * 1024,
} as const;

/**
 * @example
 * await archiveProject(project, { minify: true, sluiceRuntime: true, onProgress: console.log });
 */
export interface ArchiveOptions {
  /** Logical ids (or function names) to package; default all. */
  functions?: readonly string[];
  /** Directory for the zips; default `<project root>/.sluice/archive`. */
  outDir?: string;
  /** Minify the bundle; default the function's `Metadata.BuildProperties.Minify`, else false. */
  minify?: boolean;
  /** Add a source map; default the function's `Metadata.BuildProperties.Sourcemap`, else false. */
  sourcemap?: boolean;
  /**
   * Also package sluice's runtime loop and `sluice-exec-wrapper`; set
   * `AWS_LAMBDA_EXEC_WRAPPER=/var/task/sluice-exec-wrapper` on the function to use it.
   */
  sluiceRuntime?: boolean;
  onProgress?: (event: ArchiveProgress) => void;
}

/**
 * What `archiveProject` reports as it goes.
 *
 * @example
 * onProgress: (event) => { if (event.kind === 'written') console.log(event.result.file); }
 */
export type ArchiveProgress =
  | { kind: 'start'; logicalId: string; index: number; total: number; entry: string }
  | { kind: 'written'; index: number; total: number; result: ArchiveResult }
  | { kind: 'skipped'; logicalId: string; index: number; total: number; reason: string };

/**
 * One packaged function.
 *
 * @example
 * console.log(`${result.file} ${result.bytes} bytes, Handler ${result.handler}`);
 */
export interface ArchiveResult {
  logicalId: string;
  /** Absolute path of the zip. */
  file: string;
  /** Size of the zip. */
  bytes: number;
  /** Total size of the files once unzipped. */
  unzippedBytes: number;
  /** SHA-256 of the zip, hex (the same for the same input). */
  sha256: string;
  /** The Handler to deploy with: the template's own, kept valid by the zip's layout. */
  handler: string;
  /** The `Runtime` to deploy with (`nodejs20.x` when the template names none). */
  runtime: string;
  /** `Architectures[0]`. */
  architecture: string;
  /** Names of the files in the zip. */
  entries: string[];
  /** The zip carries sluice's runtime loop (`AWS_LAMBDA_EXEC_WRAPPER`). */
  sluiceRuntime: boolean;
  durationMs: number;
}

/**
 * The project's functions that `archiveProject` packages.
 *
 * @example
 * selectFunctions(project, ['HappyPathFunction']);
 */
export function selectFunctions(project: TemplateProject, names?: readonly string[]): TemplateFunction[] {
  if (!names || names.length === 0) return project.functions;
  return names.map((name) => {
    const fn = project.functions.find(
      (candidate) => candidate.logicalId === name || candidate.definition.name === name,
    );
    if (!fn) {
      throw new ArchiveError(
        ArchiveErrorCode.unknownFunction,
        `there is no function ${name}; the project has ${project.functions.map((candidate) => candidate.logicalId).join(', ') || 'none'}`,
      );
    }
    return fn;
  });
}

/** The entry source to bundle for a function, or why it is not packaged. */
function entryOf(fn: TemplateFunction): { entry: string } | { skip: string } {
  switch (fn.code.kind) {
    case 'source':
      return { entry: fn.code.entry };
    case 'inline':
      return { entry: fn.code.file };
    case 'zip':
      return { skip: `its code is already a zip (${fn.code.file})` };
    case 'directory': {
      if (fn.handler === undefined) {
        return {
          skip: 'it uses a custom runtime (provided.*): package its bootstrap with the tool that builds it',
        };
      }
      const { modulePath } = splitHandlerString(fn.handler);
      const entry = findModuleSource(fn.code.directory, modulePath);
      return entry ? { entry } : { skip: `no source for ${fn.handler} in ${fn.code.directory}` };
    }
  }
}

/**
 * Packages one function: bundles its handler to `<module>.mjs` at the path its Handler names (Handler
 * `src/app.handler` → `src/app.mjs`, which Lambda's Node runtime loads for `src/app`), zips it reproducibly,
 * and writes `<outDir>/<LogicalId>/<LogicalId>.zip` (atomically). Returns undefined for functions that are not
 * packaged (custom runtimes, code that is already a zip), after reporting a `skipped` progress event.
 *
 * @example
 * const result = await archiveFunction(project, project.functions[0]!);
 */
export async function archiveFunction(
  project: TemplateProject,
  fn: TemplateFunction,
  options: ArchiveOptions = {},
  position: { index: number; total: number } = { index: 1, total: 1 },
): Promise<ArchiveResult | undefined> {
  const started = performance.now();
  const source = entryOf(fn);
  if ('skip' in source) {
    options.onProgress?.({ kind: 'skipped', logicalId: fn.logicalId, ...position, reason: source.skip });
    return undefined;
  }
  options.onProgress?.({ kind: 'start', logicalId: fn.logicalId, ...position, entry: source.entry });
  const handler = fn.handler ?? `index.${fn.definition.handler ?? 'handler'}`;
  const { modulePath, exportPath } = splitHandlerString(handler);
  const minify = options.minify ?? fn.build.minify ?? false;
  const sourcemap = options.sourcemap ?? fn.build.sourcemap ?? false;
  const files: ZipEntry[] = await bundleHandler({
    entry: source.entry,
    outputName: `${modulePath}.mjs`,
    exportName: exportPath.split('.')[0]!,
    projectRoot: project.root,
    label: fn.logicalId,
    minify,
    sourcemap,
  });
  if (options.sluiceRuntime) files.push(...(await runtimeLoopFiles({ minify })));
  const zip = createZip(files);

  const outDir = options.outDir ?? path.join(project.root, '.sluice', 'archive');
  const file = path.join(outDir, fn.logicalId, `${fn.logicalId}.zip`);
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, zip);
  await rename(partial, file);

  const result: ArchiveResult = {
    logicalId: fn.logicalId,
    file,
    bytes: zip.length,
    unzippedBytes: files.reduce((sum, entry) => sum + entry.data.length, 0),
    sha256: createHash('sha256').update(zip).digest('hex'),
    handler,
    runtime: fn.runtime?.startsWith('nodejs') ? fn.runtime : 'nodejs20.x',
    architecture: fn.architectures[0] ?? 'x86_64',
    entries: files.map((entry) => entry.name).sort(),
    sluiceRuntime: options.sluiceRuntime ?? false,
    durationMs: performance.now() - started,
  };
  options.onProgress?.({ kind: 'written', ...position, result });
  return result;
}

/**
 * Packages the project's functions one after another (esbuild already uses every core for each build).
 * Throws `ArchiveError` (a build error names the function and carries esbuild's file:line diagnostics).
 *
 * @example
 * const project = await loadProject('template.yaml');
 * for (const result of await archiveProject(project)) console.log(result.file, result.bytes);
 */
export async function archiveProject(
  project: TemplateProject,
  options: ArchiveOptions = {},
): Promise<ArchiveResult[]> {
  const functions = selectFunctions(project, options.functions);
  const results: ArchiveResult[] = [];
  for (const [index, fn] of functions.entries()) {
    const result = await archiveFunction(project, fn, options, { index: index + 1, total: functions.length });
    if (result) results.push(result);
  }
  return results;
}
