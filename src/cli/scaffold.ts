/**
 * `sluice init`'s library function: a new streaming TypeScript function project from the templates in
 * `templates/` (shipped with the package).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SLUICE_VERSION } from '../runtime/version.js';
import { CliErrorCode, InitError } from './errors.js';

/**
 * The kinds of project `sluice init` makes.
 *
 * @example
 * INIT_TEMPLATES[0]; // 'function-url'
 */
export const INIT_TEMPLATES = ['function-url', 'api-gateway'] as const;

/**
 * `function-url`: a function URL with `InvokeMode: RESPONSE_STREAM` and `AuthType: AWS_IAM`;
 * `api-gateway`: a REST API whose integration has `responseTransferMode: STREAM`.
 *
 * @example
 * const kind: InitTemplate = 'api-gateway';
 */
export type InitTemplate = (typeof INIT_TEMPLATES)[number];

/** `src/cli/` in the repository and `dist/cli/` in the package are both two levels below `templates/`. */
const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The root of the sluice package this code runs from (the checkout, or `node_modules/sluice`). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The dependency spec a new project gets for sluice: the version when sluice runs from an installed package;
 * `file:<checkout>` when it runs from a source checkout (not under node_modules), so that `npm install` in the
 * new project installs this very sluice instead of looking for an unpublished version in the registry.
 *
 * @example
 * sluiceDependency('/home/me/sluice/'); // 'file:/home/me/sluice'
 * sluiceDependency('/app/node_modules/sluice/'); // '^0.1.0'
 */
export function sluiceDependency(packageRoot: string = PACKAGE_ROOT): string {
  const root = path.resolve(packageRoot);
  return root.split(path.sep).includes('node_modules') ? `^${SLUICE_VERSION}` : `file:${root}`;
}

/** Entries a fresh directory may already hold: a `git init` or a Finder visit does not make it "not empty". */
const IGNORABLE = new Set(['.git', '.DS_Store']);

/**
 * @example
 * await scaffoldProject({ directory: 'my-stream', template: 'api-gateway' });
 */
export interface ScaffoldOptions {
  /** Where to create the project; created if missing, refused if not empty. */
  directory: string;
  /** Package and stack name; default the directory's name. */
  name?: string;
  /** Default `function-url`. */
  template?: InitTemplate;
  /** Where the templates are; default the package's `templates/`. */
  templatesDir?: string;
  /** The project's dependency spec for sluice; default {@link sluiceDependency}. */
  sluiceDependency?: string;
}

/**
 * What `scaffoldProject` created.
 *
 * @example
 * const { directory, files } = await scaffoldProject({ directory: 'app' });
 */
export interface ScaffoldResult {
  directory: string;
  name: string;
  template: InitTemplate;
  /** Paths relative to `directory`, sorted. */
  files: string[];
}

/**
 * Checks a project name: it names the npm package, the CloudFormation stack in the README's commands and the
 * directory, so it is held to what all three accept (lowercase letters, digits and hyphens, starting with a
 * letter, at most 64 characters).
 *
 * @example
 * projectNameProblem('my-stream'); // undefined
 * projectNameProblem('My Stream'); // 'use lowercase letters, …; for example my-stream'
 */
export function projectNameProblem(name: string): string | undefined {
  if (/^[a-z][a-z0-9-]{0,63}$/.test(name) && !name.endsWith('-')) return undefined;
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 64);
  return `use lowercase letters, digits and hyphens, starting with a letter (it names the npm package and the stack)${suggestion ? `; for example ${suggestion}` : ''}`;
}

async function collect(root: string, relative = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const name = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...(await collect(root, name)));
    else files.push(name);
  }
  return files;
}

/**
 * Creates a project: `package.json` (depending on sluice; scripts `dev`, `test`, `archive`), `tsconfig.json`,
 * `src/handler.ts` (a `streamingHandler` that writes status and headers, then timed lines), `src/handler.test.ts`
 * (node:test, through sluice's response stream), `template.yaml` and a README with the curl commands. Refuses a
 * directory that is not empty (`SLUICE_INIT_NOT_EMPTY`) rather than overwrite anything.
 *
 * @example
 * const { files } = await scaffoldProject({ directory: path.resolve('my-stream') });
 * // ['.gitignore', 'README.md', 'package.json', 'src/handler.test.ts', 'src/handler.ts', 'template.yaml', 'tsconfig.json']
 */
export async function scaffoldProject(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const directory = path.resolve(options.directory);
  const template = options.template ?? 'function-url';
  const name = options.name ?? path.basename(directory);
  const problem = projectNameProblem(name);
  if (problem) {
    throw new InitError(
      CliErrorCode.initInvalidName,
      `${JSON.stringify(name)} cannot name the project: ${problem}`,
    );
  }
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory()) {
      throw new InitError(CliErrorCode.initNotEmpty, `${directory} exists and is not a directory`);
    }
    const present = readdirSync(directory).filter((entry) => !IGNORABLE.has(entry));
    if (present.length > 0) {
      const shown = present.slice(0, 3).join(', ') + (present.length > 3 ? ', …' : '');
      throw new InitError(
        CliErrorCode.initNotEmpty,
        `${directory} is not empty (${shown}); sluice init does not overwrite files: choose a new name or an empty directory`,
      );
    }
  }
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const common = path.join(templatesDir, 'common');
  const variant = path.join(templatesDir, template);
  if (!existsSync(common) || !existsSync(variant)) {
    throw new InitError(
      CliErrorCode.initTemplatesMissing,
      `the ${template} template is missing from ${templatesDir}; reinstall sluice`,
    );
  }
  // The variant's files win over the common ones with the same path.
  const sources = new Map<string, string>();
  for (const root of [common, variant]) {
    for (const file of await collect(root)) sources.set(file, path.join(root, file));
  }
  const values: Record<string, string> = {
    name,
    sluiceDependency: options.sluiceDependency ?? sluiceDependency(),
    template,
  };
  const written: string[] = [];
  for (const [file, source] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // npm leaves `.gitignore` out of published packages, so the template stores it as `gitignore`.
    const target = file === 'gitignore' ? '.gitignore' : file;
    const text = (await readFile(source, 'utf8')).replace(
      /\{\{(\w+)\}\}/g,
      (match, key: string) => values[key] ?? match,
    );
    await mkdir(path.dirname(path.join(directory, target)), { recursive: true });
    await writeFile(path.join(directory, target), text, { flag: 'wx' });
    written.push(target);
  }
  return { directory, name, template, files: written.sort() };
}
