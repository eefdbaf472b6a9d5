/**
 * The context object handed to handlers, built from the invocation's headers and the function's
 * environment exactly as AWS's Node runtime builds it (runtime-api.md §1.2, §1.7), plus an AbortSignal that
 * fires at the deadline.
 */
import { RuntimeEnv } from '../protocol/index.js';
import type { Invocation } from './runtime-client.js';

/** The mobile SDK's client context (`Lambda-Runtime-Client-Context`). */
export interface ClientContext {
  client?: Record<string, unknown>;
  custom?: Record<string, unknown>;
  env?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The Cognito identity of a mobile SDK invocation (`Lambda-Runtime-Cognito-Identity`). */
export interface CognitoIdentity {
  cognitoIdentityId: string;
  cognitoIdentityPoolId: string;
}

/**
 * What a handler learns about its invocation.
 *
 * @example
 * export const handler = streamingHandler(async (event, writer, context) => {
 *   context.signal.addEventListener('abort', () => console.warn('deadline reached'));
 *   await writer.write(`${context.getRemainingTimeInMillis()} ms left\n`);
 *   await writer.finish();
 * });
 */
export interface LambdaContext {
  awsRequestId: string;
  invokedFunctionArn: string;
  functionName: string;
  functionVersion: string;
  /** A string, as AWS's Node runtime provides it. */
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch milliseconds at which Lambda stops the invocation. */
  deadline: number;
  getRemainingTimeInMillis(): number;
  clientContext: ClientContext | undefined;
  identity: CognitoIdentity | undefined;
  tenantId: string | undefined;
  /** Aborts at the deadline, with a `TimeoutError` DOMException as its reason. */
  signal: AbortSignal;
  /** Kept for handlers written for AWS's runtime; sluice does not wait for the event loop to drain. */
  callbackWaitsForEmptyEventLoop: boolean;
}

function parseJsonHeader<T>(value: string | undefined, name: string): T | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    // Same message as AWS's Node runtime, so logs read the same.
    throw new Error(`Cannot parse ${name} as json: ${String(error)}`);
  }
}

/**
 * Builds the context of one invocation. `dispose()` stops its deadline timer.
 *
 * @example
 * const { context, dispose } = createContext(invocation);
 * try { await handler(event, context); } finally { dispose(); }
 */
export function createContext(
  invocation: Invocation,
  env: NodeJS.ProcessEnv = process.env,
): { context: LambdaContext; dispose: () => void } {
  const controller = new AbortController();
  const deadline = invocation.deadlineMs;
  const timer = setTimeout(
    () => controller.abort(new DOMException('The invocation reached its deadline.', 'TimeoutError')),
    Math.max(0, deadline - Date.now()),
  );
  // The deadline alone must not keep the process alive.
  timer.unref();
  const context: LambdaContext = {
    awsRequestId: invocation.requestId,
    invokedFunctionArn: invocation.invokedFunctionArn,
    functionName: env[RuntimeEnv.functionName] ?? '',
    functionVersion: env[RuntimeEnv.functionVersion] ?? '',
    memoryLimitInMB: env[RuntimeEnv.functionMemorySize] ?? '',
    logGroupName: env[RuntimeEnv.logGroupName] ?? '',
    logStreamName: env[RuntimeEnv.logStreamName] ?? '',
    deadline,
    getRemainingTimeInMillis: () => deadline - Date.now(),
    clientContext: parseJsonHeader<ClientContext>(invocation.clientContext, 'ClientContext'),
    identity: parseJsonHeader<CognitoIdentity>(invocation.cognitoIdentity, 'CognitoIdentity'),
    tenantId: invocation.tenantId,
    signal: controller.signal,
    callbackWaitsForEmptyEventLoop: true,
  };
  return { context, dispose: () => clearTimeout(timer) };
}
