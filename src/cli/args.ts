/**
 * Option parsing on node:util's parseArgs (no framework dependency), turning its errors into `UsageError`s.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/**
 * Option declarations, as node:util's parseArgs takes them.
 *
 * @example
 * const options = { help: { type: 'boolean', short: 'h' } } satisfies CommandOptions;
 */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * What {@link parseCommandArgs} returns: typed `values` and the `positionals`.
 *
 * @example
 * const parsed: ParsedCommandArgs<{ help: { type: 'boolean' } }> = parseCommandArgs(argv, { help: { type: 'boolean' } }, 0);
 */
export type ParsedCommandArgs<T extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/**
 * Parses `argv` strictly: unknown options and missing values are usage errors (exit code 2), and so are more
 * positional arguments than `maxPositionals`.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(['app', '-t', 'api-gateway'], {
 *   template: { type: 'string', short: 't' },
 *   help: { type: 'boolean', short: 'h' },
 * }, 1);
 */
export function parseCommandArgs<T extends CommandOptions>(
  argv: string[],
  options: T,
  maxPositionals: number,
): ParsedCommandArgs<T> {
  let parsed: ParsedCommandArgs<T>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs's messages are already for people ("Unknown option '--x'"); drop its hint about '--'.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
  }
  return parsed;
}

/**
 * The `-p Name=Value` options of `sluice dev` and `sluice archive`, as `sam deploy --parameter-overrides`
 * takes them.
 *
 * @example
 * parameterOverrides(['Stage=dev', 'Table=t']); // { Stage: 'dev', Table: 't' }
 */
export function parameterOverrides(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--parameter takes Name=Value; got '${pair}'`);
    out[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return out;
}
