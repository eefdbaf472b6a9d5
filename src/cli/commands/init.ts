/**
 * `sluice init [name] [--template function-url|api-gateway]`: a thin layer over `scaffoldProject`.
 */
import path from 'node:path';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../context.js';
import { UsageError } from '../errors.js';
import { INIT_TEMPLATES, type InitTemplate, scaffoldProject } from '../scaffold.js';

/**
 * `sluice init --help`.
 *
 * @example
 * io.out(INIT_USAGE);
 */
export const INIT_USAGE = `Usage: sluice init [name] [--template function-url|api-gateway]

Scaffolds a TypeScript Lambda function that streams its response, in <name>/ (or in the current directory,
which must be empty, when no name is given): package.json, tsconfig.json, src/handler.ts, src/handler.test.ts,
template.yaml and a README with the curl commands.

Options:
  -t, --template <kind>  function-url  a function URL, InvokeMode RESPONSE_STREAM, AuthType AWS_IAM (default)
                         api-gateway   a REST API whose integration streams (responseTransferMode STREAM)
  -h, --help             Show this help
`;

/**
 * Runs `sluice init`. Resolves with the exit code.
 *
 * @example
 * process.exitCode = await initCommand(['my-stream'], io);
 */
export async function initCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { template: { type: 'string', short: 't' }, help: { type: 'boolean', short: 'h' } },
    1,
  );
  if (values.help) {
    io.out(INIT_USAGE);
    return 0;
  }
  const template = (values.template ?? 'function-url') as InitTemplate;
  if (!INIT_TEMPLATES.includes(template)) {
    throw new UsageError(`unknown template '${values.template}': use ${INIT_TEMPLATES.join(' or ')}`);
  }
  const [name] = positionals;
  const directory = path.resolve(io.cwd, name ?? '.');
  const result = await scaffoldProject({
    directory,
    template,
    ...(name ? { name: path.basename(name) } : {}),
  });
  const shown = path.relative(io.cwd, result.directory) || '.';
  io.out(`Created ${result.name} (${result.template}) in ${shown}:\n`);
  for (const file of result.files) io.out(`  ${path.join(shown, file)}\n`);
  io.out('\nNext:\n');
  if (shown !== '.') io.out(`  cd ${shown}\n`);
  io.out('  npm install\n  npm test          # type-check and run the handler test\n');
  io.out(
    '  npm run dev       # serve it locally (sluice dev)\n  npm run archive   # build the deployable zip, then: sam deploy --guided\n',
  );
  return 0;
}
