/**
 * Errors the emulator throws to its caller (the CLI, tests, scripts). Errors a Lambda client sees travel as
 * AWS error responses instead (aws-errors.ts); errors a function makes travel as error documents.
 */
import type { Message } from 'esbuild';
import { SluiceError } from '../protocol/index.js';

/**
 * Stable codes of the emulator's errors (documented alongside the other `SLUICE_*` codes).
 *
 * @example
 * if (error instanceof SluiceError && error.code === EmulatorErrorCode.build) showBuildErrors(error);
 */
export const EmulatorErrorCode = {
  /** A function definition or an emulator option is invalid. */
  config: 'SLUICE_EMULATOR_CONFIG',
  /** esbuild could not bundle a function's source. */
  build: 'SLUICE_EMULATOR_BUILD',
  /** sluice's own runtime (`dist/runtime/bootstrap.js`) was not found: run `npm run build`. */
  runtimeMissing: 'SLUICE_EMULATOR_RUNTIME_MISSING',
  /** The emulator is closed, or closed while the operation was under way. */
  closed: 'SLUICE_EMULATOR_CLOSED',
  /** An execution environment died before its invocation reached the runtime (retried internally). */
  environmentLost: 'SLUICE_EMULATOR_ENVIRONMENT_LOST',
} as const;

/**
 * A function definition or emulator option is invalid; the message names the function and the field.
 *
 * @example
 * await startEmulator({ functions: [{ name: 'bad name', code: './fn' }] }); // throws EmulatorConfigError
 */
export class EmulatorConfigError extends SluiceError {
  constructor(message: string, options?: ErrorOptions) {
    super(EmulatorErrorCode.config, message, options);
    this.name = 'EmulatorConfigError';
  }
}

/**
 * esbuild failed to bundle a function's source; the message carries esbuild's formatted diagnostics.
 *
 * @example
 * try { await startEmulator({ functions }); } catch (e) { if (e instanceof CodeBuildError) console.error(e.message); }
 */
export class CodeBuildError extends SluiceError {
  /** esbuild's messages (file, line, column, text), when esbuild reported any. */
  readonly diagnostics: readonly Message[];

  constructor(message: string, options?: ErrorOptions & { diagnostics?: readonly Message[] }) {
    super(EmulatorErrorCode.build, message, options);
    this.name = 'CodeBuildError';
    this.diagnostics = options?.diagnostics ?? [];
  }
}

/**
 * sluice's runtime bootstrap was not found next to the emulator (the package is not built).
 *
 * @example
 * // fix: npm run build
 */
export class RuntimeMissingError extends SluiceError {
  constructor(message: string) {
    super(EmulatorErrorCode.runtimeMissing, message);
    this.name = 'RuntimeMissingError';
  }
}

/**
 * The emulator was closed while an operation was pending.
 *
 * @example
 * await emulator.close(); // pending background invocations end with EmulatorClosedError
 */
export class EmulatorClosedError extends SluiceError {
  constructor(message = 'The emulator is closed.') {
    super(EmulatorErrorCode.closed, message);
    this.name = 'EmulatorClosedError';
  }
}

/**
 * A warm execution environment died before the runtime picked up the invocation, so the function never saw
 * it; the pool retries on a fresh environment. Internal, exported for tests.
 *
 * @example
 * if (error instanceof EnvironmentLostError) retryOnFreshEnvironment();
 */
export class EnvironmentLostError extends SluiceError {
  constructor(message: string) {
    super(EmulatorErrorCode.environmentLost, message);
    this.name = 'EnvironmentLostError';
  }
}
