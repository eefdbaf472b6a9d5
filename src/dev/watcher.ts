/**
 * Watching a project's sources for `sluice dev`. Each directory that holds a watched file, and each
 * directory of a watched tree, gets its own non-recursive `fs.watch` (inotify on Linux); watching directories
 * rather than files catches editors that save by writing a new file and renaming it over the old one.
 * Bursts of events (one save is often several) are debounced into one call.
 */
import { type FSWatcher, readdirSync, watch } from 'node:fs';
import path from 'node:path';

/**
 * What to watch.
 *
 * @example
 * watcher.watch({ files: ['/app/template.yaml', '/app/src/app.ts'], trees: ['/app/js-function'] });
 */
export interface WatchSet {
  /** Individual files (a bundle's inputs, the template). */
  files: Iterable<string>;
  /** Directories whose files at any depth count (node_modules, .git, .sluice and dot-directories excepted). */
  trees: Iterable<string>;
}

/** Directories never descended into. */
const IGNORED_DIRECTORIES = new Set(['node_modules', '.git', '.sluice']);

/** Editors' scratch files: swap files, backups, vim's write test. */
function isScratchFile(name: string): boolean {
  return /(^\.|~$|\.sw[a-p]x?$|^4913$|\.tmp$)/.test(name);
}

function walk(root: string, out: Set<string>, depth = 0): void {
  out.add(root);
  if (depth > 20) return;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || IGNORED_DIRECTORIES.has(entry.name) || entry.name.startsWith('.')) continue;
    walk(path.join(root, entry.name), out, depth + 1);
  }
}

/**
 * @example
 * const watcher = new SourceWatcher((files) => console.log('changed:', files));
 * watcher.watch({ files: ['/app/src/app.ts'], trees: [] });
 * watcher.close();
 */
export class SourceWatcher {
  readonly #onChange: (files: string[]) => void;
  readonly #debounceMs: number;
  readonly #watchers = new Map<string, FSWatcher>();
  #files = new Set<string>();
  #trees: string[] = [];
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #rescan = false;
  #closed = false;

  /** `onChange` gets the changed files (absolute), once per burst. */
  constructor(onChange: (files: string[]) => void, options: { debounceMs?: number } = {}) {
    this.#onChange = onChange;
    this.#debounceMs = options.debounceMs ?? 100;
  }

  /** Directories being watched (for tests and diagnostics). */
  get directories(): string[] {
    return [...this.#watchers.keys()].sort();
  }

  /** Replaces what is watched. */
  watch(set: WatchSet): void {
    if (this.#closed) return;
    this.#files = new Set([...set.files].map((file) => path.resolve(file)));
    this.#trees = [...new Set([...set.trees].map((tree) => path.resolve(tree)))];
    this.#update();
  }

  /** Stops watching; no call follows. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #update(): void {
    const directories = new Set<string>();
    for (const file of this.#files) directories.add(path.dirname(file));
    for (const tree of this.#trees) walk(tree, directories);
    for (const [directory, watcher] of this.#watchers) {
      if (directories.has(directory)) continue;
      watcher.close();
      this.#watchers.delete(directory);
    }
    for (const directory of directories) {
      if (this.#watchers.has(directory)) continue;
      try {
        const watcher = watch(directory, { persistent: false }, (_event, name) =>
          this.#event(directory, name === null ? undefined : String(name)),
        );
        // A directory that goes away (or a watch limit) ends its watcher; the next update retries.
        watcher.on('error', () => {
          watcher.close();
          if (this.#watchers.get(directory) === watcher) this.#watchers.delete(directory);
        });
        this.#watchers.set(directory, watcher);
      } catch {
        // Missing directory: nothing to watch there yet.
      }
    }
  }

  #inTree(file: string): boolean {
    return this.#trees.some((tree) => file === tree || file.startsWith(`${tree}${path.sep}`));
  }

  #event(directory: string, name: string | undefined): void {
    if (this.#closed) return;
    const file = name === undefined ? directory : path.join(directory, name);
    const relevant =
      this.#files.has(file) ||
      (this.#inTree(file) &&
        !isScratchFile(path.basename(file)) &&
        !file.split(path.sep).some((part) => IGNORED_DIRECTORIES.has(part)));
    if (!relevant) return;
    // A new directory in a tree must be watched too.
    if (this.#inTree(file)) this.#rescan = true;
    this.#pending.add(file);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), this.#debounceMs);
  }

  #flush(): void {
    if (this.#closed) return;
    if (this.#rescan) {
      this.#rescan = false;
      this.#update();
    }
    const files = [...this.#pending].sort();
    this.#pending.clear();
    if (files.length > 0) this.#onChange(files);
  }
}
