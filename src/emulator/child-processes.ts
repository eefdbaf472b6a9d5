/**
 * Bookkeeping that guarantees no orphaned runtime processes. Every execution environment is spawned as the
 * leader of its own process group (`detached: true`), so one `kill(-pid)` reaches the runtime and anything it
 * started. If the emulator's process exits, or is interrupted by a signal nobody else handles, every live
 * group is killed first.
 */

const live = new Set<number>();
let installed = false;

/**
 * Sends SIGKILL to a process group, falling back to the process itself; a group that is already gone is fine.
 *
 * @example
 * killProcessGroup(child.pid!);
 */
export function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function killAll(): void {
  for (const pid of live) killProcessGroup(pid);
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      // Keep the signal's default effect when no one else listens for it: stop listening and re-raise.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * Registers a spawned process group leader, to be killed if the emulator's process goes away.
 *
 * @example
 * const child = spawn(cmd, args, { detached: true });
 * trackProcessGroup(child.pid!);
 */
export function trackProcessGroup(pid: number): void {
  install();
  live.add(pid);
}

/**
 * Forgets a process group once it has been killed and reaped.
 *
 * @example
 * child.once('exit', () => untrackProcessGroup(pid));
 */
export function untrackProcessGroup(pid: number): void {
  live.delete(pid);
}

/**
 * Process groups currently tracked (for tests and diagnostics).
 *
 * @example
 * expect(trackedProcessGroups()).toEqual([]);
 */
export function trackedProcessGroups(): number[] {
  return [...live];
}
