#!/usr/bin/env node
/**
 * The runtime's entry point: `node bootstrap.js` in an execution environment (a custom runtime's
 * `bootstrap`, sluice's emulator, or `AWS_LAMBDA_EXEC_WRAPPER` on the managed Node.js runtime).
 */
import { start } from './start.js';

start().then(
  () => process.exit(0),
  (error: unknown) => {
    // The Runtime API is gone or misconfigured: Lambda expects the runtime to exit promptly.
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
