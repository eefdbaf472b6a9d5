/**
 * Errors of template loading. Every message names the file, and where the parser knows it the line and column,
 * so an editor can jump to it; structural errors also name the resource and property, as `sam validate` does.
 */
import { SluiceError } from '../protocol/index.js';

/**
 * Stable codes of {@link TemplateError}.
 *
 * @example
 * if (error instanceof TemplateError && error.code === TemplateErrorCode.syntax) showLine(error.line);
 */
export const TemplateErrorCode = {
  /** The file is not valid YAML or JSON (bad indentation, an unclosed quote, a tab). */
  syntax: 'SLUICE_TEMPLATE_SYNTAX',
  /** The template parses but a section, resource or property has the wrong shape or an invalid value. */
  invalid: 'SLUICE_TEMPLATE_INVALID',
  /** A value sluice needs to run a function (Handler, CodeUri, Runtime, a name) cannot be resolved locally. */
  unresolved: 'SLUICE_TEMPLATE_UNRESOLVED',
  /** The function's code is somewhere sluice cannot run it from (S3, a container image). */
  unsupported: 'SLUICE_TEMPLATE_UNSUPPORTED',
  /** The path given to `loadProject` does not exist or holds no template and no handler source. */
  notFound: 'SLUICE_TEMPLATE_NOT_FOUND',
  /** CodeUri (or Code) names a local path that does not exist. */
  codeNotFound: 'SLUICE_TEMPLATE_CODE_NOT_FOUND',
  /** The module named by Handler (or Metadata.BuildProperties.EntryPoints) has no source file. */
  handlerNotFound: 'SLUICE_TEMPLATE_HANDLER_NOT_FOUND',
} as const;

/**
 * One of {@link TemplateErrorCode}'s values.
 *
 * @example
 * const code: TemplateErrorCodeValue = 'SLUICE_TEMPLATE_SYNTAX';
 */
export type TemplateErrorCodeValue = (typeof TemplateErrorCode)[keyof typeof TemplateErrorCode];

/**
 * Where in a file something is: 1-based line and column, as editors and `file:line:column` links count.
 *
 * @example
 * const at: SourceLocation = { file: '/app/template.yaml', line: 12, column: 7 };
 */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * `file:line:column` (or less, when the position is unknown), relative to `cwd` when the file is under it.
 *
 * @example
 * formatLocation({ file: '/app/template.yaml', line: 3, column: 5 }, '/app'); // 'template.yaml:3:5'
 */
export function formatLocation(location: SourceLocation, cwd: string = process.cwd()): string {
  const file =
    location.file.startsWith(`${cwd}/`) && cwd !== '/' ? location.file.slice(cwd.length + 1) : location.file;
  if (location.line === undefined) return file;
  return location.column === undefined
    ? `${file}:${location.line}`
    : `${file}:${location.line}:${location.column}`;
}

/**
 * A template or project cannot be used. `code` is one of {@link TemplateErrorCode}; `location` says where.
 *
 * @example
 * try {
 *   await loadProject('template.yaml');
 * } catch (error) {
 *   if (error instanceof TemplateError) console.error(error.message); // 'template.yaml:7:3: ...'
 * }
 */
export class TemplateError extends SluiceError {
  readonly location: SourceLocation | undefined;

  constructor(
    code: TemplateErrorCodeValue,
    message: string,
    location?: SourceLocation,
    options?: ErrorOptions,
  ) {
    super(code, location ? `${formatLocation(location)}: ${message}` : message, options);
    this.name = 'TemplateError';
    this.location = location;
  }
}
