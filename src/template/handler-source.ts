/**
 * Finding the source file behind a Lambda `Handler` string. For Node.js, Lambda's `Handler` is
 * `path/module.export` relative to the task root, and the runtime tries `module.js`, `.mjs` and `.cjs`
 * (aws-lambda-nodejs-runtime-interface-client, UserFunction.js). A TypeScript project has `module.ts` there
 * instead, before bundling: sluice looks for that, then for the JavaScript files Lambda itself would load.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * Extensions tried for a handler module, in order: TypeScript first (the source of what gets deployed), then
 * the JavaScript files Lambda's Node runtime loads.
 *
 * @example
 * MODULE_EXTENSIONS.map((ext) => `app${ext}`); // ['app.ts', 'app.mts', 'app.cts', 'app.tsx', 'app.js', …]
 */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'] as const;

/**
 * Extensions that are TypeScript (or JSX), which only run once bundled.
 *
 * @example
 * isTypeScriptFile('src/app.ts'); // true
 */
export const TYPESCRIPT_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.tsx', '.jsx'];

/**
 * Whether `file` needs bundling before Node can run it (TypeScript, JSX).
 *
 * @example
 * isTypeScriptFile('index.mjs'); // false
 */
export function isTypeScriptFile(file: string): boolean {
  return TYPESCRIPT_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/**
 * Whether `file` has an extension esbuild bundles as an entry point.
 *
 * @example
 * isSourceFile('handler.ts'); // true
 * isSourceFile('template.yaml'); // false
 */
export function isSourceFile(file: string): boolean {
  return (MODULE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/**
 * True if `file` exists and is a regular file.
 *
 * @example
 * isFile('/app/template.yaml'); // true when it exists
 */
export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * True if `directory` exists and is a directory.
 *
 * @example
 * isDirectory('/app/src'); // true when it exists
 */
export function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The candidate files for module `modulePath` (`src/app`) under `directory`, in the order they are tried.
 *
 * @example
 * moduleCandidates('/fn', 'src/app'); // ['/fn/src/app.ts', '/fn/src/app.mts', …, '/fn/src/app.jsx']
 */
export function moduleCandidates(directory: string, modulePath: string): string[] {
  return MODULE_EXTENSIONS.map((extension) => path.join(directory, `${modulePath}${extension}`));
}

/**
 * The first existing source file for `modulePath` under `directory`, or undefined.
 *
 * @example
 * findModuleSource('/fn', 'app'); // '/fn/app.ts' when it exists, else '/fn/app.js', …
 */
export function findModuleSource(directory: string, modulePath: string): string | undefined {
  return moduleCandidates(directory, modulePath).find(isFile);
}

/**
 * Picks the entry among SAM's `Metadata.BuildProperties.EntryPoints` for a handler module: the entry with the
 * same path (`src/app.ts` for `src/app`), else the same file name (SAM's esbuild builder writes a single entry
 * at the artifact root, so `app.handler` goes with `src/app.ts`), else the only entry.
 *
 * @example
 * pickEntryPoint(['src/app.ts', 'src/other.ts'], 'app'); // 'src/app.ts'
 */
export function pickEntryPoint(entryPoints: readonly string[], modulePath: string): string | undefined {
  const stem = (entry: string) => entry.replace(/^\.\//, '').replace(/\.[^./]+$/, '');
  return (
    entryPoints.find((entry) => stem(entry) === modulePath) ??
    entryPoints.find((entry) => path.posix.basename(stem(entry)) === path.posix.basename(modulePath)) ??
    (entryPoints.length === 1 ? entryPoints[0] : undefined)
  );
}
