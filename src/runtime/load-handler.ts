/**
 * Loads the user's handler from `_HANDLER` and `LAMBDA_TASK_ROOT` the way AWS's Node runtime does
 * (examples.md §7): `dir/module.export.path`, CommonJS `.js`, ESM `.mjs`, `.js` under a
 * `"type": "module"` package.json, `.cjs`, extensionless files, then Node resolution; top-level await
 * included. Failures become AWS's `Runtime.*` init errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeErrorType } from '../protocol/index.js';
import { LambdaRuntimeError, RuntimeErrorCode } from './errors.js';

const require = createRequire(import.meta.url);

function malformed(message: string): LambdaRuntimeError {
  return new LambdaRuntimeError(
    RuntimeErrorType.malformedHandlerName,
    RuntimeErrorCode.malformedHandlerName,
    message,
  );
}

/**
 * Splits a handler string into the module path (relative to the task root) and the export path.
 *
 * @example
 * splitHandlerString('src/app.handler'); // { modulePath: 'src/app', exportPath: 'handler' }
 */
export function splitHandlerString(handler: string): { modulePath: string; exportPath: string } {
  if (handler.includes('..')) {
    throw malformed(
      `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handler);
  const dir = handler.slice(0, handler.lastIndexOf(base));
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw malformed('Bad handler');
  return { modulePath: dir + base.slice(0, dot), exportPath: base.slice(dot + 1) };
}

function nearestPackageIsModule(directory: string): boolean {
  let dir = directory;
  for (;;) {
    if (dir.endsWith(`${path.sep}node_modules`)) return false;
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        console.warn(`${manifest} cannot be read, it will be ignored for ES module detection purposes.`);
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

async function importModule(file: string): Promise<unknown> {
  return import(pathToFileURL(file).href);
}

/** Loads the module the way AWS's runtime searches for it. */
async function loadModule(taskRoot: string, modulePath: string): Promise<unknown> {
  const base = path.resolve(taskRoot, modulePath);
  if (existsSync(base)) return require(base);
  const js = `${base}.js`;
  const isModule = existsSync(js) && nearestPackageIsModule(path.dirname(js));
  if (existsSync(js)) return isModule ? importModule(js) : require(js);
  if (existsSync(`${base}.mjs`)) return importModule(`${base}.mjs`);
  if (existsSync(`${base}.cjs`)) return require(`${base}.cjs`);
  // Last, Node resolution from the task root (a handler in a package under node_modules).
  const resolved = require.resolve(modulePath, { paths: [taskRoot, path.dirname(base)] });
  return resolved.endsWith('.mjs') ||
    (resolved.endsWith('.js') && nearestPackageIsModule(path.dirname(resolved)))
    ? importModule(resolved)
    : require(resolved);
}

function resolveExport(moduleValue: unknown, exportPath: string): unknown {
  let value: unknown = moduleValue;
  for (const key of exportPath.split('.')) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Loads and returns the handler function, or throws a `LambdaRuntimeError` carrying AWS's error type.
 *
 * @example
 * const handler = await loadHandler('/var/task', 'index.handler');
 */
export async function loadHandler(
  taskRoot: string,
  handlerString: string,
): Promise<(...args: never[]) => unknown> {
  const { modulePath, exportPath } = splitHandlerString(handlerString);
  let moduleValue: unknown;
  try {
    moduleValue = await loadModule(taskRoot, modulePath);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new LambdaRuntimeError(
        RuntimeErrorType.userCodeSyntaxError,
        RuntimeErrorCode.userCodeSyntax,
        String(error),
        { cause: error },
      );
    }
    const code = (error as { code?: unknown } | null | undefined)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new LambdaRuntimeError(
        RuntimeErrorType.importModuleError,
        RuntimeErrorCode.importModule,
        String(error),
        { cause: error },
      );
    }
    throw error;
  }
  const handler = resolveExport(moduleValue, exportPath);
  // Any falsy export reads as missing, as in AWS's runtime.
  if (!handler) {
    throw new LambdaRuntimeError(
      RuntimeErrorType.handlerNotFound,
      RuntimeErrorCode.handlerNotFound,
      `${handlerString} is undefined or not exported`,
    );
  }
  if (typeof handler !== 'function') {
    throw new LambdaRuntimeError(
      RuntimeErrorType.handlerNotFound,
      RuntimeErrorCode.handlerNotFound,
      `${handlerString} is not a function`,
    );
  }
  return handler as (...args: never[]) => unknown;
}
