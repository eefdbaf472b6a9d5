import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceWatcher } from './watcher.js';

let dir: string;
let watcher: SourceWatcher | undefined;
afterEach(async () => {
  watcher?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A watcher whose batches of changes can be awaited one by one. */
function watching() {
  const batches: string[][] = [];
  const waiters: Array<() => void> = [];
  watcher = new SourceWatcher(
    (files) => {
      batches.push(files);
      for (const waiter of waiters.splice(0)) waiter();
    },
    { debounceMs: 30 },
  );
  const next = async (count: number) => {
    while (batches.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return batches[count - 1]!;
  };
  return { watcher, batches, next };
}

describe('SourceWatcher', () => {
  it('reports a watched file once per burst of writes, and ignores files it was not asked for', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sluice-watch-'));
    const file = path.join(dir, 'app.ts');
    await writeFile(file, 'a');
    const { watcher, next, batches } = watching();
    watcher.watch({ files: [file], trees: [] });
    await writeFile(path.join(dir, 'unrelated.ts'), 'x');
    await writeFile(file, 'b');
    await writeFile(file, 'c');
    expect(await next(1)).toEqual([file]);
    // A save by rename (write a temporary file, rename it over the old one), as some editors do.
    await writeFile(path.join(dir, 'app.ts.tmp'), 'd');
    const { rename } = await import('node:fs/promises');
    await rename(path.join(dir, 'app.ts.tmp'), file);
    expect(await next(2)).toEqual([file]);
    expect(batches).toHaveLength(2);
  });

  it('watches trees at any depth, new directories included, but not node_modules or scratch files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sluice-watch-'));
    await mkdir(path.join(dir, 'lib', 'deep'), { recursive: true });
    await mkdir(path.join(dir, 'node_modules', 'dep'), { recursive: true });
    const { watcher, next } = watching();
    watcher.watch({ files: [], trees: [dir] });
    expect(watcher.directories).toEqual([dir, path.join(dir, 'lib'), path.join(dir, 'lib', 'deep')]);
    await writeFile(path.join(dir, 'node_modules', 'dep', 'index.js'), 'x');
    await writeFile(path.join(dir, 'lib', '.app.js.swp'), 'x');
    await writeFile(path.join(dir, 'lib', 'deep', 'index.js'), 'x');
    expect(await next(1)).toEqual([path.join(dir, 'lib', 'deep', 'index.js')]);
    await mkdir(path.join(dir, 'fresh'));
    await next(2);
    await writeFile(path.join(dir, 'fresh', 'new.js'), 'x');
    expect(await next(3)).toEqual([path.join(dir, 'fresh', 'new.js')]);
  });

  it('calls nothing once closed', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sluice-watch-'));
    const file = path.join(dir, 'a.ts');
    await writeFile(file, 'a');
    const { watcher, batches } = watching();
    watcher.watch({ files: [file], trees: [] });
    watcher.close();
    await writeFile(file, 'b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batches).toEqual([]);
    expect(watcher.directories).toEqual([]);
  });
});
