/**
 * What `sluice dev` serves, as rows of the table it prints: one per endpoint (a function URL, an API route,
 * the Lambda API for each function, the local `/invoke`), each with its URL and a command to paste into a
 * shell. Commands are wrapped with ` \` continuations to fit a 100-column terminal.
 */
import type { Emulator } from '../emulator/emulator.js';
import type { SigV4Credentials } from '../emulator/http/credentials.js';
import type { HttpApiDefinition } from '../emulator/http/http-api-routes.js';
import type { RestApiDefinition } from '../emulator/http/rest-routes.js';
import type { FunctionBuild } from './build.js';

/**
 * The kinds of endpoint.
 *
 * @example
 * const kind: DevEndpointKind = 'function-url';
 */
export type DevEndpointKind = 'function-url' | 'rest-route' | 'http-route' | 'lambda-api' | 'local-invoke';

/**
 * One row of the table.
 *
 * @example
 * const row: DevEndpoint = {
 *   functionName: 'stream',
 *   kind: 'function-url',
 *   title: 'function URL, RESPONSE_STREAM, AuthType NONE',
 *   url: 'http://127.0.0.1:7000/lambda-url/stream/',
 *   command: ['curl', '--no-buffer', 'http://127.0.0.1:7000/lambda-url/stream/'],
 * };
 */
export interface DevEndpoint {
  functionName: string;
  kind: DevEndpointKind;
  /** What it is, in words: `function URL, RESPONSE_STREAM, AuthType AWS_IAM`. */
  title: string;
  /** Where it is (path style, on the emulator's own host). */
  url: string;
  /** The same endpoint host style (`<name>.lambda-url.localhost`), when there is one. */
  hostUrl?: string;
  /**
   * A command that calls it, as shell words already quoted where needed; an option and its value are one
   * entry (`--user "KEY:SECRET"`), so that wrapping never separates them. `command.join(' ')` is the command.
   */
  command: string[];
  /** A remark shown under the command. */
  note?: string;
}

/**
 * An API as `sluice dev` hands it to the emulator: a REST API (`apis`) or an HTTP API (`httpApis`).
 *
 * @example
 * const api: DevApi = { kind: 'REST', definition: { name: 'StreamingApi', stage: 'prod', routes } };
 * const http: DevApi = { kind: 'HTTP', definition: { name: 'ServerlessHttpApi', stage: '$default', routes: [] } };
 */
export type DevApi =
  | { kind: 'REST'; definition: RestApiDefinition }
  | { kind: 'HTTP'; definition: HttpApiDefinition };

/** The address `sluice invoke` uses when given no `--endpoint`. */
const DEFAULT_INVOKE_ENDPOINT = 'http://127.0.0.1:7000';

/**
 * Quotes a word for POSIX shells when it needs it.
 *
 * @example
 * shellQuote('a b'); // '"a b"'
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (!/[$`"\\!]/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A value in double quotes when that is safe, else as {@link shellQuote} quotes it. */
function quoted(value: string): string {
  return /[$`"\\!]/.test(value) ? shellQuote(value) : `"${value}"`;
}

const JSON_HEADER = '--header "Content-Type: application/json"';
const EMPTY_JSON = "--data '{}'";

/** An example request path for a resource path: `{id}` → `id`, `{proxy+}` → `proxy`. */
function examplePath(resourcePath: string): string {
  return resourcePath.replace(/\{([^}+]+)\+?\}/g, '$1');
}

function curlFor(method: string, url: string): string[] {
  const upper = method.toUpperCase();
  if (upper === 'ANY' || upper === 'GET') return ['curl', '--no-buffer', url];
  if (upper === 'HEAD') return ['curl', '--head', url];
  const withBody = upper === 'POST' || upper === 'PUT' || upper === 'PATCH';
  return [
    'curl',
    '--no-buffer',
    // --data makes curl POST.
    ...(upper === 'POST' ? [] : [`-X ${upper}`]),
    ...(withBody ? [JSON_HEADER, EMPTY_JSON] : []),
    url,
  ];
}

/**
 * What the table shows for the functions and APIs being served.
 *
 * @example
 * const rows = describeEndpoints({ emulator, builds, apis, region: 'us-east-1', credentials: DEFAULT_CREDENTIALS });
 */
export function describeEndpoints(input: {
  emulator: Pick<Emulator, 'url' | 'port' | 'endpoints'>;
  builds: readonly FunctionBuild[];
  apis: readonly DevApi[];
  region: string;
  credentials: SigV4Credentials;
  /** The function `/invoke` runs. */
  defaultFunction: string | undefined;
}): DevEndpoint[] {
  const { emulator, builds, region, credentials } = input;
  const base = emulator.url;
  const rows: DevEndpoint[] = [];
  for (const build of builds) {
    const name = build.name;
    const note =
      build.status === 'failed'
        ? `does not build: invocations raise ${build.errorType} until it does (see the errors above)`
        : build.status === 'stale'
          ? 'does not build: the previous build keeps serving (see the errors above)'
          : undefined;
    const withNote = (row: DevEndpoint): DevEndpoint => (note ? { ...row, note } : row);
    const url = emulator.endpoints.functionUrls[name];
    if (url) {
      const iam = url.authType === 'AWS_IAM';
      const command = iam
        ? [
            'curl',
            '--no-buffer',
            `--aws-sigv4 "aws:amz:${region}:lambda"`,
            `--user ${quoted(`${credentials.accessKeyId}:${credentials.secretAccessKey}`)}`,
            ...(credentials.sessionToken
              ? [`--header ${quoted(`x-amz-security-token: ${credentials.sessionToken}`)}`]
              : []),
            url.url,
          ]
        : ['curl', '--no-buffer', url.url];
      rows.push(
        withNote({
          functionName: name,
          kind: 'function-url',
          title: `function URL, ${url.invokeMode}, AuthType ${url.authType}`,
          url: url.url,
          hostUrl: url.hostUrl,
          command,
        }),
      );
    }
    for (const api of input.apis) {
      if (api.kind === 'REST') {
        const served = emulator.endpoints.apis.find((candidate) => candidate.name === api.definition.name);
        if (!served) continue;
        for (const route of api.definition.routes) {
          if (route.function !== name) continue;
          const path = examplePath(route.path);
          const routeUrl = `${served.url}${path === '/' ? '/' : path}`;
          rows.push(
            withNote({
              functionName: name,
              kind: 'rest-route',
              title: `REST API ${api.definition.name}, ${route.method} ${route.path}, ${route.streaming ? 'streaming (responseTransferMode STREAM)' : 'buffered'}`,
              url: routeUrl,
              hostUrl: `${served.hostUrl}${path === '/' ? '/' : path}`,
              command: curlFor(route.method, routeUrl),
            }),
          );
        }
        continue;
      }
      const served = emulator.endpoints.httpApis.find((candidate) => candidate.name === api.definition.name);
      if (!served) continue;
      for (const route of api.definition.routes) {
        if (route.function !== name) continue;
        // The catch-all route serves every path; the API's root stands for them.
        const catchAll = route.path === '$default';
        const path = catchAll ? '/' : examplePath(route.path);
        const version = route.payloadFormatVersion ?? api.definition.payloadFormatVersion ?? '2.0';
        const routeUrl = `${served.url}${path}`;
        rows.push(
          withNote({
            functionName: name,
            kind: 'http-route',
            title: `HTTP API ${api.definition.name}, ${catchAll ? '$default (every path)' : `${route.method} ${route.path}`}, payload format ${version}`,
            url: routeUrl,
            hostUrl: `${served.hostUrl}${path}`,
            command: curlFor(catchAll ? 'ANY' : route.method, routeUrl),
          }),
        );
      }
    }
    rows.push(
      withNote({
        functionName: name,
        kind: 'lambda-api',
        title: 'Lambda API: Invoke, InvokeWithResponseStream (SDK endpoint)',
        url: base,
        command: [
          'npx',
          'sluice',
          'invoke',
          shellQuote(name),
          ...(base === DEFAULT_INVOKE_ENDPOINT ? [] : [`--endpoint ${base}`]),
        ],
      }),
    );
  }
  if (input.defaultFunction !== undefined) {
    rows.push({
      functionName: input.defaultFunction,
      kind: 'local-invoke',
      title: `/invoke (the Swift runtime's local server)${builds.length > 1 ? ', for the first function' : ''}`,
      url: emulator.endpoints.invoke,
      command: ['curl', '--no-buffer', JSON_HEADER, EMPTY_JSON, emulator.endpoints.invoke],
    });
  }
  return rows;
}

/**
 * Joins shell words into lines of at most `width` columns, continued with ` \`; continuation lines are
 * indented two more spaces. A word longer than the line stays whole.
 *
 * @example
 * wrapCommand(['curl', '--no-buffer', url], '    ', 100); // ['    curl --no-buffer http://…']
 */
export function wrapCommand(words: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = indent;
  let fresh = true;
  for (const word of words) {
    const candidate = fresh ? `${line}${word}` : `${line} ${word}`;
    // Leave room for the " \" continuation unless this could be the last word.
    if (!fresh && candidate.length > width - 2) {
      lines.push(`${line} \\`);
      line = `${indent}  ${word}`;
    } else {
      line = candidate;
    }
    fresh = false;
  }
  lines.push(line);
  return lines;
}

/** Prose wrapped at spaces to `width` columns, continuation lines indented two more spaces. */
function wrapText(text: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.trim() !== '' && `${line} ${word}`.length > width) {
      lines.push(line);
      line = `${indent}  ${word}`;
    } else line = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * The table `sluice dev` prints: a heading, then one block per endpoint (what, where, how to call it).
 *
 * @example
 * process.stdout.write(formatEndpoints(rows, { heading: 'sluice dev: template.yaml (1 function)' }));
 */
export function formatEndpoints(
  rows: readonly DevEndpoint[],
  options: { heading: string; footer?: string; width?: number },
): string {
  const width = options.width ?? 100;
  const nameWidth = Math.min(32, Math.max(...rows.map((row) => row.functionName.length), 0));
  const lines = [options.heading, ''];
  for (const row of rows) {
    lines.push(`  ${row.functionName.padEnd(nameWidth)}  ${row.title}`);
    lines.push(`    ${row.url}`);
    if (row.hostUrl) lines.push(`    (or ${row.hostUrl})`);
    lines.push(...wrapCommand(row.command, '    ', width));
    if (row.note) lines.push(...wrapText(`note: ${row.note}`, '    ', width));
    lines.push('');
  }
  if (options.footer) lines.push(options.footer);
  return `${lines.join('\n')}\n`;
}
