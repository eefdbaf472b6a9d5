/**
 * `sluice archive` as a library: reproducible, deployable zips of a project's functions.
 *
 * @example
 * import { archiveProject } from './archive/index.js';
 * import { loadProject } from './template/index.js';
 *
 * const results = await archiveProject(await loadProject('template.yaml'), { minify: true });
 * for (const { file, bytes, handler } of results) console.log(file, bytes, handler);
 */
export {
  type ArchiveOptions,
  type ArchiveProgress,
  type ArchiveResult,
  archiveFunction,
  archiveProject,
  LAMBDA_PACKAGE_LIMITS,
  selectFunctions,
} from './archive.js';
export { type BundledFile, type BundleHandlerOptions, bundleHandler } from './bundle.js';
export { ArchiveError, ArchiveErrorCode, type ArchiveErrorCodeValue } from './errors.js';
export { extractZip } from './extract.js';
export { execWrapperScript, RUNTIME_LOOP, runtimeEntry, runtimeLoopFiles } from './runtime-loop.js';
export { crc32, createZip, type ReadZipEntry, readZip, ZIP_DEFAULTS, type ZipEntry } from './zip.js';
