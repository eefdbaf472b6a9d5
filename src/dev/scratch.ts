/**
 * Where `sluice dev` writes what it builds: `.sluice/dev/<pid>-<n>/` under the project, one directory per
 * dev server, so that two servers on the same project (two terminals, parallel tests) never overwrite each
 * other's bundles. Bundles live inside the project, not in the system's temporary directory, so that a
 * bundle's `require` of something left external resolves from the project's node_modules, as it would from
 * the deployed package. A directory left by a process that no longer runs is removed at the next start.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * The directory of every dev server's builds, relative to the project root.
 *
 * @example
 * path.join(project.root, DEV_DIRECTORY); // '/app/.sluice/dev'
 */
export const DEV_DIRECTORY = path.join('.sluice', 'dev');

let opened = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates this server's build directory under `root` (removing those of processes that are gone).
 *
 * @example
 * const scratch = await openScratch('/app'); // '/app/.sluice/dev/4242-1'
 */
export async function openScratch(root: string): Promise<string> {
  const base = path.join(root, DEV_DIRECTORY);
  await mkdir(base, { recursive: true });
  for (const name of await readdir(base)) {
    const pid = Number(/^(\d+)-\d+$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    await rm(path.join(base, name), { recursive: true, force: true });
  }
  const dir = path.join(base, `${process.pid}-${++opened}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
