/**
 * HTTP clients for the emulator's front tests: real `curl` (as a child process, its stdout read as it
 * arrives) and Node's `http` client, both recording when each piece of the body arrived.
 */
import { spawn } from 'node:child_process';
import { type IncomingHttpHeaders, request } from 'node:http';

/**
 * What a client saw.
 *
 * @example
 * const { status, body, chunks } = await nodeRequest(url);
 */
export interface ClientResult {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** Each piece of the body with `Date.now()` at its arrival. */
  chunks: Array<{ at: number; data: Buffer }>;
  /** Set when the response did not end cleanly (e.g. `aborted` when the server cut the connection). */
  error?: string;
}

/**
 * Sends a request with Node's http client. `host` overrides the Host header (to reach
 * `<name>.lambda-url.localhost` without DNS); `onChunk` may return `'stop'` to disconnect.
 *
 * @example
 * const result = await nodeRequest(`${emulator.url}/lambda-url/f/`, { method: 'POST', body: Buffer.from('x') });
 */
export function nodeRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string | string[]>;
    body?: Buffer | string;
    host?: string;
    /** Sends the body in pieces with `Transfer-Encoding: chunked`. */
    chunked?: boolean;
    onChunk?: (chunk: Buffer, at: number) => 'stop' | undefined;
  } = {},
): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const headers: Record<string, string | string[]> = { ...options.headers };
    if (options.host) headers.Host = options.host;
    const req = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers,
        agent: false,
      },
      (res) => {
        const result: ClientResult = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.alloc(0),
          chunks: [],
        };
        let settled = false;
        const finish = (error?: string) => {
          if (settled) return;
          settled = true;
          result.body = Buffer.concat(result.chunks.map((chunk) => chunk.data));
          if (error) result.error = error;
          resolve(result);
        };
        res.on('data', (data: Buffer) => {
          const at = Date.now();
          result.chunks.push({ at, data });
          if (options.onChunk?.(data, at) === 'stop') {
            req.destroy();
            finish('stopped');
          }
        });
        res.on('end', () => finish());
        res.on('aborted', () => finish('aborted'));
        res.on('error', (error) => finish(error.message));
        res.on('close', () => finish(res.complete ? undefined : 'aborted'));
      },
    );
    req.on('error', reject);
    if (options.chunked && options.body !== undefined) {
      const body = Buffer.from(options.body);
      for (let offset = 0; offset < body.length; offset += 256 * 1024)
        req.write(body.subarray(offset, offset + 256 * 1024));
      req.end();
    } else req.end(options.body);
  });
}

/**
 * What curl printed and how it exited.
 *
 * @example
 * const { code, stdout, chunks } = await runCurl(['-sS', '-N', url]);
 */
export interface CurlResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout pieces with `Date.now()` at their arrival. */
  chunks: Array<{ at: number; data: Buffer }>;
}

/**
 * Runs curl with these arguments and collects its output as it arrives.
 *
 * @example
 * await runCurl(['--no-buffer', '-sS', '-N', `${emulator.url}/lambda-url/lines/`]);
 */
export function runCurl(args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: CurlResult['chunks'] = [];
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => chunks.push({ at: Date.now(), data }));
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(chunks.map((chunk) => chunk.data)), stderr, chunks }),
    );
  });
}

/**
 * Splits timed chunks into lines, each with the arrival time of the chunk that completed it.
 *
 * @example
 * const lines = timedLines(result.chunks); // [{ text: 'line 0 1732180000000', at: 1732180000003 }, …]
 */
export function timedLines(
  chunks: ReadonlyArray<{ at: number; data: Buffer }>,
): Array<{ text: string; at: number }> {
  const lines: Array<{ text: string; at: number }> = [];
  let pending = '';
  for (const { at, data } of chunks) {
    pending += data.toString('utf8');
    let index = pending.indexOf('\n');
    while (index !== -1) {
      lines.push({ text: pending.slice(0, index), at });
      pending = pending.slice(index + 1);
      index = pending.indexOf('\n');
    }
  }
  if (pending) lines.push({ text: pending, at: chunks[chunks.length - 1]?.at ?? 0 });
  return lines;
}

/**
 * Parses the head curl prints with `-D -` / `-i`: status and headers (names lower-cased, repeated ones kept).
 *
 * @example
 * const head = parseCurlHead(stdout.toString()); // { status: 418, headers: [['content-type', 'text/plain'], …] }
 */
export function parseCurlHead(output: string): {
  status: number;
  headers: Array<[string, string]>;
  body: string;
} {
  const end = output.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = output.slice(0, end).split('\r\n');
  return {
    status: Number(statusLine?.split(' ')[1]),
    headers: lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
    }),
    body: output.slice(end + 4),
  };
}

/**
 * Checks lines `line <i> <epoch ms when written>`: problems when a line is missing or arrived only after the
 * function wrote the next one (empty when every line arrived before the next was written).
 *
 * @example
 * expect(lineOrderProblems(timedLines(result.chunks), 6)).toEqual([]);
 */
export function lineOrderProblems(
  lines: ReadonlyArray<{ text: string; at: number }>,
  count: number,
): string[] {
  const problems: string[] = [];
  const names = lines.map((line) => line.text.split(' ').slice(0, 2).join(' '));
  const expected = Array.from({ length: count }, (_, i) => `line ${i}`);
  if (names.join('|') !== expected.join('|'))
    problems.push(`lines ${JSON.stringify(names)}, expected ${count}`);
  for (let i = 0; i + 1 < lines.length; i++) {
    const writtenNext = Number(lines[i + 1]!.text.split(' ')[2]);
    if (!(lines[i]!.at < writtenNext)) {
      problems.push(
        `line ${i} arrived at ${lines[i]!.at}, not before line ${i + 1} was written at ${writtenNext}`,
      );
    }
  }
  return problems;
}
