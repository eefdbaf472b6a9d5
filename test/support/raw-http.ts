/**
 * A byte-exact HTTP/1.1 request parser for tests.
 *
 * Node's own `http` server normalises what it reads (header case, chunk boundaries, trailers), so tests that
 * must see the exact bytes a runtime puts on the wire read a raw TCP socket and parse it with this instead.
 */

/** One request as it crossed the socket. */
export interface RawRequest {
  /** Every byte of the request, head, chunk framing and trailers included (unless `retainBytes` was off). */
  raw: Buffer;
  method: string;
  path: string;
  /** Header lines in wire order, names as sent. */
  headers: Array<[string, string]>;
  /** The de-chunked body (empty when `retainBytes` was off). */
  body: Buffer;
  /** Size of the body in bytes, counted even when it is not retained. */
  bodyLength: number;
  /** The size of each chunk in arrival order (chunked bodies only). */
  chunkSizes: number[];
  /** Trailer lines in wire order (chunked bodies only). */
  trailers: Array<[string, string]>;
  chunked: boolean;
}

/** Returns the value of the first header named `name` (case-insensitive). */
export function headerValue(fields: Array<[string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find(([n]) => n.toLowerCase() === lower)?.[1];
}

type Phase = 'head' | 'fixed' | 'chunk-size' | 'chunk-data' | 'chunk-data-end' | 'trailers';

export interface RawRequestParserOptions {
  /** Keep raw bytes and the body of each request; off for multi-gigabyte tests. Default true. */
  retainBytes?: boolean;
  /** Called for each body byte range as it is parsed (after de-chunking). */
  onBodyData?: (request: RawRequest, data: Buffer) => void;
  /** Called once the head of a request has been parsed. */
  onHead?: (request: RawRequest) => void;
}

/**
 * Incremental parser: feed it socket data, it calls `onRequest` once per complete request.
 * Pipelined and keep-alive requests on one connection are handled in order.
 */
export class RawRequestParser {
  #buffer: Buffer = Buffer.alloc(0);
  #phase: Phase = 'head';
  #current: RawRequest | undefined;
  #rawParts: Buffer[] = [];
  #bodyParts: Buffer[] = [];
  #remaining = 0;
  readonly #retain: boolean;
  readonly #options: RawRequestParserOptions;

  constructor(
    private readonly onRequest: (request: RawRequest) => void,
    options: RawRequestParserOptions = {},
  ) {
    this.#options = options;
    this.#retain = options.retainBytes ?? true;
  }

  push(data: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    while (this.#step()) {
      // keep going while progress is made
    }
  }

  #take(n: number): Buffer {
    const part = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    if (this.#retain) this.#rawParts.push(Buffer.from(part));
    return part;
  }

  #line(): string | undefined {
    const end = this.#buffer.indexOf('\r\n');
    if (end < 0) return undefined;
    return this.#take(end + 2)
      .subarray(0, end)
      .toString('latin1');
  }

  #body(data: Buffer): void {
    const request = this.#current!;
    request.bodyLength += data.length;
    if (this.#retain) this.#bodyParts.push(Buffer.from(data));
    this.#options.onBodyData?.(request, data);
  }

  #step(): boolean {
    switch (this.#phase) {
      case 'head': {
        const end = this.#buffer.indexOf('\r\n\r\n');
        if (end < 0) return false;
        const head = this.#take(end + 4)
          .subarray(0, end)
          .toString('latin1');
        const [requestLine = '', ...lines] = head.split('\r\n');
        const [method = '', path = ''] = requestLine.split(' ');
        const headers = lines.map((line): [string, string] => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon), line.slice(colon + 1).trim()];
        });
        const chunked = /chunked/i.test(headerValue(headers, 'transfer-encoding') ?? '');
        this.#current = {
          raw: Buffer.alloc(0),
          method,
          path,
          headers,
          body: Buffer.alloc(0),
          bodyLength: 0,
          chunkSizes: [],
          trailers: [],
          chunked,
        };
        this.#options.onHead?.(this.#current);
        if (chunked) {
          this.#phase = 'chunk-size';
        } else {
          this.#remaining = Number(headerValue(headers, 'content-length') ?? 0);
          this.#phase = 'fixed';
        }
        return true;
      }
      case 'fixed': {
        if (this.#remaining === 0) return this.#complete();
        if (this.#buffer.length === 0) return false;
        const part = this.#take(Math.min(this.#remaining, this.#buffer.length));
        this.#remaining -= part.length;
        this.#body(part);
        return true;
      }
      case 'chunk-size': {
        const line = this.#line();
        if (line === undefined) return false;
        const size = Number.parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size)) throw new Error(`bad chunk size line: ${JSON.stringify(line)}`);
        this.#current!.chunkSizes.push(size);
        if (size === 0) {
          this.#phase = 'trailers';
        } else {
          this.#remaining = size;
          this.#phase = 'chunk-data';
        }
        return true;
      }
      case 'chunk-data': {
        if (this.#buffer.length === 0) return false;
        const part = this.#take(Math.min(this.#remaining, this.#buffer.length));
        this.#remaining -= part.length;
        this.#body(part);
        if (this.#remaining === 0) this.#phase = 'chunk-data-end';
        return true;
      }
      case 'chunk-data-end': {
        const line = this.#line();
        if (line === undefined) return false;
        if (line !== '') throw new Error('chunk data not followed by CRLF');
        this.#phase = 'chunk-size';
        return true;
      }
      case 'trailers': {
        const line = this.#line();
        if (line === undefined) return false;
        if (line === '') return this.#complete();
        const colon = line.indexOf(':');
        this.#current!.trailers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
        return true;
      }
    }
  }

  #complete(): boolean {
    const request = this.#current!;
    request.raw = Buffer.concat(this.#rawParts);
    request.body = Buffer.concat(this.#bodyParts);
    this.#rawParts = [];
    this.#bodyParts = [];
    this.#current = undefined;
    this.#phase = 'head';
    this.onRequest(request);
    return true;
  }
}
