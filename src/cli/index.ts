/** sluice/cli: the command line, as a library function. */
export { runCli } from './run-cli.js';
