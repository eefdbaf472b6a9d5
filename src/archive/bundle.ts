/**
 * Bundling a handler for a deployable zip, with the emulator's esbuild options (`lambdaBundleOptions`) so that
 * what is deployed is what ran locally, plus what a zip needs on top: output in memory, paths relative to the
 * project (so the bytes do not depend on the directory `sluice archive` runs from), optional minification and
 * source map.
 */
import path from 'node:path';
import { type BuildOptions, build, formatMessages, type Message, type Metafile } from 'esbuild';
import { lambdaBundleOptions } from '../emulator/code-builder.js';
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

async function runBuild(options: BuildOptions, label: string, entry: string) {
  try {
    const result = await build({ ...options, write: false, metafile: true });
    if (result.errors.length > 0) throw Object.assign(new Error('build failed'), { errors: result.errors });
    return result;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const details = errors?.length
      ? (await formatMessages(errors, { kind: 'error', color: false })).join('\n').trim()
      : (error as Error).message;
    throw new ArchiveError(
      ArchiveErrorCode.build,
      `${label}: esbuild could not bundle ${entry}:\n${details}`,
      {
        cause: error,
      },
    );
  }
}

/** The names the bundle exports, from esbuild's metafile. */
function exportsOf(metafile: Metafile | undefined): string[] {
  const output = Object.entries(metafile?.outputs ?? {}).find(([file]) => file.endsWith('.mjs'));
  return output?.[1].exports ?? [];
}

/**
 * Bundles one handler into an ES module (and its source map), returned in memory.
 *
 * A CommonJS entry (`exports.handler = …`) bundled as ES module would only have a default export, which Lambda's
 * Node runtime does not look into (it reads the named export from the module namespace), so it would fail with
 * `Runtime.HandlerNotFound`. Such an entry is bundled again through a one-line ES module that re-exports the
 * handler by name. An ES module entry that lacks the export fails here rather than on Lambda.
 *
 * @example
 * const files = await bundleHandler({
 *   entry: '/app/src/handler.ts', outputName: 'src/handler.mjs', exportName: 'handler', projectRoot: '/app', label: 'Fn',
 * });
 * // [{ name: 'src/handler.mjs', data }, …]
 */
export async function bundleHandler(options: BundleHandlerOptions): Promise<BundledFile[]> {
  const outfile = path.join(options.projectRoot, '.sluice', 'bundle', options.outputName);
  const base: BuildOptions = {
    ...lambdaBundleOptions(options.entry, outfile),
    absWorkingDir: options.projectRoot,
    sourcemap: options.sourcemap ? 'linked' : false,
    minify: options.minify ?? false,
  };
  let result = await runBuild(base, options.label, options.entry);
  const exported = exportsOf(result.metafile);
  if (!exported.includes(options.exportName)) {
    const commonJs = exported.length === 1 && exported[0] === 'default';
    if (!commonJs) {
      throw new ArchiveError(
        ArchiveErrorCode.handlerNotExported,
        `${options.label}: ${path.relative(options.projectRoot, options.entry)} does not export ${options.exportName} (it exports ${exported.join(', ') || 'nothing'}), so Lambda would fail with Runtime.HandlerNotFound`,
      );
    }
    const { entryPoints: _entryPoints, ...rest } = base;
    const relative = `./${path.basename(options.entry)}`;
    // ES2022 allows any string as an export name; a plain identifier needs no quotes.
    const name = /^[A-Za-z_$][\w$]*$/.test(options.exportName)
      ? options.exportName
      : JSON.stringify(options.exportName);
    result = await runBuild(
      {
        ...rest,
        stdin: {
          contents: `export { ${name} } from ${JSON.stringify(relative)};\n`,
          resolveDir: path.dirname(options.entry),
          sourcefile: `${path.basename(options.entry)}.sluice-entry.mjs`,
          loader: 'js',
        },
      },
      options.label,
      options.entry,
    );
  }
  return (result.outputFiles ?? [])
    .map((file) => ({
      name: path
        .relative(path.join(options.projectRoot, '.sluice', 'bundle'), file.path)
        .split(path.sep)
        .join('/'),
      data: file.contents,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
