#!/usr/bin/env node
/**
 * Bundles sluice's runtime entry, dist/runtime/bootstrap.js, into one ES module in place, after `tsc` has
 * compiled it (`npm run build` runs both). A function's cold start waits for the bootstrap's module graph
 * before its first `GET /next`, and Node 20's ESM loader pays for every file (resolve, realpath, async read,
 * link): the 16 compiled files of src/runtime and src/protocol took ~18 ms to load, one bundled file ~6 ms,
 * most of it `node:http`. Node 20 has no `module.enableCompileCache`, so fewer files is the remedy.
 *
 * The bundle is the code tsc emitted, concatenated; its source map chains through tsc's maps back to src/.
 * The other dist/runtime/*.js files stay as tsc wrote them: they are the `sluice/runtime` library. A build by
 * `tsc` alone (test/global-setup.ts) leaves tsc's own bootstrap.js, which behaves the same but starts slower.
 * From the installed package, `sluice archive` bundles this file once more for a zip
 * (src/archive/runtime-loop.ts); bundling a bundle changes nothing it does.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = 'dist/runtime/bootstrap.js';

const result = await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: [ENTRY],
  outfile: ENTRY,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Linked like tsc's maps; sources point at src/ through tsc's own maps, without copies of the sources.
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

// The runtime ships inside every function with no dependencies (src/runtime/boundary.test.ts enforces it
// for the sources); the bundle must not reach outside either.
for (const output of Object.values(result.metafile.outputs)) {
  for (const { path, external } of output.imports) {
    if (external && !path.startsWith('node:')) {
      throw new Error(`${ENTRY} imports ${path}: the runtime may import only node: built-ins`);
    }
  }
}
