/**
 * Normalised Runtime API traffic: what a runtime sent, reduced to the parts that the Runtime API contract
 * defines, so that recordings of the official Node runtime client (aws-lambda-ric) can be compared with what
 * sluice's runtime sends for the same handler.
 *
 * Shared by scripts/record-ric-fixtures.ts (which writes test/fixtures/ric/*.json) and the parity test.
 *
 * What is kept: method, path (request ids replaced), headers (minus the transport-level ones in
 * {@link DROPPED_HEADERS}), whether the body was chunked, the de-chunked body, and trailers. Error documents
 * (the `/error` JSON bodies and the base64 `Lambda-Runtime-Function-Error-Body` trailer) are decoded, with
 * their stack trace reduced to its first line.
 *
 * What is not kept: chunk boundaries (aws-lambda-ric's own source says there is no chunk fidelity between
 * `write()` calls and HTTP chunks, and RAPID reads the body as a byte stream), header order and header case
 * (HTTP says neither matters), and which TCP connection carried a request (see the fixture's raw requests).
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { headerValue, type RawRequest, RawRequestParser } from './raw-http.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A decoded error document, e.g. `{"errorType":"RangeError","errorMessage":"boom","trace":["RangeError: boom"]}`. */
export type NormalizedErrorDocument = { [key: string]: Json };

export type NormalizedBody =
  | { kind: 'empty' }
  /** Valid UTF-8 without control characters other than tab, CR and LF. */
  | { kind: 'text'; text: string }
  /** Anything else (gzip, NUL bytes, invalid UTF-8). */
  | { kind: 'base64'; base64: string; bytes: number }
  /** The JSON body of `/runtime/invocation/{id}/error` or `/runtime/init/error`. */
  | { kind: 'error'; error: NormalizedErrorDocument }
  /**
   * A body under `Content-Type: application/vnd.awslambda.http-integration-response` that contains the 8-NUL
   * delimiter: the prelude JSON text as sent, then the payload after the delimiter.
   */
  | { kind: 'http-integration'; prelude: string; payload: NormalizedBody };

export interface NormalizedRequest {
  method: string;
  /** With each request id replaced by `<request-id-N>`, N counting from 1 in invocation order. */
  path: string;
  /** Whether the body used chunked transfer coding (required for streaming responses). */
  chunked: boolean;
  /** `[name, value]` with lower-case names, sorted by name then value; duplicates kept. */
  headers: Array<[string, string]>;
  body: NormalizedBody;
  /**
   * `[name, value]` with lower-case names, sorted by name; the value of `lambda-runtime-function-error-body` is
   * the decoded error document when it is valid base64 JSON, else the string as sent.
   */
  trailers: Array<[string, string | NormalizedErrorDocument]>;
}

export type NormalizedTraffic = NormalizedRequest[];

/**
 * Headers left out of the normalised form, and why. Everything else is kept, so a new header from either
 * runtime shows up as a difference.
 */
export const DROPPED_HEADERS: Readonly<Record<string, string>> = {
  host: 'carries the ephemeral port of the test server',
  'user-agent':
    "names the HTTP client, not the contract: curl inside ric's addon sends AWS_Lambda_Cpp/0.2.8, Node's http sends none",
  connection:
    "HTTP/1.1 connection management (Node's keep-alive agent sends `keep-alive`); connection reuse is visible in the fixture's raw requests instead",
  accept: "curl's default `*/*`; the Runtime API never negotiates content",
  'content-length':
    'body framing: the de-chunked body is compared byte for byte, and `chunked` records which framing was used',
  expect:
    "the `100-continue` handshake some HTTP clients make before larger bodies, a transport detail (ric's aws-lambda-cpp turns curl's off with an empty `Expect:`)",
  'lambda-runtime-function-xray-error-cause':
    "optional X-Ray data that RAPID passes to X-Ray only; it holds absolute paths and stack frames of the runtime's own files, which differ between runtimes and checkouts (use `xrayErrorCause: 'summarize'` to keep its gist)",
};

const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';
const XRAY_HEADER = 'lambda-runtime-function-xray-error-cause';
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** Control characters that make a body "binary"; tab, LF and CR are fine in text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface NormalizeOptions {
  /** The invocations' request ids in queue order; each becomes `<request-id-N>` (1-based) wherever it appears. */
  requestIds?: readonly string[];
  /**
   * Further literal substitutions applied to every text field (paths, text bodies, preludes, error documents),
   * longest first, e.g. `[['/work/main/test/fixtures/ric-scenarios/cjs', '<task-root>']]`.
   */
  replacements?: ReadonlyArray<readonly [string, string]>;
  /**
   * `drop` (default): leave `Lambda-Runtime-Function-XRay-Error-Cause` out like the other {@link DROPPED_HEADERS}.
   * `summarize`: keep it, reduced to `{"exceptions":[{"type","message"}]}` so that its presence is compared.
   */
  xrayErrorCause?: 'drop' | 'summarize';
}

/** The fields of a recorded request that normalisation reads. */
export type TrafficRequest = Pick<
  RawRequest,
  'method' | 'path' | 'headers' | 'body' | 'trailers' | 'chunked'
>;

/** Turns recorded requests into the stable, JSON-able form stored in fixtures and compared by the parity test. */
export function normalizeTraffic(
  requests: readonly TrafficRequest[],
  options: NormalizeOptions = {},
): NormalizedTraffic {
  const substitute = substitution(options);
  return requests.map((request) => normalizeRequest(request, substitute, options));
}

function substitution(options: NormalizeOptions): (text: string) => string {
  const pairs: Array<readonly [string, string]> = [];
  (options.requestIds ?? []).forEach((id, index) => {
    const marker = `<request-id-${index + 1}>`;
    pairs.push([id, marker]);
    // The path carries encodeURIComponent(id); identical for the usual UUIDs, but not for arbitrary ids.
    const encoded = encodeURIComponent(id);
    if (encoded !== id) pairs.push([encoded, marker]);
  });
  pairs.push(...(options.replacements ?? []));
  // Longest first, so that a task root is replaced before the repository root that contains it.
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let out = text;
    for (const [from, to] of pairs) if (from !== '') out = out.split(from).join(to);
    return out;
  };
}

function normalizeRequest(
  request: TrafficRequest,
  substitute: (text: string) => string,
  options: NormalizeOptions,
): NormalizedRequest {
  const headers: Array<[string, string]> = [];
  for (const [rawName, value] of request.headers) {
    const name = rawName.toLowerCase();
    if (name === XRAY_HEADER && options.xrayErrorCause === 'summarize') {
      headers.push([name, summarizeXrayCause(value, substitute)]);
    } else if (!Object.hasOwn(DROPPED_HEADERS, name)) {
      headers.push([name, substitute(value)]);
    }
  }
  headers.sort(compareEntries);

  const trailers: Array<[string, string | NormalizedErrorDocument]> = request.trailers.map(
    ([rawName, value]) => {
      const name = rawName.toLowerCase();
      return [name, name === ERROR_BODY_TRAILER ? decodeErrorTrailer(value, substitute) : value];
    },
  );
  trailers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  const isErrorPost = request.method === 'POST' && /\/(?:invocation\/[^/]+|init)\/error$/.test(request.path);
  const contentType = headerValue(request.headers, 'content-type') ?? '';
  return {
    method: request.method,
    path: substitute(request.path),
    chunked: request.chunked,
    headers,
    body: normalizeBody(request.body, substitute, {
      errorDocument: isErrorPost,
      prelude: contentType.toLowerCase().startsWith(PRELUDE_CONTENT_TYPE),
    }),
    trailers,
  };
}

function compareEntries(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** The body as text when it is printable UTF-8, else undefined. */
export function printableText(body: Buffer): string | undefined {
  const text = body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(body)) return undefined; // invalid UTF-8 was replaced by U+FFFD
  return CONTROL.test(text) ? undefined : text;
}

function normalizeBody(
  body: Buffer,
  substitute: (text: string) => string,
  kind: { errorDocument: boolean; prelude: boolean },
): NormalizedBody {
  if (body.length === 0) return { kind: 'empty' };
  if (kind.errorDocument) {
    const document = parseErrorDocument(body.toString('utf8'), substitute);
    if (document) return { kind: 'error', error: document };
  }
  if (kind.prelude) {
    const at = body.indexOf(DELIMITER);
    const prelude = at < 0 ? undefined : printableText(body.subarray(0, at));
    if (prelude !== undefined) {
      return {
        kind: 'http-integration',
        prelude: substitute(prelude),
        payload: normalizeBody(body.subarray(at + DELIMITER.length), substitute, {
          errorDocument: false,
          prelude: false,
        }),
      };
    }
  }
  const text = printableText(body);
  if (text !== undefined) return { kind: 'text', text: substitute(text) };
  return { kind: 'base64', base64: body.toString('base64'), bytes: body.length };
}

/**
 * Parses an error document and reduces `trace` / `stackTrace` to the first line: the frames below it name files
 * and line numbers inside each runtime, which legitimately differ.
 */
function parseErrorDocument(
  text: string,
  substitute: (text: string) => string,
): NormalizedErrorDocument | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: NormalizedErrorDocument = {};
  for (const [key, value] of Object.entries(parsed as Record<string, Json>)) {
    if ((key === 'trace' || key === 'stackTrace') && Array.isArray(value)) {
      out[key] = value.slice(0, 1).map((line) => (typeof line === 'string' ? substitute(line) : line));
    } else if ((key === 'trace' || key === 'stackTrace') && typeof value === 'string') {
      out[key] = substitute(value.split('\n')[0] ?? '');
    } else if (key === 'errorMessage' && typeof value === 'string') {
      out[key] = normalizeRequireStack(substitute(value));
    } else {
      out[key] = substituteJson(value, substitute);
    }
  }
  return out;
}

/**
 * Node appends `Require stack:` and one `- <file>` line per requiring module to MODULE_NOT_FOUND messages. The
 * user's own files (under `<task-root>` after substitution) are kept; the rest are the runtime's loader files,
 * which differ between runtimes like stack frames do, so each becomes `- <runtime-file>`.
 */
function normalizeRequireStack(message: string): string {
  const marker = '\nRequire stack:\n';
  const at = message.indexOf(marker);
  if (at < 0) return message;
  const stack = message
    .slice(at + marker.length)
    .split('\n')
    .map((line) => (line.startsWith('- ') && !line.startsWith('- <task-root>') ? '- <runtime-file>' : line));
  return message.slice(0, at + marker.length) + stack.join('\n');
}

function substituteJson(value: Json, substitute: (text: string) => string): Json {
  if (typeof value === 'string') return substitute(value);
  if (Array.isArray(value)) return value.map((item) => substituteJson(item, substitute));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteJson(v, substitute)]));
  }
  return value;
}

function decodeErrorTrailer(
  value: string,
  substitute: (text: string) => string,
): string | NormalizedErrorDocument {
  const decoded = Buffer.from(value, 'base64');
  // Only accept canonical padded base64 (what RAPID's StdEncoding decodes); anything else is kept verbatim so
  // that a runtime sending plain JSON or unpadded base64 shows up as a difference.
  if (decoded.toString('base64') !== value) return value;
  return parseErrorDocument(decoded.toString('utf8'), substitute) ?? value;
}

function summarizeXrayCause(value: string, substitute: (text: string) => string): string {
  try {
    const parsed = JSON.parse(value) as { exceptions?: Array<{ type?: unknown; message?: unknown }> };
    const exceptions = (parsed.exceptions ?? []).map((e) => ({
      type: e.type ?? null,
      message: typeof e.message === 'string' ? substitute(e.message) : (e.message ?? null),
    }));
    return JSON.stringify({ exceptions });
  } catch {
    return '<unparseable>';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

/** One recorded request as stored in a fixture, for humans and for re-normalising with other options. */
export interface FixtureRequest {
  /** Which TCP connection carried it (1-based, in accept order). */
  connection: number;
  /** HTTP chunk sizes as sent (chunked bodies only); informative, not compared. */
  chunkSizes: number[];
  /**
   * Every byte of the request as a latin1 string (JSON escapes make CR, LF and NUL visible). In the head only,
   * the test server's address is replaced by `<runtime-api>` and the repository root by `<repo>`, so the file
   * is stable across runs; bodies and trailers are untouched, so it still parses (see {@link parseFixtureRequests}).
   */
  raw: string;
}

export interface RicFixture {
  scenario: string;
  recordedWith: { runtime: string; version: string; node: string };
  /** UTC date of the recording; kept when a re-recording produced the same content. */
  recordedOn: string;
  /**
   * Absolute path of the checkout it was recorded in. Request bodies and base64 trailers keep absolute paths
   * (stack traces), so re-normalising the raw requests needs this root, not the current checkout's.
   */
  recordedIn: string;
  /** Relative to the repository root. */
  taskRoot: string;
  handler: string;
  /** The exit code when the runtime ended by itself (init errors), else null. */
  exitCode: number | null;
  traffic: NormalizedTraffic;
  requests: FixtureRequest[];
}

/** The folder holding the recorded fixtures. */
export const RIC_FIXTURE_DIR = new URL('../fixtures/ric/', import.meta.url);

/** Reads `test/fixtures/ric/<scenario>.json`. */
export function readRicFixture(scenario: string): RicFixture {
  const file = new URL(`${scenario}.json`, RIC_FIXTURE_DIR);
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as RicFixture;
  if (fixture.scenario !== scenario || !Array.isArray(fixture.traffic) || !Array.isArray(fixture.requests)) {
    throw new Error(`${file.pathname} is not a ric fixture for ${scenario}`);
  }
  return fixture;
}

/** Parses a fixture's raw requests back into requests that {@link normalizeTraffic} accepts. */
export function parseFixtureRequests(requests: readonly FixtureRequest[]): RawRequest[] {
  return requests.map(({ raw }) => {
    const parsed: RawRequest[] = [];
    new RawRequestParser((request) => parsed.push(request)).push(Buffer.from(raw, 'latin1'));
    const [request] = parsed;
    if (parsed.length !== 1 || !request)
      throw new Error(`fixture request did not parse as one request: ${raw}`);
    return request;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

export interface TrafficComparison {
  equal: boolean;
  /** One line per difference, `path: expected … / actual …`; empty when equal. */
  diff: string;
}

/**
 * Compares two normalised traffics and lists every difference by its location, e.g.
 * `[1].trailers[0][1].errorType: expected "RangeError", actual "Error"`.
 */
export function compareTraffic(
  expected: NormalizedTraffic,
  actual: NormalizedTraffic,
  labels: { expected: string; actual: string } = { expected: 'expected', actual: 'actual' },
): TrafficComparison {
  const lines: string[] = [];
  diffJson(expected as unknown as Json, actual as unknown as Json, '', lines, labels);
  if (lines.length > 0 && expected.length !== actual.length) {
    lines.unshift(
      `request count: ${labels.expected} ${expected.length} (${summary(expected)}), ${labels.actual} ${actual.length} (${summary(actual)})`,
    );
  }
  return { equal: lines.length === 0, diff: lines.join('\n') };
}

function summary(traffic: NormalizedTraffic): string {
  return traffic.map((r) => `${r.method} ${r.path.replace('/2018-06-01/runtime', '')}`).join(', ');
}

function diffJson(
  expected: Json | undefined,
  actual: Json | undefined,
  at: string,
  lines: string[],
  labels: { expected: string; actual: string },
): void {
  if (isDeepStrictEqual(expected, actual)) return;
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects =
    isPlainObject(expected) && isPlainObject(actual) && !Array.isArray(expected) && !Array.isArray(actual);
  if (bothArrays && /\.(?:headers|trailers)$/.test(at)) {
    // Header lists are sorted, so one extra header would shift every later index: compare them as multisets.
    const only = (from: Json[], other: Json[]) => {
      const rest = other.map((entry) => JSON.stringify(entry));
      return from.filter((entry) => {
        const i = rest.indexOf(JSON.stringify(entry));
        if (i < 0) return true;
        rest.splice(i, 1);
        return false;
      });
    };
    for (const [side, from, other] of [
      [labels.expected, expected, actual],
      [labels.actual, actual, expected],
    ] as const) {
      for (const entry of only(from, other)) lines.push(`${at}: only ${side} has ${show(entry)}`);
    }
    return;
  }
  if (bothArrays) {
    const length = Math.max(expected.length, actual.length);
    for (let i = 0; i < length; i++) diffJson(expected[i], actual[i], `${at}[${i}]`, lines, labels);
    return;
  }
  if (bothObjects) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) diffJson(expected[key], actual[key], `${at}.${key}`, lines, labels);
    return;
  }
  lines.push(`${at || '(root)'}: ${labels.expected} ${show(expected)}, ${labels.actual} ${show(actual)}`);
}

function isPlainObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null;
}

function show(value: Json | undefined): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/**
 * `JSON.stringify(value, null, 2)`, except that arrays and objects that fit on one line within `width` stay on
 * one line: fixtures hold many `[name, value]` pairs, which the standard layout spreads over four lines each.
 */
export function formatJson(value: unknown, width = 110): string {
  return `${layout(value, '', 0, width)}\n`;
}

function layout(value: unknown, indent: string, prefix: number, width: number): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (value === null || typeof value !== 'object' || indent.length + prefix + flat.length <= width)
    return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item: unknown) => inner + layout(item, inner, 0, width));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, v]) => {
    const name = `${JSON.stringify(key)}: `;
    return inner + name + layout(v, inner, name.length, width);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
