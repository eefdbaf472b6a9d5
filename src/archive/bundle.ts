/**
 * Bundling a handler for a deployable zip, with the emulator's bundler (`bundleLambdaHandler`) so that what
 * is deployed is what ran locally, plus what a zip needs on top: output in memory, paths relative to the
 * project (so the bytes do not depend on the directory `sluice archive` runs from), optional minification and
 * source map.
 */
import path from 'node:path';
import { bundleLambdaHandler, type LambdaBundle } from '../emulator/code-builder.js';
import { CodeBuildError } from '../emulator/errors.js';
import { ArchiveError, ArchiveErrorCode } from './errors.js';

/**
 * A file of a bundle, named by its path inside the zip.
 *
 * @example
 * const file: BundledFile = { name: 'src/app.mjs', data: new TextEncoder().encode('export const handler = …') };
 */
export interface BundledFile {
  name: string;
  data: Uint8Array;
}

/**
 * @example
 * const options: BundleHandlerOptions = {
 *   entry: '/app/src/handler.ts',
 *   outputName: 'src/handler.mjs',
 *   exportName: 'handler',
 *   projectRoot: '/app',
 * };
 */
export interface BundleHandlerOptions {
  /** Absolute path of the entry source. */
  entry: string;
  /** Path of the bundle inside the zip (`src/app.mjs` for Handler `src/app.handler`). */
  outputName: string;
  /** The export Lambda calls (the first segment of the Handler's export path). */
  exportName: string;
  /** Directory the paths in the bundle's comments and source map are relative to. */
  projectRoot: string;
  /** Shown in messages. */
  label: string;
  minify?: boolean;
  /** Also write `<outputName>.map` (Lambda uses it with `NODE_OPTIONS=--enable-source-maps`). */
  sourcemap?: boolean;
}

/**
 * Bundles one handler into an ES module (and its source map), returned in memory, with the emulator's
 * `bundleLambdaHandler`: a CommonJS entry (`exports.handler = …`) keeps its named export (it is re-exported
 * through a one-line ES module, as Lambda's Node runtime reads the named export from the module namespace),
 * and an ES module entry that lacks the export fails here rather than on Lambda with `Runtime.HandlerNotFound`.
 *
 * @example
 * const files = await bundleHandler({
 *   entry: '/app/src/handler.ts', outputName: 'src/handler.mjs', exportName: 'handler', projectRoot: '/app', label: 'Fn',
 * });
 * // [{ name: 'src/handler.mjs', data }, …]
 */
export async function bundleHandler(options: BundleHandlerOptions): Promise<BundledFile[]> {
  const bundleRoot = path.join(options.projectRoot, '.sluice', 'bundle');
  let bundle: LambdaBundle;
  try {
    bundle = await bundleLambdaHandler({
      entry: options.entry,
      outfile: path.join(bundleRoot, options.outputName),
      exportName: options.exportName,
      absWorkingDir: options.projectRoot,
      write: false,
      sourcemap: options.sourcemap ?? false,
      minify: options.minify ?? false,
    });
  } catch (error) {
    if (!(error instanceof CodeBuildError)) throw error;
    throw new ArchiveError(ArchiveErrorCode.build, `${options.label}: ${error.message}`, { cause: error });
  }
  if (!bundle.exports.includes(options.exportName)) {
    throw new ArchiveError(
      ArchiveErrorCode.handlerNotExported,
      `${options.label}: ${path.relative(options.projectRoot, options.entry)} does not export ${options.exportName} (it exports ${bundle.exports.join(', ') || 'nothing'}), so Lambda would fail with Runtime.HandlerNotFound`,
    );
  }
  return bundle.outputFiles
    .map((file) => ({
      name: path.relative(bundleRoot, file.path).split(path.sep).join('/'),
      data: file.contents,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
