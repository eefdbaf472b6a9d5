/**
 * Errors of the command line and of `sluice init`.
 */
import { SluiceError } from '../protocol/index.js';

/**
 * Stable codes of the CLI's own errors (template and archive errors keep their own codes).
 *
 * @example
 * if (error instanceof SluiceError && error.code === CliErrorCode.usage) process.exitCode = 2;
 */
export const CliErrorCode = {
  /** Unknown command or option, a missing option value, too many arguments. Exit code 2. */
  usage: 'SLUICE_CLI_USAGE',
  /** `sluice init` was pointed at a directory that is not empty. */
  initNotEmpty: 'SLUICE_INIT_NOT_EMPTY',
  /** The project name cannot name an npm package and a CloudFormation stack. */
  initInvalidName: 'SLUICE_INIT_INVALID_NAME',
  /** The scaffolding templates are missing from the installed package. */
  initTemplatesMissing: 'SLUICE_INIT_TEMPLATES_MISSING',
} as const;

/**
 * The command line was used wrongly; the CLI prints the message and the command's usage, and exits with 2.
 *
 * @example
 * throw new UsageError("unknown option '--frobnicate'");
 */
export class UsageError extends SluiceError {
  constructor(message: string) {
    super(CliErrorCode.usage, message);
    this.name = 'UsageError';
  }
}

/**
 * `sluice init` cannot scaffold: the directory is not empty, the name is invalid, or templates are missing.
 *
 * @example
 * try { await scaffoldProject({ directory: 'app' }); } catch (error) { if (error instanceof InitError) console.error(error.message); }
 */
export class InitError extends SluiceError {
  constructor(code: (typeof CliErrorCode)[Exclude<keyof typeof CliErrorCode, 'usage'>], message: string) {
    super(code, message);
    this.name = 'InitError';
  }
}
