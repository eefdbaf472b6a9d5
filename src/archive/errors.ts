/**
 * Errors of `sluice archive`. Template problems surface as `TemplateError` before packaging starts.
 */
import { SluiceError } from '../protocol/index.js';

/**
 * Stable codes of {@link ArchiveError}.
 *
 * @example
 * if (error instanceof ArchiveError && error.code === ArchiveErrorCode.build) console.error(error.message);
 */
export const ArchiveErrorCode = {
  /** esbuild could not bundle the function (a syntax error, an import that does not resolve). */
  build: 'SLUICE_ARCHIVE_BUILD',
  /** The bundle does not export the handler the Handler string names, so Lambda would fail to load it. */
  handlerNotExported: 'SLUICE_ARCHIVE_HANDLER_NOT_EXPORTED',
  /** A function named on the command line is not in the project. */
  unknownFunction: 'SLUICE_ARCHIVE_UNKNOWN_FUNCTION',
  /** sluice's own runtime or exec wrapper could not be found to package (`--sluice-runtime`). */
  runtimeMissing: 'SLUICE_ARCHIVE_RUNTIME_MISSING',
} as const;

/**
 * One of {@link ArchiveErrorCode}'s values.
 *
 * @example
 * const code: ArchiveErrorCodeValue = 'SLUICE_ARCHIVE_BUILD';
 */
export type ArchiveErrorCodeValue = (typeof ArchiveErrorCode)[keyof typeof ArchiveErrorCode];

/**
 * Packaging a function failed; the message names the function and, for build errors, carries esbuild's
 * diagnostics with file, line and column.
 *
 * @example
 * try {
 *   await archiveProject(project);
 * } catch (error) {
 *   if (error instanceof ArchiveError) process.exitCode = 1;
 * }
 */
export class ArchiveError extends SluiceError {
  constructor(code: ArchiveErrorCodeValue, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ArchiveError';
  }
}
