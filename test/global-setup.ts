/**
 * Integration suites spawn the compiled runtime (dist/). `npm test` builds first; this keeps a direct
 * `npx vitest` run honest by rebuilding when any source file is newer than the build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

export default function setup(): void {
  let built = 0;
  try {
    built = statSync(path.join(root, 'dist/runtime/bootstrap.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newestSource(path.join(root, 'src'))) {
    // The same steps as `npm run build`: tsc, then the one-file runtime entry (scripts/bundle-bootstrap.mjs).
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    run([path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
    run([path.join(root, 'scripts/bundle-bootstrap.mjs')]);
  }
}
