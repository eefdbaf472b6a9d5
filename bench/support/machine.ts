/**
 * A description of the machine a benchmark ran on, recorded with its results: figures from different machines
 * are not comparable.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * @example
 * const machine: Machine = describeMachine();
 * machine.cores; // 2
 */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(release)?.[1];
    if (pretty) return `${pretty}, Linux ${os.release()}`;
  } catch {
    // not a Linux distribution with os-release
  }
  return `${os.type()} ${os.release()}`;
}

/**
 * What this machine is: CPU model, logical cores, memory, operating system and Node.js version.
 *
 * @example
 * describeMachine(); // { cpu: 'AMD EPYC', cores: 2, memoryGiB: 24, os: 'Debian GNU/Linux 12 …', node: 'v20.20.2' }
 */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: osName(),
    node: process.version,
  };
}
