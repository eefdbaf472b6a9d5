/**
 * Turning a project's functions into task roots the emulator runs, as `sluice dev` does on start and on
 * every change: TypeScript (and esbuild-built JavaScript) is bundled with `bundleLambdaHandler`, the bundler
 * `sluice archive` uses, and laid out as the deployed zip is (Handler `src/app.handler` → `src/app.mjs`), so
 * the runtime loads it by the template's own Handler; plain JavaScript directories run as they are; a zip
 * CodeUri is unpacked.
 *
 * A function that does not build still serves: when it built before, the previous build keeps serving; when
 * it never did, its task root holds a one-line module that raises, at load, what Lambda's Node runtime would
 * raise for that source (`Runtime.UserCodeSyntaxError` for a syntax error, `Runtime.ImportModuleError` for an
 * import that does not resolve), so every invocation answers that error, as the deployed function would.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatMessages, type Message } from 'esbuild';
import { extractZip } from '../archive/extract.js';
import { bundleLambdaHandler, type LambdaBundle } from '../emulator/code-builder.js';
import { CodeBuildError } from '../emulator/errors.js';
import type { FunctionDefinition } from '../emulator/function-config.js';
import { splitHandlerString } from '../runtime/load-handler.js';
import type { TemplateFunction, TemplateProject } from '../template/types.js';
import { DevError, DevErrorCode } from './errors.js';

/**
 * How a function's code reaches the emulator.
 *
 * @example
 * const kind: DevCodeKind = 'bundle'; // a TypeScript entry bundled with esbuild
 */
export type DevCodeKind = 'bundle' | 'directory' | 'zip' | 'inline';

/**
 * `ok`: the current sources serve. `stale`: the sources do not build and the previous build keeps serving.
 * `failed`: the sources never built; invocations raise `errorType`.
 *
 * @example
 * if (build.status !== 'ok') console.error(build.problems.join('\n'));
 */
export type DevBuildStatus = 'ok' | 'stale' | 'failed';

/**
 * One function, built for the emulator.
 *
 * @example
 * const [build] = await buildFunctions(project, { scratch, generation: 1 });
 * await startEmulator({ functions: [build!.definition] });
 */
export interface FunctionBuild {
  /** The function's name (FunctionName, else the logical id). */
  name: string;
  logicalId: string;
  kind: DevCodeKind;
  /** What the emulator runs: the task root as `code`, `_HANDLER` as `handler`. */
  definition: FunctionDefinition;
  /** The handler source (bundles), the code directory, or the zip. */
  source: string;
  status: DevBuildStatus;
  /** What invocations raise while `status` is `failed`. */
  errorType?: 'Runtime.UserCodeSyntaxError' | 'Runtime.ImportModuleError';
  /** esbuild's diagnostics, and warnings such as a handler that is not exported; already formatted. */
  problems: string[];
  /** Files whose change calls for a rebuild. */
  watchFiles: string[];
  /** Directories whose files (at any depth) call for a rebuild. */
  watchTrees: string[];
  /** Equal fingerprints mean the same code (bundles, stubs and zips); a directory's is its path. */
  fingerprint: string;
}

/**
 * Where builds go and what was built before.
 *
 * @example
 * const builds = await buildFunctions(project, { scratch: '/app/.sluice/dev/42-1', generation: 2, previous });
 */
export interface BuildContext {
  /** This server's build directory. */
  scratch: string;
  /** A number new for every build round: each round writes under `<scratch>/<generation>/<Function>/`. */
  generation: number;
  /** The builds now serving, by function name. */
  previous?: ReadonlyMap<string, FunctionBuild>;
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

const isDependency = (file: string) => file.split(path.sep).includes('node_modules');

/** `file:line:column: text` of esbuild's first error, relative to the project. */
function firstError(errors: readonly Message[], fallback: string): string {
  const error = errors[0];
  if (!error) return fallback;
  const at = error.location ? `${error.location.file}:${error.location.line}:${error.location.column}: ` : '';
  return `${at}${error.text}`;
}

/**
 * The module a function that never built serves: it throws, as it loads, what Lambda's Node runtime raises
 * for such sources.
 */
function stubModule(errorType: NonNullable<FunctionBuild['errorType']>, message: string): string {
  const header = '// sluice dev: this function does not build; loading it raises what Lambda would.\n';
  if (errorType === 'Runtime.ImportModuleError') {
    return `${header}throw Object.assign(new Error(${JSON.stringify(message)}), { code: 'ERR_MODULE_NOT_FOUND' });\n`;
  }
  return `${header}throw new SyntaxError(${JSON.stringify(message)});\n`;
}

async function writeFiles(files: readonly { path: string; contents: Uint8Array }[]): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
  }
}

async function buildBundle(
  project: TemplateProject,
  fn: TemplateFunction,
  entry: string,
  context: BuildContext,
): Promise<FunctionBuild> {
  const name = fn.definition.name;
  const handler = fn.handler ?? `index.${fn.definition.handler ?? 'handler'}`;
  const { modulePath, exportPath } = splitHandlerString(handler);
  const exportName = exportPath.split('.')[0]!;
  const taskRoot = path.join(context.scratch, String(context.generation), name);
  const outfile = path.join(taskRoot, `${modulePath}.mjs`);
  const previous = context.previous?.get(name);
  const environment = { ...fn.definition.environment };
  // Stack traces point at the TypeScript sources; Lambda honours NODE_OPTIONS too.
  environment.NODE_OPTIONS ??= '--enable-source-maps';
  const definition: FunctionDefinition = { ...fn.definition, code: taskRoot, handler, environment };
  const base = { name, logicalId: fn.logicalId, kind: 'bundle' as const, source: entry };

  let bundle: LambdaBundle;
  try {
    bundle = await bundleLambdaHandler({
      entry,
      outfile,
      exportName,
      absWorkingDir: project.root,
      write: false,
      sourcemap: true,
    });
  } catch (error) {
    if (!(error instanceof CodeBuildError)) throw error;
    const errors = error.diagnostics;
    const details =
      errors.length > 0
        ? (await formatMessages([...errors], { kind: 'error', color: false })).join('').trimEnd()
        : error.message;
    const errorFiles = errors
      .map((message) => message.location?.file)
      .filter((file): file is string => Boolean(file))
      .map((file) => path.resolve(project.root, file));
    const watchFiles = [...new Set([entry, ...errorFiles, ...(previous?.watchFiles ?? [])])];
    if (previous && previous.kind === 'bundle' && previous.status !== 'failed') {
      return { ...previous, ...base, status: 'stale', problems: [details], watchFiles };
    }
    const unresolved = errors[0]?.text.startsWith('Could not resolve');
    const errorType = unresolved ? 'Runtime.ImportModuleError' : 'Runtime.UserCodeSyntaxError';
    const message = unresolved
      ? `Cannot find module ${errors[0]!.text.slice('Could not resolve '.length).replace(/^"(.*)"$/, "'$1'")} (${firstError(errors, '')})`
      : firstError(errors, error.message);
    const stub = stubModule(errorType, message);
    const fingerprint = sha256('failed', stub);
    if (previous?.fingerprint === fingerprint) {
      return { ...previous, problems: [details], watchFiles };
    }
    await rm(taskRoot, { recursive: true, force: true });
    await writeFiles([{ path: outfile, contents: Buffer.from(stub) }]);
    return {
      ...base,
      definition,
      status: 'failed',
      errorType,
      problems: [details],
      watchFiles,
      watchTrees: [],
      fingerprint,
    };
  }

  const problems: string[] = [];
  if (!bundle.exports.includes(exportName)) {
    problems.push(
      `${path.relative(project.root, entry)} does not export ${exportName} (it exports ${bundle.exports.join(', ') || 'nothing'}): invocations fail with Runtime.HandlerNotFound, as they would on Lambda (Handler ${handler})`,
    );
  }
  const watchFiles = bundle.inputs.filter((file) => !isDependency(file));
  const files = bundle.outputFiles.map((file) => ({ path: file.path, contents: file.contents }));
  const fingerprint = sha256(
    'bundle',
    ...files.flatMap((file) => [path.relative(taskRoot, file.path), file.contents]),
  );
  if (previous?.fingerprint === fingerprint && previous.kind === 'bundle') {
    return { ...previous, status: 'ok', problems, watchFiles };
  }
  await rm(taskRoot, { recursive: true, force: true });
  await writeFiles(files);
  return { ...base, definition, status: 'ok', problems, watchFiles, watchTrees: [], fingerprint };
}

async function buildZip(
  project: TemplateProject,
  fn: TemplateFunction,
  file: string,
  context: BuildContext,
): Promise<FunctionBuild> {
  const name = fn.definition.name;
  const previous = context.previous?.get(name);
  const base = { name, logicalId: fn.logicalId, kind: 'zip' as const, source: file, watchFiles: [file] };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const shown = path.relative(project.root, file);
    const problem =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `its code ${shown} does not exist: build the package first (swift package archive, sluice archive, sam build)`
        : `cannot read its code ${shown}: ${(error as Error).message}`;
    if (previous?.kind === 'zip') return { ...previous, ...base, status: 'stale', problems: [problem] };
    throw new DevError(DevErrorCode.zipUnreadable, `${fn.logicalId}: ${problem}`, { cause: error });
  }
  const fingerprint = sha256('zip', bytes);
  if (previous?.fingerprint === fingerprint && previous.kind === 'zip') return { ...previous, ...base };
  const taskRoot = path.join(context.scratch, String(context.generation), name);
  try {
    await rm(taskRoot, { recursive: true, force: true });
    await extractZip(bytes, taskRoot);
  } catch (error) {
    const problem = `cannot unpack its code ${path.relative(project.root, file)}: ${(error as Error).message}`;
    if (previous?.kind === 'zip') return { ...previous, ...base, status: 'stale', problems: [problem] };
    throw new DevError(DevErrorCode.zipUnreadable, `${fn.logicalId}: ${problem}`, { cause: error });
  }
  return {
    ...base,
    definition: { ...fn.definition, code: taskRoot },
    status: 'ok',
    problems: [],
    watchTrees: [],
    fingerprint,
  };
}

/**
 * Builds every function of `project` for the emulator (one after another: esbuild already uses every core).
 * Throws only for what cannot serve at all (`DevError` for a zip that cannot be read the first time); build
 * errors are reported in the results.
 *
 * @example
 * const builds = await buildFunctions(await loadProject('.'), { scratch, generation: 1 });
 * for (const build of builds) if (build.problems.length) console.error(build.problems.join('\n'));
 */
export async function buildFunctions(
  project: TemplateProject,
  context: BuildContext,
): Promise<FunctionBuild[]> {
  const builds: FunctionBuild[] = [];
  for (const fn of project.functions) {
    const { code } = fn;
    const name = fn.definition.name;
    switch (code.kind) {
      case 'source':
        builds.push(await buildBundle(project, fn, code.entry, context));
        break;
      case 'zip':
        builds.push(await buildZip(project, fn, code.file, context));
        break;
      case 'directory':
        builds.push({
          name,
          logicalId: fn.logicalId,
          kind: 'directory',
          definition: fn.definition,
          source: code.directory,
          status: 'ok',
          problems: [],
          watchFiles: [],
          watchTrees: [code.directory],
          fingerprint: `directory:${code.directory}`,
        });
        break;
      case 'inline':
        // The template holds the code: a change to it is a change to the template.
        builds.push({
          name,
          logicalId: fn.logicalId,
          kind: 'inline',
          definition: fn.definition,
          source: code.file,
          status: 'ok',
          problems: [],
          watchFiles: [],
          watchTrees: [],
          fingerprint: sha256('inline', code.source),
        });
        break;
    }
  }
  return builds;
}
