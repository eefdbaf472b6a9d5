/**
 * The base of every error sluice throws on purpose. `code` is stable across releases and documented in
 * docs/errors.md, so callers can branch on it instead of on message text (as with undici's `UND_ERR_*`).
 *
 * @example
 * try {
 *   await writer.write('late');
 * } catch (error) {
 *   if (error instanceof SluiceError && error.code === 'SLUICE_WRITE_AFTER_FINISH') {
 *     // the response was already finished
 *   }
 * }
 */
export class SluiceError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = 'SluiceError';
  }
}
