/**
 * `loadProject(pathArg)`: what `sluice dev` and `sluice archive` accept, a template, a directory or one
 * handler file, turned into the same {@link TemplateProject}.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TemplateError, TemplateErrorCode } from './errors.js';
import { findModuleSource, isSourceFile, isTypeScriptFile } from './handler-source.js';
import { defaultStackName, loadTemplateFile } from './parse-template.js';
import type { TemplateFunction, TemplateOptions, TemplateProject } from './types.js';

/**
 * File names looked for, in order, in a directory given to `loadProject`.
 *
 * @example
 * TEMPLATE_FILE_NAMES[0]; // 'template.yaml', as `sam` looks for it
 */
export const TEMPLATE_FILE_NAMES = ['template.yaml', 'template.yml', 'template.json'] as const;

/** Module names tried, in order, for a directory of handler sources without a template. */
const ENTRY_MODULES = ['index', 'handler', 'app', 'main', 'src/index', 'src/handler', 'src/app', 'src/main'];

/**
 * What a function gets when there is no template: a function URL that streams, without authentication (so
 * `curl --no-buffer` works locally), a 60-second timeout (Lambda's 3-second default is short for streaming),
 * Lambda's other defaults (128 MB), and `index.handler` as the Handler of its deployed zip.
 *
 * @example
 * PROJECT_DEFAULTS.timeout; // 60
 */
export const PROJECT_DEFAULTS = {
  timeout: 60,
  exportName: 'handler',
  invokeMode: 'RESPONSE_STREAM',
  authType: 'NONE',
  lambdaHandler: 'index.handler',
} as const;

const TEMPLATE_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

/** A Lambda function name from a file or directory name: letters, digits, `-`, `_`; at most 64. */
function functionNameFrom(base: string): string {
  const name = base
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return name || 'function';
}

/** The nearest directory at or above `start` with a package.json, else `start`. */
function projectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

function defaultFunction(name: string, code: TemplateFunction['code'], handler: string): TemplateFunction {
  const codePath = code.kind === 'source' ? code.entry : code.kind === 'directory' ? code.directory : '';
  const url = {
    logicalId: `${name}Url`,
    authType: PROJECT_DEFAULTS.authType,
    invokeMode: PROJECT_DEFAULTS.invokeMode,
  } as const;
  return {
    logicalId: name,
    resourceType: 'source',
    definition: {
      name,
      code: codePath,
      handler,
      timeout: PROJECT_DEFAULTS.timeout,
      invokeMode: PROJECT_DEFAULTS.invokeMode,
      url: { authType: PROJECT_DEFAULTS.authType, invokeMode: PROJECT_DEFAULTS.invokeMode },
    },
    code,
    handler: code.kind === 'directory' ? handler : PROJECT_DEFAULTS.lambdaHandler,
    architectures: ['x86_64'],
    url: { ...url },
    urls: [{ ...url }],
    events: [],
    build: {},
  };
}

/**
 * One function for a handler file. TypeScript is bundled; a JavaScript file runs from its directory as the
 * task root with Handler `<file>.handler`, as Lambda would run it (CommonJS, package.json "type" and all).
 */
function fileFunction(file: string, name: string): TemplateFunction {
  if (isTypeScriptFile(file))
    return defaultFunction(name, { kind: 'source', entry: file }, PROJECT_DEFAULTS.exportName);
  const module = path.basename(file, path.extname(file));
  return defaultFunction(
    name,
    { kind: 'directory', directory: path.dirname(file) },
    `${module}.${PROJECT_DEFAULTS.exportName}`,
  );
}

function isHandlerCandidate(file: string): boolean {
  const base = path.basename(file);
  return (
    isSourceFile(file) &&
    !base.endsWith('.d.ts') &&
    !/\.(test|spec)\.[cm]?[jt]sx?$/.test(base) &&
    !/\.config\.[cm]?[jt]s$/.test(base) &&
    !base.startsWith('.')
  );
}

/** Functions of a directory without a template. */
function directoryFunctions(directory: string): TemplateFunction[] {
  const name = functionNameFrom(path.basename(directory));
  for (const modulePath of ENTRY_MODULES) {
    const source = findModuleSource(directory, modulePath);
    if (!source) continue;
    // A plain JavaScript directory is a task root, used as is (`node_modules`, package.json "type" and all),
    // as Lambda would use it unzipped; TypeScript is bundled.
    if (isTypeScriptFile(source)) return [fileFunction(source, name)];
    return [
      defaultFunction(name, { kind: 'directory', directory }, `${modulePath}.${PROJECT_DEFAULTS.exportName}`),
    ];
  }
  // No conventional entry: every handler source at the top is a function, named after its file.
  const files = readdirSync(directory)
    .map((entry) => path.join(directory, entry))
    .filter((file) => isHandlerCandidate(file) && statSync(file).isFile())
    .sort();
  return files.map((file) => fileFunction(file, functionNameFrom(path.basename(file, path.extname(file)))));
}

/** Writes `InlineCode`/`Code.ZipFile` where the definition expects it (only when it changed). */
function materializeInlineCode(functions: readonly TemplateFunction[]): void {
  for (const fn of functions) {
    if (fn.code.kind !== 'inline') continue;
    const { file, source } = fn.code;
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === source) continue;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source);
  }
}

/**
 * Loads what `sluice dev` and `sluice archive` are pointed at (default: the current directory):
 *
 * - a **template file** (`.yaml`, `.yml`, `.json`): its functions, URLs and APIs (see `parseTemplate`);
 * - a **directory** with `template.yaml`, `template.yml` or `template.json`: that template;
 * - a **directory** without one: a single function named after the directory, whose entry is the first of
 *   `index`, `handler`, `app`, `main` (then the same under `src/`) with a `.ts`/`.mts`/`.js`/… extension. A
 *   TypeScript entry is bundled; a JavaScript one makes the directory a task root used as-is (Handler
 *   `index.handler`). With none of those, each top-level source file is a function named after the file;
 * - a **handler file** (`.ts`, `.mts`, `.js`, …): one function named after the file (a JavaScript file runs
 *   from its directory, Handler `<file>.handler`, as Lambda would run it).
 *
 * Without a template, functions get {@link PROJECT_DEFAULTS}: export `handler`, a function URL with
 * `InvokeMode: RESPONSE_STREAM` and `AuthType: NONE`, a 60 s timeout, and `index.handler` as the deployed
 * Handler.
 *
 * In a template, a Node.js function's handler source is found from its Handler (`src/app.handler` → module
 * `src/app`) under its CodeUri: `src/app.ts`, `.mts`, `.cts`, `.tsx`, then `src/app.js`, `.mjs`, `.cjs`,
 * `.jsx`. `Metadata.BuildProperties.EntryPoints` (SAM's esbuild builder) takes precedence. TypeScript (or any
 * entry with `BuildMethod: esbuild`) is bundled with esbuild; plain JavaScript runs from its CodeUri as-is.
 * A CodeUri that is a zip (what `sluice archive` or `swift package archive` builds) is served from the sources
 * behind it when the Handler's module is found under the template's directory, else from the zip itself.
 *
 * `InlineCode` (and `AWS::Lambda::Function` `Code.ZipFile`) is written to `.sluice/inline/<LogicalId>/index.js`.
 *
 * @example
 * const project = await loadProject('examples/streaming/template.yaml');
 * const emulator = await startEmulator({ functions: project.functions.map((fn) => fn.definition), cwd: project.root });
 */
export async function loadProject(pathArg = '.', options: TemplateOptions = {}): Promise<TemplateProject> {
  const cwd = options.cwd ?? process.cwd();
  const target = path.resolve(cwd, pathArg);
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(target);
  } catch {
    throw new TemplateError(
      TemplateErrorCode.notFound,
      `${pathArg} does not exist: give a template (template.yaml), a directory, or a handler file (handler.ts)`,
    );
  }

  if (info.isDirectory()) {
    const template = TEMPLATE_FILE_NAMES.map((name) => path.join(target, name)).find(existsSync);
    if (template) return withInlineCode(loadTemplateFile(template, options));
    const functions = directoryFunctions(target);
    if (functions.length === 0) {
      throw new TemplateError(
        TemplateErrorCode.notFound,
        `${pathArg} has no ${TEMPLATE_FILE_NAMES.join(', ')} and no handler source (index.ts, handler.ts, app.ts, main.ts, or the same under src/, or any .ts/.js file)`,
      );
    }
    return {
      functions,
      apis: [],
      warnings: [],
      root: target,
      stackName: defaultStackName(path.join(target, 'x')),
    };
  }

  const extension = path.extname(target).toLowerCase();
  if (TEMPLATE_EXTENSIONS.has(extension)) return withInlineCode(loadTemplateFile(target, options));
  if (isSourceFile(target)) {
    const name = functionNameFrom(path.basename(target, path.extname(target)));
    const root = projectRoot(path.dirname(target));
    return {
      functions: [fileFunction(target, name)],
      apis: [],
      warnings: [],
      root,
      stackName: defaultStackName(path.join(root, 'x')),
    };
  }
  throw new TemplateError(
    TemplateErrorCode.notFound,
    `${pathArg} is neither a template (.yaml, .yml, .json) nor a handler source (.ts, .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx)`,
  );
}

function withInlineCode(project: TemplateProject): TemplateProject {
  materializeInlineCode(project.functions);
  return project;
}
