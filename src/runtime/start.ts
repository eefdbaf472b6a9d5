/**
 * What the bootstrap does, as AWS's Node runtime does it: format the console, install `awslambda`, load
 * `_HANDLER` from `LAMBDA_TASK_ROOT`, report an init failure to `/runtime/init/error` and exit, else serve
 * invocations. Nothing else happens before the first `GET /next`.
 */
import { RuntimeEnv, RuntimeErrorType, toErrorDocument } from '../protocol/index.js';
import { installAwsLambdaGlobal } from './awslambda.js';
import { LambdaRuntimeError, RuntimeErrorCode } from './errors.js';
import { HttpRuntimeClient } from './http-runtime-client.js';
import { LambdaRuntime, unhandledRejectionError } from './lambda-runtime.js';
import { loadHandler } from './load-handler.js';
import { logInvokeError, patchConsole } from './logging.js';

/** Exit code after an init error, the same as AWS's Node runtime (its uncaught-exception path). */
export const INIT_ERROR_EXIT_CODE = 129;

/**
 * Starts the runtime for `_HANDLER`. Resolves only if the Runtime API goes away; exits the process on an
 * init error.
 *
 * @example
 * // bootstrap.js of a custom runtime
 * import { start } from 'sluice/runtime';
 * await start();
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  patchConsole(env);
  const client = HttpRuntimeClient.fromEnvironment(env);
  installAwsLambdaGlobal(env);

  const reportInitError = async (error: unknown, label: string) => {
    logInvokeError(label, error, env);
    try {
      await client.postInitError(toErrorDocument(error));
    } catch (postError) {
      console.error(`Could not report the init error to the Runtime API: ${(postError as Error).message}`);
    }
    process.exit(INIT_ERROR_EXIT_CODE);
  };
  // Errors thrown asynchronously by module top-level code are init errors too.
  const onRejection = (reason: unknown) =>
    void reportInitError(unhandledRejectionError(reason), 'Init Error');
  const onException = (error: Error) => void reportInitError(error, 'Init Error');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);

  let runtime: LambdaRuntime;
  try {
    const handlerString = env[RuntimeEnv.handler] || process.argv[2];
    if (!handlerString) {
      throw new LambdaRuntimeError(
        RuntimeErrorType.malformedHandlerName,
        RuntimeErrorCode.malformedHandlerName,
        `No handler specified: set ${RuntimeEnv.handler} (for example index.handler).`,
      );
    }
    const taskRoot = env[RuntimeEnv.taskRoot] || process.cwd();
    const handler = await loadHandler(taskRoot, handlerString);
    runtime = new LambdaRuntime(handler, { client, env, patchConsole: false });
  } catch (error) {
    await reportInitError(error, 'Init Error');
    return;
  } finally {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
  await runtime.run();
}
