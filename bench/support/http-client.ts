/**
 * The benchmark's HTTP client: node:http over one keep-alive agent, the leanest client Node has, so that what is
 * measured is the server side. InvokeWithResponseStream bodies go through an incremental event-stream reader and
 * only payload bytes count; function URL and floor bodies count as they are.
 */
import http from 'node:http';
import { EventStreamReader } from './event-stream-reader.js';

/**
 * One request the benchmark makes over and over.
 *
 * @example
 * const target: Target = { method: 'GET', url: 'http://127.0.0.1:9000/ttfb', eventStream: false };
 */
export interface Target {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  /** The body is an AWS event stream (InvokeWithResponseStream); its PayloadChunk payloads are the bytes. */
  eventStream: boolean;
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends `target` and hands each payload slice to `onPayload` with the monotonic time it was read. Resolves
 * with the payload byte count once the response ended; rejects on a non-200 status or a function error.
 *
 * @example
 * const bytes = await send(target, (payload, at) => {});
 */
export function send(
  target: Target,
  onPayload: (payload: Buffer, at: bigint) => void = () => {},
  onResponse: (response: http.IncomingMessage) => void = () => {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(target.url, { method: target.method, agent }, (response) => {
      if (response.statusCode !== 200) {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          reject(
            new Error(`${target.method} ${target.url}: ${response.statusCode} ${Buffer.concat(chunks)}`),
          ),
        );
        return;
      }
      onResponse(response);
      let bytes = 0;
      const reader = target.eventStream
        ? new EventStreamReader((payload) => onPayload(payload, process.hrtime.bigint()))
        : undefined;
      response.on('data', (chunk: Buffer) => {
        if (reader) reader.push(chunk);
        else {
          bytes += chunk.length;
          onPayload(chunk, process.hrtime.bigint());
        }
      });
      response.on('error', reject);
      response.on('end', () => {
        if (!reader) return resolve(bytes);
        const errorCode = reader.invokeComplete?.ErrorCode;
        if (!reader.invokeComplete || errorCode) {
          reject(new Error(`${target.url}: the stream ended with ${JSON.stringify(reader.invokeComplete)}`));
        } else resolve(reader.payloadBytes);
      });
    });
    request.on('error', reject);
    request.end(target.body);
  });
}

/**
 * Milliseconds from the handler's first `write()` to this client reading that write's first byte. The handler
 * writes `T<process.hrtime.bigint()>\n` first; both ends read the same monotonic clock.
 *
 * @example
 * const ms = await timeToFirstByte({ method: 'GET', url: `${urls['sluice-ttfb']}?hold=10`, eventStream: false });
 */
export async function timeToFirstByte(target: Target): Promise<number> {
  let firstAt: bigint | undefined;
  let head = '';
  await send(target, (payload, at) => {
    firstAt ??= at;
    if (!head.includes('\n')) head += payload.toString('latin1');
  });
  const written = /^T(\d+)\n/.exec(head);
  if (!written || firstAt === undefined)
    throw new Error(`${target.url}: no timestamp in ${JSON.stringify(head)}`);
  return Number(firstAt - BigInt(written[1]!)) / 1e6;
}

/**
 * Reads the whole body, no faster than `bytesPerSecond` when given (a slow reader: the socket stops being read,
 * so the sender's buffers fill and backpressure must hold it back). Resolves with bytes and seconds from the
 * request to the last byte.
 *
 * @example
 * const { bytes, seconds } = await readBody(target, 100 * 1024 * 1024);
 */
export async function readBody(
  target: Target,
  bytesPerSecond?: number,
): Promise<{ bytes: number; seconds: number }> {
  const start = process.hrtime.bigint();
  let response: http.IncomingMessage | undefined;
  let received = 0;
  let paused = false;
  const bytes = await send(
    target,
    (payload) => {
      received += payload.length;
      if (!bytesPerSecond || !response || paused) return;
      const due = (received / bytesPerSecond) * 1e3 - Number(process.hrtime.bigint() - start) / 1e6;
      if (due > 1) {
        paused = true;
        response.pause();
        setTimeout(() => {
          paused = false;
          response!.resume();
        }, due);
      }
    },
    (incoming) => {
      response = incoming;
    },
  );
  return { bytes, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
