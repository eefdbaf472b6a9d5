/**
 * Console output in the managed Node runtime's format (runtime-api.md §1.7, AWS_LAMBDA_LOG_FORMAT):
 * TEXT lines are `timestamp\trequestId\tLEVEL\tmessage` with inner newlines turned into `\r` so one log call
 * stays one CloudWatch event; JSON lines are `{"timestamp","level","requestId","message"}` objects.
 * AWS_LAMBDA_LOG_LEVEL filters both.
 */
import { format } from 'node:util';
import { RuntimeEnv } from '../protocol/index.js';

// The same global slot AWS's runtime uses, so libraries that read it (loggers) keep working.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');

type Slots = Record<symbol, string | undefined>;

/** Sets the request id that log lines carry (undefined between invocations, printed as `undefined`). */
export function setCurrentRequestId(requestId: string | undefined, tenantId?: string): void {
  (globalThis as unknown as Slots)[REQUEST_ID] = requestId;
  (globalThis as unknown as Slots)[TENANT_ID] = tenantId;
}

const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 } as const;
type Level = keyof typeof LEVELS;

function errorFields(value: unknown): Record<string, unknown> | undefined {
  if (!(value instanceof Error)) return undefined;
  return {
    errorType: value.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : [],
  };
}

/** Formats one log call. Exported for tests. */
export function formatLogLine(
  logFormat: 'TEXT' | 'JSON',
  level: Level,
  args: unknown[],
  now: Date = new Date(),
): string {
  const slots = globalThis as unknown as Slots;
  const requestId = slots[REQUEST_ID];
  const timestamp = now.toISOString();
  let line: string;
  if (logFormat === 'TEXT') {
    line = `${timestamp}\t${requestId}\t${level}\t${format(...args)}`;
  } else {
    const record: Record<string, unknown> = { timestamp, level, requestId };
    const tenantId = slots[TENANT_ID];
    if (tenantId !== undefined) record.tenantId = tenantId;
    if (args.length === 1) {
      // A lone object or error is kept structured; errors become {errorType, errorMessage, stackTrace}.
      record.message = args[0];
      try {
        line = JSON.stringify(record, (_key, value) =>
          value instanceof Error ? { ...errorFields(value), ...value } : value,
        );
      } catch {
        record.message = format(args[0]);
        line = JSON.stringify(record);
      }
    } else {
      record.message = format(...args);
      const error = args.map(errorFields).find(Boolean);
      if (error) Object.assign(record, error);
      line = JSON.stringify(record);
    }
  }
  return `${line.replace(/\n/g, '\r')}\n`;
}

/**
 * Replaces console methods with ones that write the managed runtime's format to stdout.
 *
 * @example
 * patchConsole(); // console.log('hi') → "2026-11-21T10:00:00.000Z\t<request id>\tINFO\thi"
 */
export function patchConsole(
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
): void {
  const logFormat = env[RuntimeEnv.logFormat]?.toUpperCase() === 'JSON' ? 'JSON' : 'TEXT';
  const minimum = LEVELS[(env[RuntimeEnv.logLevel]?.toUpperCase() ?? 'TRACE') as Level] ?? LEVELS.TRACE;
  const method = (level: Level) =>
    LEVELS[level] >= minimum
      ? (...args: unknown[]) => write(formatLogLine(logFormat, level, args))
      : () => {};
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  target.trace = method('TRACE');
  target.debug = method('DEBUG');
  target.info = method('INFO');
  target.log = target.info;
  target.warn = method('WARN');
  target.error = method('ERROR');
  target.fatal = method('FATAL');
}

/**
 * Logs a failed invocation the way AWS's runtime does: `Invoke Error` and the error as JSON (TEXT), or the
 * error object itself (JSON), at ERROR level.
 *
 * @example
 * logInvokeError('Invoke Error', new Error('boom'));
 */
export function logInvokeError(label: string, error: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const thrown = error instanceof Error ? error : new Error(String(error));
  if (env[RuntimeEnv.logFormat]?.toUpperCase() === 'JSON') {
    console.error(thrown);
    return;
  }
  let details: string;
  try {
    details = JSON.stringify({
      errorType: thrown.name,
      errorMessage: thrown.message,
      ...thrown,
      stack: typeof thrown.stack === 'string' ? thrown.stack.split('\n') : thrown.stack,
    });
  } catch {
    details = JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message });
  }
  console.error(label, `\t${details}`);
}
