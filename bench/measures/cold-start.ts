/**
 * Cold start: from spawning the runtime to its first `GET /2018-06-01/runtime/invocation/next`, the moment
 * Lambda's init phase ends and the runtime can take work, against `node -e 0` (spawn to exit), the least a
 * Node.js process costs. Each runtime loads the same handler module before asking for work. Contenders take
 * turns sample by sample.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FUNCTIONS_DIR, type Runtime } from '../contenders.js';
import { NODE_E_0_NAME as NODE_E_0 } from '../support/contender-names.js';
import { quantile, round } from '../support/stats.js';

/**
 * @example
 * const row: ColdStartRow = { contender: 'sluice', p50: 40.2, min: 37.9, overNodeMs: 8.1, samples: 40 };
 */
export interface ColdStartRow {
  contender: string;
  /** Milliseconds. */
  p50: number;
  min: number;
  /** p50 minus `node -e 0`'s p50. */
  overNodeMs: number;
  samples: number;
}

/**
 * @example
 * const rows = await measureColdStart([SLUICE, RIC], { samples: 40 });
 */
export async function measureColdStart(
  runtimes: readonly Runtime[],
  options: { samples: number },
): Promise<ColdStartRow[]> {
  let onNext: ((at: bigint) => void) | undefined;
  // A Runtime API that only notes when GET /next arrives and never answers it.
  const api = http.createServer((request) => {
    if (request.url?.endsWith('/invocation/next')) onNext?.(process.hrtime.bigint());
  });
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  const address = `127.0.0.1:${(api.address() as AddressInfo).port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_LAMBDA_RUNTIME_API: address,
    _HANDLER: 'index.tiny',
    LAMBDA_TASK_ROOT: FUNCTIONS_DIR,
    AWS_LAMBDA_FUNCTION_NAME: 'cold-start',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/cold-start',
    AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
  };
  const contenders = [
    ...runtimes.map((runtime) => ({
      name: runtime.name,
      argv: runtime.standalone('tiny'),
      samples: [] as number[],
    })),
    { name: NODE_E_0, argv: [process.execPath, '-e', '0'], samples: [] as number[] },
  ];
  const startOne = async (argv: string[], untilExit: boolean): Promise<number> => {
    const start = process.hrtime.bigint();
    const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { cwd: FUNCTIONS_DIR, env, stdio: 'ignore' });
    const exited = once(child, 'exit');
    let end: bigint;
    if (untilExit) {
      await exited;
      end = process.hrtime.bigint();
    } else {
      end = await new Promise<bigint>((resolve, reject) => {
        onNext = resolve;
        exited.then(([code]) => reject(new Error(`${argv.join(' ')} exited with ${code} before GET /next`)));
      });
      onNext = undefined;
      child.kill('SIGKILL');
      await exited;
    }
    return Number(end - start) / 1e6;
  };
  try {
    const warmup = 3;
    for (let i = 0; i < warmup + options.samples; i++) {
      for (const contender of contenders) {
        const ms = await startOne(contender.argv, contender.name === NODE_E_0);
        if (i >= warmup) contender.samples.push(ms);
      }
    }
  } finally {
    api.closeAllConnections();
    api.close();
  }
  const nodeP50 = quantile(contenders.at(-1)!.samples, 0.5);
  return contenders.map(({ name, samples }) => ({
    contender: name,
    p50: round(quantile(samples, 0.5), 1),
    min: round(Math.min(...samples), 1),
    overNodeMs: round(quantile(samples, 0.5) - nodeP50, 1),
    samples: samples.length,
  }));
}
