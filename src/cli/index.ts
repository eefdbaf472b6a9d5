/**
 * sluice/cli: the command line, as library functions.
 *
 * @example
 * import { runCli } from 'sluice/cli';
 *
 * process.exitCode = await runCli(['archive', 'template.yaml']);
 */
export { type CommandOptions, type ParsedCommandArgs, parseCommandArgs } from './args.js';
export { type CliIo, formatBytes } from './context.js';
export { CliErrorCode, InitError, UsageError } from './errors.js';
export { EXIT_CODES, runCli } from './run-cli.js';
export {
  INIT_TEMPLATES,
  type InitTemplate,
  projectNameProblem,
  type ScaffoldOptions,
  type ScaffoldResult,
  scaffoldProject,
} from './scaffold.js';
