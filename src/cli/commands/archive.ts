/**
 * `sluice archive [template.yaml | directory | handler file]`: a thin layer over `loadProject` and
 * `archiveProject`, printing each zip's path and size as it is written.
 */
import path from 'node:path';
import { type ArchiveProgress, type ArchiveResult, archiveProject } from '../../archive/archive.js';
import { RUNTIME_LOOP } from '../../archive/runtime-loop.js';
import { loadProject } from '../../template/load-project.js';
import { parameterOverrides, parseCommandArgs } from '../args.js';
import { type CliIo, formatBytes } from '../context.js';

/**
 * `sluice archive --help`.
 *
 * @example
 * io.out(ARCHIVE_USAGE);
 */
export const ARCHIVE_USAGE = `Usage: sluice archive [template.yaml | directory | handler file] [options]

Bundles each function with esbuild (tree-shaken, for Node 20) into a reproducible zip (the same sources give
the same bytes): .sluice/archive/<Function>/<Function>.zip next to the template, ready for SAM's CodeUri or
\`aws lambda create-function --zip-file\` on the managed Node.js runtime. The zip keeps the template's
Handler valid (Handler src/app.handler → src/app.mjs in the zip). Default: the current directory.

Options:
  -f, --function <name>   Package only this function (logical id or name); repeatable
      --minify            Minify (default: the template's Metadata.BuildProperties.Minify)
      --sourcemap         Add a source map (then set NODE_OPTIONS=--enable-source-maps on the function)
      --sluice-runtime    Also package sluice's runtime loop and its exec wrapper; set
                          ${RUNTIME_LOOP.environmentVariable}=${RUNTIME_LOOP.execWrapperPath} on the function to use it
  -o, --out-dir <dir>     Write the zips under <dir>/<Function>/ instead of .sluice/archive/
  -p, --parameter <K=V>   A template parameter value, as sam deploy --parameter-overrides; repeatable
      --region <region>   AWS::Region in the template (default: $AWS_REGION, else us-east-1)
  -h, --help              Show this help
`;

/**
 * Runs `sluice archive`. Progress and warnings go to stderr, each zip's path to stdout. Resolves with the exit
 * code; template and build errors are thrown as `TemplateError`/`ArchiveError` (exit code 1).
 *
 * @example
 * process.exitCode = await archiveCommand(['template.yaml', '--minify'], io);
 */
export async function archiveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      function: { type: 'string', short: 'f', multiple: true },
      minify: { type: 'boolean' },
      sourcemap: { type: 'boolean' },
      'sluice-runtime': { type: 'boolean' },
      'out-dir': { type: 'string', short: 'o' },
      parameter: { type: 'string', short: 'p', multiple: true },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    io.out(ARCHIVE_USAGE);
    return 0;
  }
  const started = performance.now();
  const project = await loadProject(positionals[0] ?? '.', {
    cwd: io.cwd,
    parameterOverrides: parameterOverrides(values.parameter),
    ...(values.region ? { region: values.region } : {}),
  });
  for (const warning of project.warnings) io.err(`warning: ${warning}\n`);
  const shown = (file: string) => path.relative(io.cwd, file) || '.';
  const source = project.templateFile ? shown(project.templateFile) : shown(project.root);
  io.err(`Packaging ${source}\n`);

  const report = (event: ArchiveProgress) => {
    const step = `[${event.index}/${event.total}]`;
    if (event.kind === 'start') io.err(`${step} ${event.logicalId}: bundling ${shown(event.entry)}\n`);
    else if (event.kind === 'skipped') io.err(`${step} ${event.logicalId}: skipped, ${event.reason}\n`);
    else {
      const { result } = event;
      io.err(
        `${step} ${result.logicalId}: ${formatBytes(result.bytes)} (${result.entries.length} file${result.entries.length === 1 ? '' : 's'}, ${formatBytes(result.unzippedBytes)} unzipped) in ${Math.round(result.durationMs)} ms\n`,
      );
      io.out(`${shown(result.file)}\t${result.bytes}\n`);
    }
  };
  const results = await archiveProject(project, {
    ...(values.function ? { functions: values.function } : {}),
    ...(values['out-dir'] ? { outDir: path.resolve(io.cwd, values['out-dir']) } : {}),
    ...(values.minify ? { minify: true } : {}),
    ...(values.sourcemap ? { sourcemap: true } : {}),
    sluiceRuntime: values['sluice-runtime'] ?? false,
    onProgress: report,
  });
  io.err(`Done in ${Math.round(performance.now() - started)} ms.\n`);
  if (results.length > 0) io.err(deployHints(results, shown, values.sourcemap ?? false));
  return 0;
}

/** How to deploy what was written: SAM's CodeUri, or the AWS CLI with the Handler the zip was laid out for. */
function deployHints(results: ArchiveResult[], shown: (file: string) => string, sourcemap: boolean): string {
  const lines = ['', 'Deploy with SAM (CodeUri) or the AWS CLI:'];
  for (const result of results) {
    lines.push(
      `  ${result.logicalId}: CodeUri: ${shown(result.file)}  Handler: ${result.handler}`,
      `    aws lambda create-function --function-name ${result.logicalId} --runtime ${result.runtime} --architectures ${result.architecture} --handler ${result.handler} --zip-file fileb://${shown(result.file)} --role <execution-role-arn>`,
    );
  }
  if (results.some((result) => result.sluiceRuntime)) {
    lines.push(
      '',
      `To run sluice's runtime loop, set ${RUNTIME_LOOP.environmentVariable}=${RUNTIME_LOOP.execWrapperPath} on the function (Environment.Variables).`,
    );
  }
  if (sourcemap)
    lines.push('', 'For stack traces through the source map, set NODE_OPTIONS=--enable-source-maps.');
  return `${lines.join('\n')}\n`;
}
