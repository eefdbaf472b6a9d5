import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LambdaRuntimeError } from './errors.js';
import { splitHandlerString } from './load-handler.js';

describe('splitHandlerString', () => {
  it.each([
    ['index.handler', 'index', 'handler'],
    ['src/app.handler', 'src/app', 'handler'],
    ['index.nested.handler', 'index', 'nested.handler'],
    ['a/b/c.d', 'a/b/c', 'd'],
    ['/abs/dir/fn.run', '/abs/dir/fn', 'run'],
    ['lib/handlers/api.v2.get', 'lib/handlers/api', 'v2.get'],
  ])('%s → module %s, export %s', (handler, modulePath, exportPath) => {
    expect(splitHandlerString(handler)).toEqual({ modulePath, exportPath });
  });

  // Regression: the module directory was cut at handler.length - basename.length, which is wrong when
  // path.basename drops a trailing slash, so 'src/app.handler/' became module 'src/aapp'. AWS's runtime
  // takes the directory up to where the basename starts.
  it('keeps the directory right when the handler string ends with a slash', () => {
    expect(splitHandlerString('src/app.handler/')).toEqual({ modulePath: 'src/app', exportPath: 'handler' });
  });

  it.each(['index', '.handler', 'index.', '../x.handler', 'src/../x.handler', 'src/', ''])(
    'rejects %j as Runtime.MalformedHandlerName',
    (handler) => {
      let thrown: unknown;
      try {
        splitHandlerString(handler);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LambdaRuntimeError);
      expect(thrown).toMatchObject({
        name: 'Runtime.MalformedHandlerName',
        code: 'SLUICE_MALFORMED_HANDLER_NAME',
      });
    },
  );
});

/**
 * loadHandler runs in a real Node process, not inside vitest: vitest rewrites `import()` in the code it
 * transforms and loads user files through Vite (a syntax error there is Vite's plain Error, not Node's
 * SyntaxError; `.js` under "type": "module" gets a `require` shim), which is not what happens in Lambda.
 * The harness is load-handler.ts bundled as is with esbuild, driven by a tiny script in a child process.
 */
interface LoadOutcome {
  ok: boolean;
  handlerType?: string;
  value?: unknown;
  name?: string;
  code?: string;
  message?: string;
  isLambdaRuntimeError?: boolean;
  causeCode?: string;
  causeIsSyntaxError?: boolean;
  sameAsThrown?: boolean;
  thrownKind?: string;
}

const RUNNER = `
import { writeFileSync } from 'node:fs';
import { LambdaRuntimeError, loadHandler } from './load-handler.mjs';
const [taskRoot, handlerString, argsJson, outFile] = process.argv.slice(2);
let outcome;
try {
  const handler = await loadHandler(taskRoot, handlerString);
  const value = await handler(...JSON.parse(argsJson));
  outcome = { ok: true, handlerType: typeof handler, value };
} catch (error) {
  outcome = {
    ok: false,
    name: error?.name,
    code: error?.code,
    message: error?.message,
    isLambdaRuntimeError: error instanceof LambdaRuntimeError,
    causeCode: error?.cause?.code,
    causeIsSyntaxError: error?.cause instanceof SyntaxError,
    sameAsThrown: error === globalThis.__sluiceInitError,
    thrownKind: error === null ? 'null' : typeof error,
  };
}
writeFileSync(outFile, JSON.stringify(outcome));
`;

const execFileAsync = promisify(execFile);
let harness: string;
beforeAll(async () => {
  harness = mkdtempSync(path.join(os.tmpdir(), 'sluice-load-harness-'));
  await build({
    stdin: {
      contents:
        "export { loadHandler } from './load-handler.js'; export { LambdaRuntimeError } from './errors.js';",
      resolveDir: path.dirname(fileURLToPath(import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(harness, 'load-handler.mjs'),
    logLevel: 'silent',
  });
  writeFileSync(path.join(harness, 'runner.mjs'), RUNNER);
});
afterAll(() => {
  if (harness) rmSync(harness, { recursive: true, force: true });
});

/** A fresh task root per test: the ESM loader caches by URL, so no two tests share a file. */
let taskRoot: string;
beforeEach(() => {
  taskRoot = mkdtempSync(path.join(os.tmpdir(), 'sluice-load-handler-'));
});
afterEach(() => {
  rmSync(taskRoot, { recursive: true, force: true });
});

function write(relative: string, contents: string): void {
  const file = path.join(taskRoot, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, contents);
}

/** Loads `handlerString` from the task root in a fresh Node process and calls the handler with `args`. */
async function load(handlerString: string, ...args: unknown[]): Promise<LoadOutcome> {
  const outFile = path.join(harness, `outcome-${path.basename(taskRoot)}.json`);
  await execFileAsync(process.execPath, [
    path.join(harness, 'runner.mjs'),
    taskRoot,
    handlerString,
    JSON.stringify(args),
    outFile,
  ]);
  return JSON.parse(readFileSync(outFile, 'utf8')) as LoadOutcome;
}

async function callLoaded(handlerString: string, ...args: unknown[]): Promise<unknown> {
  const outcome = await load(handlerString, ...args);
  expect(outcome).toMatchObject({ ok: true, handlerType: 'function' });
  return outcome.value;
}

async function loadFailure(handlerString: string): Promise<LoadOutcome> {
  const outcome = await load(handlerString);
  expect(outcome.ok).toBe(false);
  return outcome;
}

describe('loadHandler: module formats', () => {
  it('loads CommonJS .js (module.exports.handler)', async () => {
    write('package.json', '{"name":"fn"}');
    write('index.js', "module.exports.handler = async (event) => ({ format: 'cjs', event });");
    expect(await callLoaded('index.handler', 7)).toEqual({ format: 'cjs', event: 7 });
  });

  it('loads ESM .mjs', async () => {
    write('index.mjs', "export const handler = async () => 'mjs';");
    expect(await callLoaded('index.handler')).toBe('mjs');
  });

  it('loads ESM .js under a package.json with "type": "module"', async () => {
    write('package.json', '{"type":"module"}');
    write(
      'index.js',
      "export const handler = async () => typeof require + ' ' + import.meta.url.endsWith('/index.js');",
    );
    expect(await callLoaded('index.handler')).toBe('undefined true');
  });

  it('loads .cjs', async () => {
    write('package.json', '{"type":"module"}');
    write('index.cjs', "exports.handler = () => 'cjs file';");
    expect(await callLoaded('index.handler')).toBe('cjs file');
  });

  it('loads an extensionless file as CommonJS', async () => {
    write('bare', "exports.handler = () => 'extensionless';");
    expect(await callLoaded('bare.handler')).toBe('extensionless');
  });

  it('loads a nested path (src/app.handler)', async () => {
    write('src/app.js', "exports.handler = () => 'nested path';");
    expect(await callLoaded('src/app.handler')).toBe('nested path');
  });

  it('loads an export other than handler (index.echo)', async () => {
    write('index.mjs', 'export const handler = () => "wrong"; export const echo = (x) => x;');
    expect(await callLoaded('index.echo', 'echoed')).toBe('echoed');
  });

  it('loads a nested export path (index.nested.fn), CommonJS and ESM', async () => {
    write('index.js', "module.exports.nested = { fn: () => 'cjs nested' };");
    write('other.mjs', "export const nested = { fn: () => 'esm nested' };");
    expect(await callLoaded('index.nested.fn')).toBe('cjs nested');
    expect(await callLoaded('other.nested.fn')).toBe('esm nested');
  });

  it('waits for top-level await in .mjs', async () => {
    write(
      'index.mjs',
      "const ready = await new Promise((resolve) => setTimeout(() => resolve('after await'), 20));\n" +
        'export const handler = () => ready;',
    );
    expect(await callLoaded('index.handler')).toBe('after await');
  });

  it('prefers .js over .mjs and .cjs', async () => {
    write('index.js', "exports.handler = () => 'js';");
    write('index.mjs', "export const handler = () => 'mjs';");
    write('index.cjs', "exports.handler = () => 'cjs';");
    expect(await callLoaded('index.handler')).toBe('js');
  });

  it('falls back to Node resolution for a package under node_modules', async () => {
    write('node_modules/my-fn/package.json', '{"name":"my-fn","main":"lib/main.js"}');
    write('node_modules/my-fn/lib/main.js', "exports.handler = () => 'from node_modules';");
    expect(await callLoaded('my-fn.handler')).toBe('from node_modules');
  });

  it('imports an ESM package under node_modules', async () => {
    write('node_modules/esm-fn/package.json', '{"name":"esm-fn","type":"module","main":"index.js"}');
    write('node_modules/esm-fn/index.js', "export const handler = () => 'esm from node_modules';");
    expect(await callLoaded('esm-fn.handler')).toBe('esm from node_modules');
  });
});

describe('loadHandler: failures', () => {
  it('a missing module is Runtime.ImportModuleError', async () => {
    const outcome = await loadFailure('nothere.handler');
    expect(outcome).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.ImportModuleError',
      code: 'SLUICE_IMPORT_MODULE_ERROR',
      causeCode: 'MODULE_NOT_FOUND',
    });
    expect(outcome.message).toContain("Cannot find module 'nothere'");
  });

  it('a CommonJS module requiring a missing package is Runtime.ImportModuleError (MODULE_NOT_FOUND)', async () => {
    write('index.js', "require('sluice-no-such-package');\nexports.handler = () => 1;");
    const outcome = await loadFailure('index.handler');
    expect(outcome).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.ImportModuleError',
      code: 'SLUICE_IMPORT_MODULE_ERROR',
      causeCode: 'MODULE_NOT_FOUND',
    });
    expect(outcome.message).toContain("Cannot find module 'sluice-no-such-package'");
  });

  it('an ES module importing a missing package is Runtime.ImportModuleError (ERR_MODULE_NOT_FOUND)', async () => {
    write('index.mjs', "import 'sluice-no-such-package';\nexport const handler = () => 1;");
    const outcome = await loadFailure('index.handler');
    expect(outcome).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.ImportModuleError',
      code: 'SLUICE_IMPORT_MODULE_ERROR',
      causeCode: 'ERR_MODULE_NOT_FOUND',
    });
    expect(outcome.message).toContain("'sluice-no-such-package'");
  });

  it('a CommonJS syntax error is Runtime.UserCodeSyntaxError', async () => {
    write('index.js', 'module.exports.handler = (;');
    const outcome = await loadFailure('index.handler');
    expect(outcome).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.UserCodeSyntaxError',
      code: 'SLUICE_USER_CODE_SYNTAX_ERROR',
      causeIsSyntaxError: true,
    });
    expect(outcome.message).toMatch(/^SyntaxError: /);
  });

  it('an ESM syntax error is Runtime.UserCodeSyntaxError', async () => {
    write('index.mjs', 'export const handler = ) => 1;');
    const outcome = await loadFailure('index.handler');
    expect(outcome).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.UserCodeSyntaxError',
      code: 'SLUICE_USER_CODE_SYNTAX_ERROR',
      causeIsSyntaxError: true,
    });
    expect(outcome.message).toMatch(/^SyntaxError: /);
  });

  it('a syntax error in .js under "type": "module" is Runtime.UserCodeSyntaxError', async () => {
    write('package.json', '{"type":"module"}');
    write('index.js', 'export const handler = async () => {;');
    expect(await loadFailure('index.handler')).toMatchObject({ name: 'Runtime.UserCodeSyntaxError' });
  });

  it('a missing export is Runtime.HandlerNotFound', async () => {
    write('index.js', 'exports.other = () => 1;');
    expect(await loadFailure('index.handler')).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.HandlerNotFound',
      code: 'SLUICE_HANDLER_NOT_FOUND',
      message: 'index.handler is undefined or not exported',
    });
  });

  it('a missing nested export is Runtime.HandlerNotFound', async () => {
    write('index.mjs', 'export const handler = () => 1;');
    expect(await loadFailure('index.nested.fn')).toMatchObject({
      name: 'Runtime.HandlerNotFound',
      code: 'SLUICE_HANDLER_NOT_FOUND',
      message: 'index.nested.fn is undefined or not exported',
    });
  });

  it('an export that is not a function is Runtime.HandlerNotFound', async () => {
    write('index.js', "exports.handler = 'not callable';");
    expect(await loadFailure('index.handler')).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.HandlerNotFound',
      code: 'SLUICE_HANDLER_NOT_FOUND',
      message: 'index.handler is not a function',
    });
  });

  it('a plain Error thrown at the top level of a CommonJS module propagates unchanged', async () => {
    write('index.js', "const e = new Error('init failed'); globalThis.__sluiceInitError = e; throw e;");
    expect(await loadFailure('index.handler')).toMatchObject({
      isLambdaRuntimeError: false,
      sameAsThrown: true,
      name: 'Error',
      message: 'init failed',
    });
  });

  it('a plain Error thrown at the top level of an ES module propagates unchanged', async () => {
    write('index.mjs', "const e = new Error('esm init failed'); globalThis.__sluiceInitError = e; throw e;");
    expect(await loadFailure('index.handler')).toMatchObject({
      isLambdaRuntimeError: false,
      sameAsThrown: true,
      name: 'Error',
      message: 'esm init failed',
    });
  });

  // Regression: loadHandler read `error.code` of whatever the module threw, so a module whose top level
  // throws null or undefined made sluice itself throw a TypeError and the thrown value was lost.
  it.each([
    ['CommonJS', 'null', 'index.js'],
    ['CommonJS', 'undefined', 'index.js'],
    ['ESM', 'null', 'index.mjs'],
    ['ESM', 'undefined', 'index.mjs'],
  ])('%s: a top-level `throw %s` propagates unchanged', async (_format, value, file) => {
    write(file, `globalThis.__sluiceInitError = ${value}; throw ${value};`);
    expect(await loadFailure('index.handler')).toMatchObject({
      isLambdaRuntimeError: false,
      sameAsThrown: true,
      thrownKind: value,
    });
  });

  it('a malformed handler string fails before anything is loaded', async () => {
    expect(await loadFailure('index')).toMatchObject({
      isLambdaRuntimeError: true,
      name: 'Runtime.MalformedHandlerName',
      code: 'SLUICE_MALFORMED_HANDLER_NAME',
    });
  });
});
