/**
 * Errors of `sluice dev` and `sluice invoke`. Template problems surface as `TemplateError`, emulator problems
 * as the emulator's errors; these are the ones the dev server and the invoke client add.
 */
import { SluiceError } from '../protocol/index.js';

/**
 * Stable codes of {@link DevError}.
 *
 * @example
 * if (error instanceof DevError && error.code === DevErrorCode.portInUse) retryOnAnotherPort();
 */
export const DevErrorCode = {
  /** The port `sluice dev` should listen on is taken (another `sluice dev`, say). */
  portInUse: 'SLUICE_DEV_PORT_IN_USE',
  /** An option has an invalid value (a port out of range, `LOCAL_LAMBDA_PORT` not a number). */
  invalidOption: 'SLUICE_DEV_INVALID_OPTION',
  /** The project has no function sluice can run (every function was skipped: another runtime, an image). */
  nothingToServe: 'SLUICE_DEV_NOTHING_TO_SERVE',
  /** A function's CodeUri is a zip that cannot be read or unpacked. */
  zipUnreadable: 'SLUICE_DEV_ZIP_UNREADABLE',
  /** `sluice invoke`: nothing answers at the endpoint and no `--target` was given for a one-shot emulator. */
  invokeUnreachable: 'SLUICE_INVOKE_UNREACHABLE',
  /** `sluice invoke`: the event file cannot be read. */
  invokeEvent: 'SLUICE_INVOKE_EVENT',
  /** `sluice invoke`: the endpoint did not answer as Lambda does (not an event stream, a truncated one). */
  invokeProtocol: 'SLUICE_INVOKE_PROTOCOL',
} as const;

/**
 * One of {@link DevErrorCode}'s values.
 *
 * @example
 * const code: DevErrorCodeValue = 'SLUICE_DEV_PORT_IN_USE';
 */
export type DevErrorCodeValue = (typeof DevErrorCode)[keyof typeof DevErrorCode];

/**
 * `sluice dev` or `sluice invoke` cannot go on; the message says what to do.
 *
 * @example
 * try {
 *   await startDev({ target: '.', port: 7000 });
 * } catch (error) {
 *   if (error instanceof DevError) console.error(error.message); // 'port 7000 on 127.0.0.1 is in use …'
 * }
 */
export class DevError extends SluiceError {
  constructor(code: DevErrorCodeValue, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'DevError';
  }
}
