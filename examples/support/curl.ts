/**
 * Real curl as a child process (`curl --no-buffer -sS -D - …`), its stdout read as it arrives: the response
 * head is parsed from the `-D -` dump, and every piece of the body is kept with `performance.now()` at its
 * arrival, so tests can assert when bytes came, not only which.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DEV_CREDENTIALS } from './dev-server.js';

/** A piece of the body and when it arrived (`performance.now()`). */
export interface TimedChunk {
  at: number;
  data: Buffer;
}

/** A line of the body (without its `\n`) and when the chunk that completed it arrived. */
export interface TimedLine {
  text: string;
  at: number;
}

/**
 * What curl received.
 *
 * @example
 * const { status, headers, body, lines, startedAt } = await curl(url, { sigv4: true });
 */
export interface CurlResult {
  /** curl's exit code (0 on success; 18 for a body cut short, 28 for a timeout…). */
  exitCode: number | null;
  status: number;
  /** Response headers, names lower-cased (a repeated header keeps its values joined with `, `). */
  headers: Record<string, string>;
  body: Buffer;
  chunks: TimedChunk[];
  lines: TimedLine[];
  /** `performance.now()` just before curl was spawned. */
  startedAt: number;
  /** Arrival of the first body byte, undefined for an empty body. */
  firstByteAt: number | undefined;
  stderr: string;
}

/** Options for {@link curl}. */
export interface CurlOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Request body, sent with `--data-binary`. */
  data?: string;
  /** Sign with SigV4 (`--aws-sigv4 aws:amz:us-east-1:lambda`) using these keys, or the dev defaults for `true`. */
  sigv4?: boolean | { accessKeyId: string; secretAccessKey: string };
  /** `--max-time`, seconds; default 60. */
  maxTimeSeconds?: number;
}

/**
 * Splits timed chunks into lines, each stamped with the arrival of the chunk that completed it. A last line
 * without `\n` is kept.
 *
 * @example
 * timedLines([{ at: 5, data: Buffer.from('1\n2') }, { at: 9, data: Buffer.from('\n') }]); // [{ '1', 5 }, { '2', 9 }]
 */
export function timedLines(chunks: readonly TimedChunk[]): TimedLine[] {
  const lines: TimedLine[] = [];
  let pending = '';
  let at = 0;
  for (const chunk of chunks) {
    pending += chunk.data.toString('utf8');
    at = chunk.at;
    let index = pending.indexOf('\n');
    while (index !== -1) {
      lines.push({ text: pending.slice(0, index), at });
      pending = pending.slice(index + 1);
      index = pending.indexOf('\n');
    }
  }
  if (pending !== '') lines.push({ text: pending, at });
  return lines;
}

/** Parses `HTTP/1.1 200 OK\r\nName: value\r\n…` (the last head of a `-D -` dump). */
function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...fields] = head.split('\r\n');
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status, headers };
}

/**
 * Runs `curl --no-buffer -sS -D - [options] <url>` and collects the response as it arrives.
 *
 * @example
 * const result = await curl(`${dev.baseUrl}/lambda-url/SendNumbersWithPause/`, { sigv4: true });
 * result.lines.map((line) => line.text); // ['1', '2', …, '10']
 */
export function curl(url: string, options: CurlOptions = {}): Promise<CurlResult> {
  const args = ['--no-buffer', '-sS', '-D', '-', '--max-time', String(options.maxTimeSeconds ?? 60)];
  if (options.method) args.push('-X', options.method);
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if (options.data !== undefined) args.push('--data-binary', options.data);
  if (options.sigv4) {
    const keys = options.sigv4 === true ? DEV_CREDENTIALS : options.sigv4;
    args.push(
      '--aws-sigv4',
      'aws:amz:us-east-1:lambda',
      '--user',
      `${keys.accessKeyId}:${keys.secretAccessKey}`,
    );
  }
  args.push(url);

  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let head = Buffer.alloc(0);
    let parsed: { status: number; headers: Record<string, string> } | undefined;
    const chunks: TimedChunk[] = [];
    let stderr = '';

    child.stdout.on('data', (data: Buffer) => {
      const at = performance.now();
      if (parsed) {
        chunks.push({ at, data });
        return;
      }
      // Until the final head is complete, the dump and the body share stdout: split at the blank line, and
      // skip interim (1xx) heads.
      head = Buffer.concat([head, data]);
      for (;;) {
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        const block = parseHead(head.subarray(0, end).toString('latin1'));
        head = head.subarray(end + 4);
        if (block.status >= 200 || block.status === 0) {
          parsed = block;
          if (head.length > 0) chunks.push({ at, data: head });
          return;
        }
      }
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      resolve({
        exitCode,
        status: parsed?.status ?? 0,
        headers: parsed?.headers ?? {},
        body: Buffer.concat(chunks.map((chunk) => chunk.data)),
        chunks,
        lines: timedLines(chunks),
        startedAt,
        firstByteAt: chunks[0]?.at,
        stderr,
      });
    });
  });
}

/**
 * Gaps in milliseconds between consecutive arrivals.
 *
 * @example
 * gaps([{ at: 0 }, { at: 1000 }, { at: 2100 }]); // [1000, 1100]
 */
export function gaps(items: ReadonlyArray<{ at: number }>): number[] {
  return items.slice(1).map((item, index) => Math.round(item.at - items[index]!.at));
}
