/**
 * `emulator.reload()`: new definitions serve on the same port, in fresh environments; invocations already
 * running finish on the old ones; a reload that cannot build leaves the old definitions serving.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackedProcessGroups } from './child-processes.js';
import { type Emulator, startEmulator } from './emulator.js';
import { CodeBuildError, EmulatorClosedError } from './errors.js';
import { decodeEventStream } from './event-stream.js';
import type { LogEntry } from './logger.js';

let work: string;
let emulator: Emulator;
const logs: LogEntry[] = [];

/** A task root whose handler answers `text`. */
async function version(name: string, text: string): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'index.mjs'),
    `export const handler = async () => ${JSON.stringify(text)};\n`,
  );
  return dir;
}

async function invoke(functionName: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${emulator.url}/2015-03-31/functions/${functionName}/invocations`, {
    method: 'POST',
    body: '{}',
  });
  return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sluice-reload-'));
  // A streaming handler that writes, waits for a file to appear, then writes again.
  await mkdir(path.join(work, 'slow'));
  await writeFile(
    path.join(work, 'slow', 'index.mjs'),
    `import { existsSync } from 'node:fs';
export const handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.write('old-start;');
  while (!existsSync(${JSON.stringify(path.join(work, 'go'))})) await new Promise((r) => setTimeout(r, 20));
  stream.end('old-end');
});
`,
  );
  emulator = await startEmulator({
    functions: [{ name: 'f', code: await version('v1', 'v1'), url: {} }],
    logger: (entry) => logs.push(entry),
  });
});

afterAll(async () => {
  await emulator?.close();
  await rm(work, { recursive: true, force: true });
});

describe('emulator.reload', () => {
  it('serves the new code on the same port, in fresh environments', async () => {
    expect(await invoke('f')).toEqual({ status: 200, body: '"v1"' });
    const { port } = emulator;
    await emulator.reload({ functions: [{ name: 'f', code: await version('v2', 'v2'), url: {} }] });
    expect(emulator.port).toBe(port);
    expect(emulator.functions.map((config) => config.code)).toEqual([path.join(work, 'v2')]);
    expect(await invoke('f')).toEqual({ status: 200, body: '"v2"' });
  });

  it('lets an invocation that is streaming finish on the old environment', async () => {
    await emulator.reload({ functions: [{ name: 'f', code: path.join(work, 'slow') }] });
    const response = await fetch(`${emulator.url}/2021-11-15/functions/f/response-streaming-invocations`, {
      method: 'POST',
      body: '{}',
    });
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    const first = await reader.read();
    chunks.push(first.value!);
    // The function is mid-stream: replace it, then let the old one finish.
    await emulator.reload({ functions: [{ name: 'f', code: await version('v3', 'v3') }] });
    expect(await invoke('f')).toEqual({ status: 200, body: '"v3"' });
    await writeFile(path.join(work, 'go'), '');
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    const events = decodeEventStream(Buffer.concat(chunks));
    const payload = events
      .filter((event) => event.eventType === 'PayloadChunk')
      .map((event) => Buffer.from(event.payload).toString())
      .join('');
    expect(payload).toBe('old-start;old-end');
    expect(JSON.parse(Buffer.from(events.at(-1)!.payload).toString())).toEqual({});
  });

  it('keeps the current definitions serving when the new ones do not build', async () => {
    const broken = path.join(work, 'broken.ts');
    await writeFile(broken, 'export const handler = async () => {\n  return 1 +;\n};\n');
    const failed = emulator.reload({ functions: [{ name: 'f', code: broken }] });
    await expect(failed).rejects.toBeInstanceOf(CodeBuildError);
    await expect(failed).rejects.toThrow(/broken\.ts:2:\d+/);
    expect(await invoke('f')).toEqual({ status: 200, body: '"v3"' });
  });

  it('adds and removes functions, URLs and APIs', async () => {
    await emulator.reload({
      functions: [{ name: 'g', code: await version('g', 'g'), url: { authType: 'NONE' } }],
      apis: [{ name: 'Api', stage: 'dev', routes: [{ method: 'GET', path: '/g', function: 'g' }] }],
    });
    expect((await invoke('f')).status).toBe(404);
    expect(Object.keys(emulator.endpoints.functionUrls)).toEqual(['g']);
    expect(emulator.endpoints.apis.map((api) => api.url)).toEqual([`${emulator.url}/dev`]);
    expect(await (await fetch(emulator.endpoints.functionUrls.g!.url)).text()).toBe('g');
    // The local /invoke endpoint follows: its default function was f, which is gone.
    expect(await (await fetch(emulator.endpoints.invoke, { method: 'POST', body: '{}' })).text()).toBe('"g"');
  });

  it('leaves no runtime process behind once closed, and refuses reloads after', async () => {
    await emulator.close();
    expect(trackedProcessGroups()).toEqual([]);
    await expect(emulator.reload()).rejects.toBeInstanceOf(EmulatorClosedError);
  });
});
