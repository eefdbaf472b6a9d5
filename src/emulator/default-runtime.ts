/**
 * Locates sluice's own runtime, the default runtime command of every function: `node <sluice>/dist/runtime/bootstrap.js`.
 * The path is resolved from this module's own location, so it works from `dist/emulator/` in the installed
 * package and from `src/emulator/` in the repository (tests), where it falls back to the built `dist/`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RuntimeMissingError } from './errors.js';

/**
 * The bootstrap path, or throws `RuntimeMissingError` with the fix.
 *
 * @example
 * sluiceBootstrapPath(); // '/…/node_modules/sluice/dist/runtime/bootstrap.js'
 */
export function sluiceBootstrapPath(): string {
  const candidates = [
    fileURLToPath(new URL('../runtime/bootstrap.js', import.meta.url)),
    fileURLToPath(new URL('../../dist/runtime/bootstrap.js', import.meta.url)),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new RuntimeMissingError(
      `sluice's runtime was not found (looked for ${candidates.join(' and ')}). Build the package with \`npm run build\`, or give the function a runtime command.`,
    );
  }
  return found;
}

/**
 * argv of sluice's runtime, run with the same Node binary as the emulator.
 *
 * @example
 * const [command, ...args] = sluiceRuntimeCommand(); // ['/usr/bin/node', '/…/dist/runtime/bootstrap.js']
 * spawn(command!, args, { cwd: taskRoot });
 */
export function sluiceRuntimeCommand(): string[] {
  return [process.execPath, sluiceBootstrapPath()];
}
