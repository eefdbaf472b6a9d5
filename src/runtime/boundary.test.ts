/**
 * The architecture, enforced: sluice/runtime ships inside every function zip, so it may import only `node:`
 * built-ins, itself and sluice/protocol; sluice/protocol is pure codecs shared with the emulator, so it may
 * import only itself (no I/O modules, no packages).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const RUNTIME_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROTOCOL_DIR = path.resolve(RUNTIME_DIR, '../protocol');

/**
 * Blanks out comments and regex literals (keeping line breaks and string literals), so an
 * `import … from 'x'` in a JSDoc example is not taken for a real import. A `/` starts a regex literal when
 * what came before cannot end an operand (the usual rule), so quotes or `//` inside one do not derail the
 * scan; template literals are followed through their `${…}` parts.
 */
function stripComments(source: string): string {
  let out = '';
  let i = 0;
  let previous = ''; // last significant character copied, for the regex-literal rule
  let depth = 0; // brace depth outside templates
  const templateResume: number[] = []; // brace depth at which each open `${` returns to its template

  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  const templateBody = (): void => {
    while (i < source.length) {
      const c = source[i] as string;
      if (c === '\\') {
        out += source.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        out += c;
        i++;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        out += '${';
        i += 2;
        templateResume.push(depth);
        return;
      } else {
        out += c;
        i++;
      }
    }
  };
  const quoted = (quote: string): void => {
    out += quote;
    i++;
    while (i < source.length) {
      const c = source[i] as string;
      if (c === '\\') {
        out += source.slice(i, i + 2);
        i += 2;
        continue;
      }
      out += c;
      i++;
      if (c === quote || c === '\n') return;
    }
  };

  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === "'" || c === '"') {
      quoted(c);
      previous = c;
    } else if (c === '`') {
      out += c;
      i++;
      templateBody();
      previous = c;
    } else if (c === '}' && templateResume.at(-1) === depth) {
      templateResume.pop();
      out += c;
      i++;
      templateBody();
      previous = '`';
    } else if (
      c === '/' &&
      (previous === '' || '(,=:[!&|?{};+-*%<>~^'.includes(previous) || /\breturn\s*$/.test(out))
    ) {
      const start = i;
      let inClass = false;
      for (i++; i < source.length; i++) {
        const r = source[i];
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if ((r === '/' && !inClass) || r === '\n') break;
      }
      i++;
      out += blank(source.slice(start, i));
      previous = '/';
    } else {
      if (c === '{') depth++;
      if (c === '}') depth--;
      if (!/\s/.test(c)) previous = c;
      out += c;
      i++;
    }
  }
  return out;
}

const STATIC_IMPORT =
  /(?:^|[;\s}])(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s*)?(['"])([^'"\n]+)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g;
const REQUIRE_CALL = /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g;

/** Every module specifier a source file imports or re-exports, statically or with `import('…')`. */
function importSpecifiers(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT, REQUIRE_CALL]) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[2] as string;
      // A template literal with a substitution is computed at run time, not a fixed specifier.
      if (!(match[1] === '`' && specifier.includes('${'))) found.push(specifier);
    }
  }
  return found;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => path.join(directory, name))
    .sort();
}

const inside = (directory: string, file: string): boolean => {
  const relative = path.relative(directory, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

/** The imports of `files` that `allowed` refuses, as `file: 'specifier'` lines. */
function violations(files: string[], allowed: (specifier: string, file: string) => boolean): string[] {
  const problems: string[] = [];
  for (const file of files) {
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!allowed(specifier, file)) {
        problems.push(`${path.relative(path.resolve(RUNTIME_DIR, '../..'), file)} imports '${specifier}'`);
      }
    }
  }
  return problems;
}

function resolvesInto(specifier: string, file: string, directories: string[]): boolean {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return directories.some((directory) => inside(directory, target));
}

const runtimeAllows = (specifier: string, file: string): boolean =>
  specifier.startsWith('node:') || resolvesInto(specifier, file, [RUNTIME_DIR, PROTOCOL_DIR]);

const protocolAllows = (specifier: string, file: string): boolean =>
  resolvesInto(specifier, file, [PROTOCOL_DIR]);

describe('architecture boundaries', () => {
  it('finds the source files to check', () => {
    expect(sourceFiles(RUNTIME_DIR).map((file) => path.basename(file))).toContain('load-handler.ts');
    expect(sourceFiles(PROTOCOL_DIR).map((file) => path.basename(file))).toContain('prelude.ts');
    expect(sourceFiles(RUNTIME_DIR).some((file) => file.endsWith('.test.ts'))).toBe(false);
  });

  it('src/runtime imports only node: built-ins, src/runtime and src/protocol', () => {
    expect(violations(sourceFiles(RUNTIME_DIR), runtimeAllows)).toEqual([]);
  });

  it('src/protocol imports only src/protocol', () => {
    expect(violations(sourceFiles(PROTOCOL_DIR), protocolAllows)).toEqual([]);
  });

  it("the scan agrees with TypeScript's own import scanner on every checked file", () => {
    for (const file of [...sourceFiles(RUNTIME_DIR), ...sourceFiles(PROTOCOL_DIR)]) {
      const source = readFileSync(file, 'utf8');
      const expected = ts.preProcessFile(source, true, true).importedFiles.map((ref) => ref.fileName);
      expect([...importSpecifiers(source)].sort(), file).toEqual([...expected].sort());
    }
  });
});

describe('import scan self-check', () => {
  it.each([
    ['a default import', "import x from 'pkg';", ['pkg']],
    ['a named import', 'import { a, b as c } from "pkg";', ['pkg']],
    ['a type-only import', "import type { T } from 'pkg';", ['pkg']],
    ['a namespace import', "import * as ns from 'pkg';", ['pkg']],
    ['a default plus named import', "import x, { y } from 'pkg';", ['pkg']],
    ['a side-effect import', "import 'pkg/register';", ['pkg/register']],
    ['a re-export', 'export { a } from "pkg";', ['pkg']],
    ['a star re-export', "export * from 'pkg';", ['pkg']],
    ['a namespace re-export', "export * as ns from 'pkg';", ['pkg']],
    ['a type re-export', "export type { T } from 'pkg';", ['pkg']],
    ['a dynamic import', "const m = await import('pkg');", ['pkg']],
    ['a dynamic import with a template literal', 'const m = await import(`pkg`);', ['pkg']],
    [
      'a dynamic import with options',
      "const m = await import('./data.json', { with: { type: 'json' } });",
      ['./data.json'],
    ],
    ['a require call', "const fs = require('fs');", ['fs']],
    ['a multi-line import', "import {\n  a,\n  b,\n} from 'pkg';", ['pkg']],
    [
      'a multi-line re-export',
      "export {\n  a,\n  type B,\n} from '../protocol/index.js';",
      ['../protocol/index.js'],
    ],
    ['an import after code on the same line', "const x = 1; import y from 'pkg';", ['pkg']],
    ['imports in a block', "if (x) { await import('a'); }\nexport { b } from 'b';", ['b', 'a']],
  ])('finds %s', (_name, source, expected) => {
    expect(importSpecifiers(source)).toEqual(expected);
  });

  it.each([
    ['a JSDoc example', "/**\n * @example\n * import { x } from 'pkg';\n */\nconst a = 1;"],
    ['a line comment', "// import x from 'pkg';\nconst a = 1;"],
    ['a dynamic import of a variable', 'const m = await import(url);'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is source text with a template literal
    ['a computed template specifier', 'const m = require(`${base}.cjs`); await import(`./${name}.js`);'],
    ['import.meta', 'const here = import.meta.url;'],
    ['an export declaration', "export const name = 'pkg';"],
    ['an export default string', "export default 'pkg';"],
    ['a regex literal with quotes and slashes', "const r = /'\\/\\/ import x from 'pkg'/g;"],
    ['a URL in a string', "const url = 'http://example.com/x'; // import x from 'pkg'"],
  ])('ignores %s', (_name, source) => {
    expect(importSpecifiers(source)).toEqual([]);
  });

  it('sees code after a string that contains comment markers', () => {
    expect(importSpecifiers("const glob = 'src/**/*.ts';\nimport x from 'pkg';")).toEqual(['pkg']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is source text with a template literal
    expect(importSpecifiers("const t = `a ${'}'} /* b`;\nimport x from 'pkg';")).toEqual(['pkg']);
  });

  it('reports the file and the offending specifier', () => {
    const file = path.join(RUNTIME_DIR, 'example.ts');
    const fileInProtocol = path.join(PROTOCOL_DIR, 'example.ts');
    expect(runtimeAllows('node:fs', file)).toBe(true);
    expect(runtimeAllows('./errors.js', file)).toBe(true);
    expect(runtimeAllows('../protocol/index.js', file)).toBe(true);
    expect(runtimeAllows('fs', file)).toBe(false);
    expect(runtimeAllows('yaml', file)).toBe(false);
    expect(runtimeAllows('../emulator/server.js', file)).toBe(false);
    expect(runtimeAllows('../index.js', file)).toBe(false);
    expect(runtimeAllows('./../emulator/x.js', file)).toBe(false);
    expect(protocolAllows('./prelude.js', fileInProtocol)).toBe(true);
    expect(protocolAllows('node:buffer', fileInProtocol)).toBe(false);
    expect(protocolAllows('../runtime/errors.js', fileInProtocol)).toBe(false);
    expect(protocolAllows('@smithy/util-utf8', fileInProtocol)).toBe(false);
  });
});
