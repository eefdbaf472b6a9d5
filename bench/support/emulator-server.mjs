// sluice's emulator in a process of its own, as `sluice dev` runs it, so its memory and CPU are measured apart
// from the benchmark client's. argv[2] is a JSON object {functions, limits}; prints {"url", "functionUrls"}
// when listening and closes the emulator (and every runtime it started) when its stdin closes.
import { startEmulator } from '../../dist/emulator/index.js';

const { functions, limits } = JSON.parse(process.argv[2]);
// Function logs are discarded: the benchmark measures streaming, not a terminal's speed.
const emulator = await startEmulator({ port: 0, functions, limits, logger: () => {} });
const functionUrls = Object.fromEntries(
  Object.entries(emulator.endpoints.functionUrls).map(([name, { url }]) => [name, url]),
);
process.stdout.write(`${JSON.stringify({ url: emulator.url, functionUrls })}\n`);
process.stdin.on('data', () => {});
process.stdin.on('end', async () => {
  await emulator.close();
  process.exit(0);
});
