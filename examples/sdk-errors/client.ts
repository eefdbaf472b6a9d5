/**
 * Calls the three functions with the AWS SDK's InvokeWithResponseStream and shows how each ends: the happy
 * path with an empty InvokeComplete, the mid-stream error and the timeout with an InvokeComplete that carries
 * ErrorCode and ErrorDetails, and the log tail (LogType Tail).
 *
 * Run against `sluice dev` (or AWS, without the endpoint):
 *   AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:7000 npx tsx client.ts
 */
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';

export interface StreamOutcome {
  functionName: string;
  /** The invocation's request id (`x-amzn-RequestId`), which the log tail's START/END/REPORT lines name. */
  requestId?: string;
  chunks: string[];
  errorCode?: string;
  errorDetails?: string;
  logTail?: string;
}

/** Invokes one function and collects what the event stream delivered, printing it as it arrives. */
export async function invokeAndReport(
  client: LambdaClient,
  functionName: string,
  print: (line: string) => void = console.log,
): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { functionName, chunks: [] };
  const response = await client.send(
    new InvokeWithResponseStreamCommand({ FunctionName: functionName, LogType: 'Tail', Payload: '{}' }),
  );
  if (response.$metadata.requestId) outcome.requestId = response.$metadata.requestId;
  for await (const event of response.EventStream ?? []) {
    if (event.PayloadChunk?.Payload) {
      const text = new TextDecoder().decode(event.PayloadChunk.Payload);
      outcome.chunks.push(text);
      print(`${functionName}: chunk ${JSON.stringify(text)}`);
    }
    if (event.InvokeComplete) {
      const { ErrorCode, ErrorDetails, LogResult } = event.InvokeComplete;
      if (ErrorCode) outcome.errorCode = ErrorCode;
      if (ErrorDetails) outcome.errorDetails = ErrorDetails;
      if (LogResult) outcome.logTail = Buffer.from(LogResult, 'base64').toString('utf8');
      print(
        `${functionName}: complete ${ErrorCode ? `with ${ErrorCode}: ${ErrorDetails}` : 'without error'}`,
      );
    }
  }
  return outcome;
}

async function main(): Promise<void> {
  // The SDK reads AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL by itself; region and keys default for local use.
  const client = new LambdaClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });
  for (const name of ['HappyPathFunction', 'MidstreamErrorFunction', 'TimeoutFunction']) {
    await invokeAndReport(client, name);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
