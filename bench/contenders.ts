/**
 * The contenders: sluice's runtime and AWS's Node runtime client (aws-lambda-ric 3.3.0, as the runtime command),
 * both under sluice's emulator in a process of its own, and the floor, a bare Node.js HTTP server doing the
 * same byte work with nothing between it and the client.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOOR_NAME, RIC_NAME, SLUICE_NAME } from './support/contender-names.js';
import type { Target } from './support/http-client.js';
import { type ServerProcess, startServerProcess } from './support/processes.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');
/** Where `npm run setup:ric` installs aws-lambda-ric 3.3.0. */
export const RIC_ENTRY = path.join(REPO_ROOT, 'test/ric/node_modules/aws-lambda-ric/bin/index.mjs');
export const FUNCTIONS_DIR = path.join(BENCH_DIR, 'support/functions');
export const SLUICE_BOOTSTRAP = path.join(REPO_ROOT, 'dist/runtime/bootstrap.js');

export type Handler = 'ttfb' | 'stream' | 'tiny';

/** The two fronts a streamed response is measured through. */
export type StreamingFront = 'function URL' | 'InvokeWithResponseStream';

/**
 * A runtime run by the emulator.
 *
 * @example
 * const sluice = RUNTIMES[0]; // { name: 'sluice', prefix: 'sluice', command: () => undefined }
 */
export interface Runtime {
  /** As reported. */
  name: string;
  /** Function names are `<prefix>-<handler>`. */
  prefix: string;
  /** The function's runtime command for a handler; undefined for the emulator's default, sluice's runtime. */
  command(handler: Handler): string[] | undefined;
  /** argv that starts the runtime outside the emulator (cold start). */
  standalone(handler: Handler): string[];
}

export const SLUICE: Runtime = {
  name: SLUICE_NAME,
  prefix: 'sluice',
  command: () => undefined,
  standalone: () => [process.execPath, SLUICE_BOOTSTRAP],
};

export const RIC: Runtime = {
  name: RIC_NAME,
  prefix: 'ric',
  command: (handler) => [process.execPath, RIC_ENTRY, `index.${handler}`],
  standalone: (handler) => [process.execPath, RIC_ENTRY, `index.${handler}`],
};

export { FLOOR_NAME };

/** The runtimes to compare: sluice's, and aws-lambda-ric when it is installed (`npm run setup:ric`). */
export function availableRuntimes(): Runtime[] {
  if (existsSync(RIC_ENTRY)) return [SLUICE, RIC];
  console.warn(`[bench] ${RIC_NAME} is not installed; run \`npm run setup:ric\` to compare against it.`);
  return [SLUICE];
}

/** What the emulator process was started with. */
export interface EmulatorSettings {
  handlers: readonly Handler[];
  /** Largest streamed response; AWS's 200 MiB by default. */
  streamedResponseBytes?: number;
}

interface EmulatorReady {
  url: string;
  functionUrls: Record<string, string>;
}

/**
 * sluice's emulator in its own process, with one function per runtime and handler.
 *
 * @example
 * const emulator = await startEmulatorProcess([SLUICE, RIC], { handlers: ['ttfb'] });
 * await timeToFirstByte(emulator.functionUrl(SLUICE, 'ttfb', 'hold=10'));
 */
export async function startEmulatorProcess(runtimes: readonly Runtime[], settings: EmulatorSettings) {
  const functions = runtimes.flatMap((runtime) =>
    settings.handlers.map((handler) => {
      const command = runtime.command(handler);
      const streaming = handler !== 'tiny';
      return {
        name: `${runtime.prefix}-${handler}`,
        code: FUNCTIONS_DIR,
        handler: `index.${handler}`,
        ...(command ? { runtime: command } : {}),
        timeout: 900,
        invokeMode: streaming ? 'RESPONSE_STREAM' : 'BUFFERED',
        ...(streaming ? { url: { authType: 'NONE' } } : {}),
      };
    }),
  );
  const limits = settings.streamedResponseBytes
    ? { streamedResponseBytes: settings.streamedResponseBytes }
    : {};
  const server: ServerProcess<EmulatorReady> = await startServerProcess(
    path.join(BENCH_DIR, 'support/emulator-server.mjs'),
    JSON.stringify({ functions, limits }),
  );
  const { url, functionUrls } = server.ready;
  return {
    server,
    /** GET the function URL (RESPONSE_STREAM) with a query string. */
    functionUrl(runtime: Runtime, handler: Handler, query: string): Target {
      return {
        method: 'GET',
        url: `${functionUrls[`${runtime.prefix}-${handler}`]}?${query}`,
        eventStream: false,
      };
    },
    /** InvokeWithResponseStream with a JSON payload. */
    responseStream(runtime: Runtime, handler: Handler, payload: object): Target {
      return {
        method: 'POST',
        url: `${url}/2021-11-15/functions/${runtime.prefix}-${handler}/response-streaming-invocations`,
        body: JSON.stringify(payload),
        eventStream: true,
      };
    },
    /**
     * The same streaming request through either front: `parameters` go in the function URL's query string or
     * the InvokeWithResponseStream JSON payload, where the handlers read them.
     */
    streaming(
      front: StreamingFront,
      runtime: Runtime,
      handler: Handler,
      parameters: Record<string, number>,
    ): Target {
      if (front === 'InvokeWithResponseStream') return this.responseStream(runtime, handler, parameters);
      const query = new URLSearchParams(
        Object.entries(parameters).map(([key, value]): [string, string] => [key, String(value)]),
      );
      return this.functionUrl(runtime, handler, query.toString());
    },
    /** Invoke (RequestResponse) with an empty JSON payload. */
    invoke(runtime: Runtime, handler: Handler): Target {
      return {
        method: 'POST',
        url: `${url}/2015-03-31/functions/${runtime.prefix}-${handler}/invocations`,
        body: '{}',
        eventStream: false,
      };
    },
  };
}

export type EmulatorProcess = Awaited<ReturnType<typeof startEmulatorProcess>>;

/**
 * The floor server in its own process.
 *
 * @example
 * const floor = await startFloorProcess();
 * await timeToFirstByte(floor.target('/ttfb', 'hold=10'));
 */
export async function startFloorProcess() {
  const server = await startServerProcess<{ url: string }>(
    path.join(BENCH_DIR, 'support/floor-server.mjs'),
    '{}',
  );
  return {
    server,
    target(pathname: '/ttfb' | '/stream' | '/tiny', query = ''): Target {
      const method = pathname === '/tiny' ? 'POST' : 'GET';
      return {
        method,
        url: `${server.ready.url}${pathname}${query ? `?${query}` : ''}`,
        ...(method === 'POST' ? { body: '{}' } : {}),
        eventStream: false,
      };
    },
  };
}

export type FloorProcess = Awaited<ReturnType<typeof startFloorProcess>>;
