/**
 * Unpacking a zip into a directory, as Lambda unpacks a function's package into `/var/task`: files keep their
 * permission bits (the exec wrapper must stay executable).
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readZip } from './zip.js';

/**
 * Writes every file of `zip` (a path or the bytes) under `directory`, refusing names that would land outside
 * it. Resolves with the names written.
 *
 * @example
 * await extractZip('.sluice/archive/Fn/Fn.zip', '/tmp/task');
 */
export async function extractZip(zip: string | Buffer, directory: string): Promise<string[]> {
  const bytes = typeof zip === 'string' ? await readFile(zip) : zip;
  const root = path.resolve(directory);
  const names: string[] = [];
  for (const entry of readZip(bytes)) {
    const target = path.resolve(root, entry.name);
    if (!target.startsWith(`${root}${path.sep}`)) {
      throw new RangeError(`zip entry ${entry.name} would be written outside ${root}`);
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, entry.data);
    await chmod(target, entry.mode);
    names.push(entry.name);
  }
  return names;
}
