// Runs the built emulator (dist/) in a process of its own, so a test can measure its memory apart from the
// test runner's, or kill it. argv[2] is an optional JSON array of functions ({ name, handler, timeout }) whose
// code is this directory. Prints one JSON line with the URL once listening; closes cleanly on SIGTERM or when
// stdin ends. SIGINT is left to the emulator's own process-exit handling.
import { fileURLToPath } from 'node:url';

const { startEmulator } = await import(new URL('../../../dist/emulator/index.js', import.meta.url).href);
const fixtures = fileURLToPath(new URL('.', import.meta.url));
const functions = JSON.parse(
  process.argv[2] ?? '[{"name":"big-stream","handler":"handlers.bigStream","timeout":300}]',
).map((definition) => ({ code: fixtures, ...definition }));

const emulator = await startEmulator({
  functions,
  logger: (entry) => process.stderr.write(`[${entry.functionName} ${entry.requestId}] ${entry.message}\n`),
});
process.stdout.write(`${JSON.stringify({ url: emulator.url, pid: process.pid })}\n`);

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await emulator.close();
  process.exit(0);
};
process.on('SIGTERM', close);
process.stdin.on('end', close);
process.stdin.resume();
